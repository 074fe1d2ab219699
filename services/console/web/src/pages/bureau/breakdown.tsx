/** The period's figures broken down by courier, town or direction (`GET /v1/metrics?groupBy=`). */
import { useState } from 'preact/hooks';
import { Card, ErrorNote, Loading, useAsync } from '../../components';
import { defineMessages, formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { legKeys, term, terms } from '../parcels-terms';
import type { Metrics } from './figures';

const m = defineMessages(
  {
    title: '分项',
    by: '按',
    courier: '快递公司',
    town: '乡镇',
    direction: '方向',
    key: '分组',
    downstream: '下行',
    upstream: '上行',
    breaches: '超时',
    compliance: '冷链合规',
    none: '这一期间没有数据。',
  },
  {
    title: 'Breakdown',
    by: 'By',
    courier: 'courier',
    town: 'town',
    direction: 'direction',
    key: 'Group',
    downstream: 'Downstream',
    upstream: 'Upstream',
    breaches: 'Late',
    compliance: 'Cold chain',
    none: 'No figures in this period.',
  },
);

type GroupBy = 'courier' | 'town' | 'direction';

export function Breakdown({ from, to }: { from: string; to: string }) {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  const [groupBy, setGroupBy] = useState<GroupBy>('courier');
  const data = useAsync((signal) => api.get<Metrics>('sla', '/v1/metrics', { query: { from, to, groupBy }, signal }), [from, to, groupBy]);
  const pct = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : f.pct(rate * 100));
  const groups = data.data?.groups ?? [];
  return (
    <Card
      title={t('title')}
      actions={
        <label class="inline-field">
          <span>{t('by')}</span>
          <select name="groupBy" value={groupBy} onChange={(e) => setGroupBy((e.target as HTMLSelectElement).value as GroupBy)}>
            {(['courier', 'town', 'direction'] as const).map((g) => (
              <option key={g} value={g}>
                {t(g)}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <ErrorNote error={data.error} onRetry={data.reload} />
      {!data.data ? (
        data.error ? null : <Loading />
      ) : groups.length === 0 ? (
        <p class="muted">{t('none')}</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="breakdown">
            <thead>
              <tr>
                <th>{t('key')}</th>
                <th class="num">{t('downstream')}</th>
                <th class="num">{t('upstream')}</th>
                {legKeys.map((k) => (
                  <th class="num" key={k}>
                    {term(tt, k)}
                  </th>
                ))}
                <th class="num">{t('breaches')}</th>
                <th class="num">{t('compliance')}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.key}>
                  <td>{groupBy === 'direction' ? term(tt, g.key) : g.key}</td>
                  <td class="num">{f.number(g.volumes.downstream)}</td>
                  <td class="num">{f.number(g.volumes.upstream)}</td>
                  {legKeys.map((k) => (
                    <td class="num" key={k}>
                      {pct(g.legs.find((l) => l.key === k)?.onTimeRate)}
                    </td>
                  ))}
                  <td class="num">{f.number(g.breaches)}</td>
                  <td class="num">{pct(g.coldChainCompliance.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
