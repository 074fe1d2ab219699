/**
 * What waits for someone on the board: open cold-chain alarms (coldchain `GET /coldchain/alarms`), open SLA alerts
 * (sla `GET /sla/alerts`) and dead letters (the console's `GET /dead-letters`).
 */
import { Card, ErrorNote, Loading, useAsync } from '../../components';
import { defineMessages, formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { REFRESH_MS, term, terms } from '../parcels-terms';

const SHOWN = 8;

const m = defineMessages(
  {
    alarms: '冷链告警',
    active: '未处理',
    acknowledged: '已确认未解除',
    noAlarms: '没有未解除的冷链告警。',
    kind_tolerance_exceeded: '超温超时',
    kind_sensor_silent: '传感器无数据',
    kind_precooling_missed: '未完成预冷',
    sev_critical: '严重',
    sev_major: '重要',
    sev_minor: '一般',
    sev_warning: '提示',
    openColdchain: '打开冷链页',
    alerts: '时效预警',
    open: '未处理',
    noAlerts: '没有未处理的时效预警。',
    alert_breach: '超时',
    alert_at_risk: '有超时风险',
    alert_eta_slip: '预计到达推迟',
    alert_rate: '准时率低于目标',
    more: '另有 {n} 条',
    parcel: '查看包裹',
    deadLetters: '死信队列',
    waiting: '待处理',
    noDead: '没有等待处理的死信。',
  },
  {
    alarms: 'Cold-chain alarms',
    active: 'Active',
    acknowledged: 'Acknowledged, not cleared',
    noAlarms: 'No cold-chain alarm is open.',
    kind_tolerance_exceeded: 'out of range too long',
    kind_sensor_silent: 'sensor silent',
    kind_precooling_missed: 'pre-cooling missed',
    sev_critical: 'critical',
    sev_major: 'major',
    sev_minor: 'minor',
    sev_warning: 'warning',
    openColdchain: 'Open the cold-chain page',
    alerts: 'SLA alerts',
    open: 'Open',
    noAlerts: 'No SLA alert is open.',
    alert_breach: 'breach',
    alert_at_risk: 'at risk',
    alert_eta_slip: 'ETA slipped',
    alert_rate: 'on-time rate under target',
    more: '{n} more',
    parcel: 'parcel',
    deadLetters: 'Dead letters',
    waiting: 'Waiting',
    noDead: 'No dead letter is waiting.',
  },
);

interface Alarm {
  alarmId: string;
  containerId: string;
  kind: string;
  severity: string;
  state: string;
  raisedAt: string;
  detail: string;
}
interface SlaAlert {
  alertId: string;
  kind: string;
  leg: string | null;
  parcelId: string | null;
  courierId: string | null;
  state: string;
  raisedAt: string;
}

const sevBadge = (s: string) => (s === 'critical' || s === 'major' ? 'bad' : 'warn');

export function Alarms() {
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  const alarms = useAsync(
    async (signal) => {
      const [active, acknowledged] = await Promise.all(
        (['active', 'acknowledged'] as const).map((state) => api.get<{ alarms: Alarm[]; next: string | null }>('coldchain', '/coldchain/alarms', { query: { state, limit: 100 }, signal })),
      );
      return { active: active!.alarms, acknowledged: acknowledged!.alarms, more: Boolean(active!.next || acknowledged!.next) };
    },
    [],
    REFRESH_MS,
  );
  const d = alarms.data;
  const list = d ? [...d.active, ...d.acknowledged] : [];
  return (
    <Card
      title={t('alarms')}
      actions={
        <a href="#/coldchain" class="small">
          {t('openColdchain')}
        </a>
      }
    >
      <ErrorNote error={alarms.error} onRetry={alarms.reload} />
      {!d ? (
        alarms.error ? null : <Loading />
      ) : (
        <div data-testid="alarms">
          <div class="stats">
            <div class="stat">
              <div class={`stat-value ${d.active.length ? 'bad' : 'ok'}`}>{`${d.active.length}${d.more ? '+' : ''}`}</div>
              <div class="stat-label">{t('active')}</div>
            </div>
            <div class="stat">
              <div class="stat-value">{d.acknowledged.length}</div>
              <div class="stat-label">{t('acknowledged')}</div>
            </div>
          </div>
          {list.length === 0 ? (
            <p class="muted">{t('noAlarms')}</p>
          ) : (
            <ul class="list-compact">
              {list.slice(0, SHOWN).map((a) => (
                <li key={a.alarmId}>
                  <span class={`badge ${sevBadge(a.severity)}`}>{t(`sev_${a.severity}` as 'sev_major')}</span>
                  <span class="grow">
                    {a.containerId} · {t(`kind_${a.kind}` as 'kind_sensor_silent')}
                  </span>
                  <span class="muted small">{f.dateTime(a.raisedAt)}</span>
                </li>
              ))}
              {list.length > SHOWN ? <li class="muted small">{t('more', { n: list.length - SHOWN })}</li> : null}
            </ul>
          )}
        </div>
      )}
    </Card>
  );
}

export function SlaAlerts() {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  const alerts = useAsync((signal) => api.get<{ items: SlaAlert[] }>('sla', '/sla/alerts', { query: { state: 'open', limit: 1000 }, signal }), [], REFRESH_MS);
  const items = alerts.data?.items;
  const byKind = (items ?? []).reduce<Record<string, number>>((acc, a) => ((acc[a.kind] = (acc[a.kind] ?? 0) + 1), acc), {});
  return (
    <Card title={t('alerts')}>
      <ErrorNote error={alerts.error} onRetry={alerts.reload} />
      {!items ? (
        alerts.error ? null : <Loading />
      ) : (
        <div data-testid="sla-alerts">
          <div class="stats">
            <div class="stat">
              <div class={`stat-value ${items.length ? 'warn' : 'ok'}`}>{`${items.length}${items.length === 1000 ? '+' : ''}`}</div>
              <div class="stat-label">{t('open')}</div>
            </div>
            {(['breach', 'at_risk', 'eta_slip', 'rate'] as const)
              .filter((k) => byKind[k])
              .map((k) => (
                <div class="stat" key={k}>
                  <div class="stat-value">{byKind[k]}</div>
                  <div class="stat-label">{t(`alert_${k}`)}</div>
                </div>
              ))}
          </div>
          {items.length === 0 ? (
            <p class="muted">{t('noAlerts')}</p>
          ) : (
            <ul class="list-compact">
              {items.slice(0, SHOWN).map((a) => (
                <li key={a.alertId}>
                  <span class={`badge ${a.kind === 'breach' ? 'bad' : 'warn'}`}>{t(`alert_${a.kind}` as 'alert_breach')}</span>
                  <span class="grow">
                    {a.leg ? term(tt, a.leg) : ''}
                    {a.courierId ? ` · ${a.courierId}` : ''}
                    {a.parcelId ? (
                      <>
                        {' · '}
                        <a href={`#/parcels?id=${a.parcelId}`}>{t('parcel')}</a>
                      </>
                    ) : null}
                  </span>
                  <span class="muted small">{f.dateTime(a.raisedAt)}</span>
                </li>
              ))}
              {items.length > SHOWN ? <li class="muted small">{t('more', { n: items.length - SHOWN })}</li> : null}
            </ul>
          )}
        </div>
      )}
    </Card>
  );
}

export function DeadLetters() {
  const t = useT(m);
  const { api } = useSession();
  const dead = useAsync((signal) => api.get<{ topics: { topic: string; waiting: number }[]; total: number }>('console', '/dead-letters', { signal }), [], REFRESH_MS);
  const d = dead.data;
  return (
    <Card title={t('deadLetters')}>
      <ErrorNote error={dead.error} onRetry={dead.reload} />
      {!d ? (
        dead.error ? null : <Loading />
      ) : (
        <div data-testid="dead-letters">
          <div class="stats">
            <div class="stat">
              <div class={`stat-value ${d.total ? 'bad' : 'ok'}`}>{d.total}</div>
              <div class="stat-label">{t('waiting')}</div>
            </div>
          </div>
          {d.topics.filter((x) => x.waiting > 0).length === 0 ? (
            <p class="muted">{t('noDead')}</p>
          ) : (
            <ul class="list-compact">
              {d.topics
                .filter((x) => x.waiting > 0)
                .map((x) => (
                  <li key={x.topic}>
                    <span class="grow">{x.topic}</span>
                    <span class="badge bad">{x.waiting}</span>
                  </li>
                ))}
            </ul>
          )}
        </div>
      )}
    </Card>
  );
}
