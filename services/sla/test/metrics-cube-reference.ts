import type { Queryable } from '@county/platform';

/**
 * The bureau's parcel figures as they were computed before the aggregates of migration 0030: straight from the
 * timeline's rows (`sla_parcels`), one scan per answer. `metrics-cube.int.test.ts` compares the aggregates with them.
 */

const legs = ['center_to_town', 'town_to_village', 'center_to_village', 'village_to_center'] as const;
export type GroupBy = 'courier' | 'town' | 'direction' | 'day';

function groupKey(groupBy: GroupBy | undefined, entry = 'p.entry_at'): string {
  switch (groupBy) {
    case 'courier':
      return `coalesce(p.courier_id, 'unknown') COLLATE "C"`;
    case 'town':
      return `coalesce(p.town_id, 'unknown') COLLATE "C"`;
    case 'direction':
      return `coalesce(p.direction, 'unknown') COLLATE "C"`;
    case 'day':
      return `to_char((${entry} AT TIME ZONE $4), 'YYYY-MM-DD') COLLATE "C"`;
    default:
      return `'all'`;
  }
}

const periodParcels = `
  WITH bounds AS (SELECT ($2::date::timestamp AT TIME ZONE $4) AS lo, (($3::date + 1)::timestamp AT TIME ZONE $4) AS hi),
  p AS (
    SELECT s.*, s.received_at AS entry_at FROM sla_parcels s, bounds
     WHERE s.county_id = $1 AND s.direction = 'downstream' AND s.received_at >= bounds.lo AND s.received_at < bounds.hi
    UNION ALL
    SELECT s.*, s.collected_at AS entry_at FROM sla_parcels s, bounds
     WHERE s.county_id = $1 AND s.direction = 'upstream' AND s.collected_at >= bounds.lo AND s.collected_at < bounds.hi
  )`;

export interface Figures {
  volumes: { key: string | null; downstream: number; upstream: number }[];
  legs: { key: string | null; leg: string; measured: number; onTime: number; p50: number | null; p90: number | null }[];
}

/** Volumes, each leg's counts and percentile_disc p50 / p90, per group (totals key null with a breakdown, else 'all'). */
export async function rowVolumesAndLegs(db: Queryable, countyId: string, from: string, to: string, tz: string, groupBy?: GroupBy): Promise<Figures> {
  const legCols = legs
    .map((l) => {
      const measured = `p.${l}_minutes IS NOT NULL AND p.${l}_on_time IS NOT NULL`;
      return `count(*) FILTER (WHERE ${measured}) AS ${l}_m, count(*) FILTER (WHERE ${measured} AND p.${l}_on_time) AS ${l}_o,
              percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY p.${l}_minutes) FILTER (WHERE ${measured}) AS ${l}_p`;
    })
    .join(',\n');
  const { rows } = await db.query<Record<string, unknown>>(
    `${periodParcels}
     SELECT ${groupKey(groupBy)} AS key, count(*) FILTER (WHERE p.direction = 'downstream') AS downstream, count(*) FILTER (WHERE p.direction = 'upstream') AS upstream, ${legCols}
       FROM p GROUP BY ${groupBy ? 'GROUPING SETS ((1), ())' : '1'} HAVING count(*) > 0 ORDER BY 1`,
    [countyId, from, to, tz],
  );
  const out: Figures = { volumes: [], legs: [] };
  for (const r of rows) {
    const key = r.key as string | null;
    out.volumes.push({ key, downstream: Number(r.downstream), upstream: Number(r.upstream) });
    for (const leg of legs) {
      const measured = Number(r[`${leg}_m`]);
      if (measured === 0) continue;
      const p = (r[`${leg}_p`] as (number | null)[] | null) ?? [null, null];
      out.legs.push({ key, leg, measured, onTime: Number(r[`${leg}_o`]), p50: p[0] ?? null, p90: p[1] ?? null });
    }
  }
  return out;
}

/** Per county day: volumes and each leg's measured and on-time counts. */
export async function rowDailyTotals(db: Queryable, countyId: string, from: string, to: string, tz: string) {
  const legCols = legs.map((l) => `count(*) FILTER (WHERE p.${l}_on_time IS NOT NULL AND p.${l}_minutes IS NOT NULL) AS ${l}_m, count(*) FILTER (WHERE p.${l}_on_time AND p.${l}_minutes IS NOT NULL) AS ${l}_o`).join(', ');
  const { rows } = await db.query<Record<string, string>>(
    `${periodParcels}
     SELECT ${groupKey('day')} AS day, count(*) FILTER (WHERE p.direction = 'downstream') AS downstream, count(*) FILTER (WHERE p.direction = 'upstream') AS upstream, ${legCols}
       FROM p GROUP BY 1 ORDER BY 1`,
    [countyId, from, to, tz],
  );
  return rows.map((r) => ({
    day: r.day as string,
    downstream: Number(r.downstream),
    upstream: Number(r.upstream),
    legs: Object.fromEntries(legs.map((l) => [l, { measured: Number(r[`${l}_m`]), onTime: Number(r[`${l}_o`]) }])),
  }));
}

/** Compliance records by the record's `to`, grouped through their parcel. */
export async function rowCompliance(db: Queryable, countyId: string, from: string, to: string, tz: string, groupBy?: GroupBy) {
  const { rows } = await db.query<{ key: string; records: string; compliant: string }>(
    `SELECT ${groupKey(groupBy, 'c.recorded_to')} AS key, count(*) AS records, count(*) FILTER (WHERE c.compliant) AS compliant
       FROM metrics_compliance c LEFT JOIN sla_parcels p ON p.county_id = c.county_id AND p.parcel_id = c.parcel_id
      WHERE c.county_id = $1 AND c.recorded_to >= ($2::date::timestamp AT TIME ZONE $4) AND c.recorded_to < (($3::date + 1)::timestamp AT TIME ZONE $4)
      GROUP BY 1 ORDER BY 1`,
    [countyId, from, to, tz],
  );
  return rows.map((r) => ({ key: r.key, records: Number(r.records), compliant: Number(r.compliant) }));
}

/** Each active village station's upstream parcels and value and downstream value per whole month. */
export async function rowStationMonths(db: Queryable, countyId: string, from: string, to: string, tz: string) {
  const { rows } = await db.query<{ station_id: string; month: string; up: string | null; up_value: string | null; down_value: string | null }>(
    `WITH bounds AS (SELECT (date_trunc('month', $2::date)::timestamp AT TIME ZONE $4) AS lo, ((date_trunc('month', $3::date) + interval '1 month')::timestamp AT TIME ZONE $4) AS hi),
     act AS (
       SELECT s.origin_station_id AS station_id, to_char(s.collected_at AT TIME ZONE $4, 'YYYY-MM') AS month, count(*) AS up, sum(coalesce(s.declared_value_yuan, 0)) AS up_value, 0::numeric AS down_value
         FROM sla_parcels s, bounds WHERE s.county_id = $1 AND s.direction = 'upstream' AND s.collected_at >= bounds.lo AND s.collected_at < bounds.hi GROUP BY 1, 2
       UNION ALL
       SELECT s.destination_station_id, to_char(s.received_at AT TIME ZONE $4, 'YYYY-MM'), 0, 0, sum(coalesce(s.declared_value_yuan, 0))
         FROM sla_parcels s, bounds WHERE s.county_id = $1 AND s.direction = 'downstream' AND s.received_at >= bounds.lo AND s.received_at < bounds.hi GROUP BY 1, 2
     ),
     months AS (SELECT to_char(m, 'YYYY-MM') AS month FROM generate_series(date_trunc('month', $2::date), date_trunc('month', $3::date), interval '1 month') m)
     SELECT st.station_id, months.month, sum(act.up) AS up, sum(act.up_value) AS up_value, sum(act.down_value) AS down_value
       FROM metrics_stations st CROSS JOIN months LEFT JOIN act ON act.station_id = st.station_id AND act.month = months.month
      WHERE st.county_id = $1 AND st.kind = 'village' AND st.active
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [countyId, from, to, tz],
  );
  return rows.map((r) => ({ stationId: r.station_id, month: r.month, upstreamParcels: Number(r.up ?? 0), upstreamValueYuan: Number(r.up_value ?? 0), downstreamValueYuan: Number(r.down_value ?? 0) }));
}
