/** One parcel: what intake holds, the SLA's view (center staff), its cold-chain record, and its timeline. */
import { ApiError } from '../../api';
import { Card, ErrorNote, Loading, useAsync } from '../../components';
import { defineMessages, formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { legKeys, term, terms, type Courier, type ParcelView, type Station } from '../parcels-terms';

const m = defineMessages(
  {
    summary: '包裹',
    state: '当前状态',
    courier: '快递公司',
    direction: '方向',
    destination: '目的服务站',
    origin: '始发服务站',
    town: '乡镇服务站',
    received: '入库时间',
    registered: '登记时间',
    exception: '异常',
    product: '品名',
    weight: '重量',
    parcelId: '包裹 ID',
    sla: '时效',
    deadline: '时限',
    eta: '预计到达',
    leg: '环节',
    minutes: '用时',
    onTime: '是否准时',
    yes: '准时',
    no: '超时',
    pending: '进行中',
    slaMissing: '时效服务还没有这个包裹的记录。',
    coldchain: '冷链记录',
    noCold: '这个包裹没有冷链记录（不是冷链包裹，或尚未交接）。',
    compliant: '合规',
    notCompliant: '不合规',
    inRange: '温度达标时长',
    outRange: '超温时长',
    minMax: '最低 / 最高',
    mkt: '平均动力学温度 (MKT)',
    readings: '读数',
    timeline: '轨迹',
    inferred: '推断',
    kg: '{n} 千克',
    min: '{n} 分钟',
  },
  {
    summary: 'Parcel',
    state: 'State',
    courier: 'Courier',
    direction: 'Direction',
    destination: 'Destination station',
    origin: 'Origin station',
    town: 'Town station',
    received: 'Received',
    registered: 'Registered',
    exception: 'Exception',
    product: 'Product',
    weight: 'Weight',
    parcelId: 'Parcel id',
    sla: 'Delivery time (SLA)',
    deadline: 'Deadline',
    eta: 'ETA',
    leg: 'Leg',
    minutes: 'Took',
    onTime: 'On time',
    yes: 'on time',
    no: 'late',
    pending: 'under way',
    slaMissing: 'The SLA service holds no record of this parcel yet.',
    coldchain: 'Cold chain',
    noCold: 'No cold-chain record for this parcel (not a cold-chain parcel, or not handed over yet).',
    compliant: 'compliant',
    notCompliant: 'not compliant',
    inRange: 'Time in range',
    outRange: 'Time out of range',
    minMax: 'Min / max',
    mkt: 'Mean kinetic temperature (MKT)',
    readings: 'Readings',
    timeline: 'Timeline',
    inferred: 'inferred',
    kg: '{n} kg',
    min: '{n} min',
  },
);

interface SlaView {
  deadline: string | null;
  deadlineLeg: string | null;
  eta: string | null;
  etaSource: string | null;
  legs: Record<string, { minutes: number | null; onTime: boolean | null; endedAt: string | null }>;
}
interface Compliance {
  record: { compliant: boolean; minutesInRange: number; minutesOutOfRange: number; minC: number | null; maxC: number | null; mktC: number | null; readings: number; reasons: string[]; profileId: string };
  computedAt: string;
}

export function ParcelDetail({ parcel, stations, couriers }: { parcel: ParcelView; stations: Map<string, Station> | undefined; couriers?: Courier[] | undefined }) {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { principal } = useSession();
  const station = (id: string | null) => (id ? `${stations?.get(id)?.name ?? id}` : '—');
  const c = parcel.contract;
  const product = typeof c.product === 'string' ? c.product : null;
  const staff = principal.role === 'admin' || principal.role === 'operator';
  const coldReader = staff || principal.role === 'courier';
  const stateClass = parcel.exception || parcel.state === 'lost' || parcel.state === 'returned' ? 'bad' : parcel.state === 'delivered' || parcel.state === 'handed_over' ? 'ok' : 'warn';
  return (
    <>
      <Card>
        <div class="parcel-head" data-testid="parcel">
          <span class="waybill">{parcel.waybill}</span>
          <span class={`badge ${stateClass}`} data-testid="parcel-state">
            {term(tt, parcel.state)}
          </span>
          <span class="muted small">{term(tt, parcel.direction)}</span>
        </div>
        <dl class="facts">
          <div>
            <dt>{t('courier')}</dt>
            <dd>{couriers?.find((x) => x.id === parcel.courierId)?.name ?? parcel.courierId}</dd>
          </div>
          {parcel.destinationStationId ? (
            <div>
              <dt>{t('destination')}</dt>
              <dd data-testid="destination">{station(parcel.destinationStationId)}</dd>
            </div>
          ) : null}
          {parcel.originStationId ? (
            <div>
              <dt>{t('origin')}</dt>
              <dd data-testid="origin">{station(parcel.originStationId)}</dd>
            </div>
          ) : null}
          {parcel.townStationId ? (
            <div>
              <dt>{t('town')}</dt>
              <dd>{station(parcel.townStationId)}</dd>
            </div>
          ) : null}
          {product ? (
            <div>
              <dt>{t('product')}</dt>
              <dd>{product}</dd>
            </div>
          ) : null}
          {typeof c.weightKg === 'number' ? (
            <div>
              <dt>{t('weight')}</dt>
              <dd>{t('kg', { n: f.number(c.weightKg, 1) })}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('received')}</dt>
            <dd>{f.dateTime(parcel.receivedAt)}</dd>
          </div>
          <div>
            <dt>{t('registered')}</dt>
            <dd>{f.dateTime(parcel.createdAt)}</dd>
          </div>
          {parcel.exception ? (
            <div>
              <dt>{t('exception')}</dt>
              <dd class="bad">
                {parcel.exception.kind} · {f.dateTime(parcel.exception.since)}
              </dd>
            </div>
          ) : null}
          <div>
            <dt>{t('parcelId')}</dt>
            <dd class="small">{parcel.parcelId}</dd>
          </div>
        </dl>
      </Card>
      <div class="grid">
        {staff ? <SlaCard parcelId={parcel.parcelId} /> : null}
        {coldReader ? <ColdCard parcelId={parcel.parcelId} /> : null}
      </div>
      <Card title={t('timeline')}>
        <ol class="timeline" data-testid="timeline">
          {parcel.timeline.map((e) => (
            <li key={e.factId} class={e.inferred ? 'inferred' : undefined}>
              <span class="when">{f.dateTime(e.occurredAt)}</span>
              <span class="what">{term(tt, e.state)}</span>
              {e.inferred ? <span class="badge"> {t('inferred')}</span> : null}
              {e.exception ? <span class="badge bad"> {e.exception}</span> : null}
              <span class="where">
                {[e.fact, e.stationId ? station(e.stationId) : null, e.routeId, e.actor?.role, e.reason].filter(Boolean).join(' · ')}
              </span>
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}

function SlaCard({ parcelId }: { parcelId: string }) {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  const sla = useAsync((signal) => api.get<SlaView>('sla', `/sla/parcels/${parcelId}`, { signal }), [parcelId]);
  const missing = sla.error instanceof ApiError && sla.error.status === 404;
  const legs = sla.data ? legKeys.filter((l) => sla.data!.legs[l] && (sla.data!.legs[l]!.minutes !== null || l === sla.data!.deadlineLeg)) : [];
  return (
    <Card title={t('sla')}>
      {missing ? <p class="muted">{t('slaMissing')}</p> : <ErrorNote error={sla.error} onRetry={sla.reload} />}
      {sla.data ? (
        <div data-testid="sla">
          <dl class="facts">
            <div>
              <dt>{t('deadline')}</dt>
              <dd>
                {f.dateTime(sla.data.deadline)} {sla.data.deadlineLeg ? <span class="muted small">({term(tt, sla.data.deadlineLeg)})</span> : null}
              </dd>
            </div>
            <div>
              <dt>{t('eta')}</dt>
              <dd>{f.dateTime(sla.data.eta)}</dd>
            </div>
          </dl>
          {legs.length ? (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('leg')}</th>
                    <th class="num">{t('minutes')}</th>
                    <th>{t('onTime')}</th>
                  </tr>
                </thead>
                <tbody>
                  {legs.map((l) => {
                    const leg = sla.data!.legs[l]!;
                    return (
                      <tr key={l}>
                        <td>{term(tt, l)}</td>
                        <td class="num">{leg.minutes === null ? '—' : t('min', { n: f.number(leg.minutes) })}</td>
                        <td>{leg.onTime === null ? <span class="badge">{t('pending')}</span> : <span class={`badge ${leg.onTime ? 'ok' : 'bad'}`}>{leg.onTime ? t('yes') : t('no')}</span>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ) : !sla.error ? (
        <Loading />
      ) : null}
    </Card>
  );
}

function ColdCard({ parcelId }: { parcelId: string }) {
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  const cold = useAsync((signal) => api.get<Compliance>('coldchain', `/coldchain/parcels/${parcelId}/compliance`, { signal }), [parcelId]);
  const none = cold.error instanceof ApiError && cold.error.status === 404;
  const r = cold.data?.record;
  const c = (n: number | null) => (n === null ? '—' : `${f.number(n, 1)} °C`);
  return (
    <Card title={t('coldchain')}>
      {none ? <p class="muted">{t('noCold')}</p> : <ErrorNote error={cold.error} onRetry={cold.reload} />}
      {r ? (
        <div data-testid="compliance">
          <p>
            <span class={`badge ${r.compliant ? 'ok' : 'bad'}`}>{r.compliant ? t('compliant') : t('notCompliant')}</span> <span class="muted small">{r.profileId}</span>
          </p>
          <dl class="facts">
            <div>
              <dt>{t('inRange')}</dt>
              <dd>{t('min', { n: f.number(r.minutesInRange) })}</dd>
            </div>
            <div>
              <dt>{t('outRange')}</dt>
              <dd>{t('min', { n: f.number(r.minutesOutOfRange) })}</dd>
            </div>
            <div>
              <dt>{t('minMax')}</dt>
              <dd>
                {c(r.minC)} / {c(r.maxC)}
              </dd>
            </div>
            <div>
              <dt>{t('mkt')}</dt>
              <dd>{c(r.mktC)}</dd>
            </div>
            <div>
              <dt>{t('readings')}</dt>
              <dd>{f.number(r.readings)}</dd>
            </div>
          </dl>
          {r.reasons.length ? <p class="small bad">{r.reasons.join('; ')}</p> : null}
        </div>
      ) : !cold.error ? (
        <Loading />
      ) : null}
    </Card>
  );
}
