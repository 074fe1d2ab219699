// `npm run bench:sla` (stage `query`): a one-month metrics query for a county with 600,000 parcels in the month,
// each groupBy, through sla's HTTP app (GET /v1/metrics, JSON), over real Postgres. The parcels are bulk-inserted
// into the read-model tables (`sla_parcels`, as the timeline folds them; the metrics' own tables as its consumers
// fill them), not folded from events: the fold has its own bench (bench/sla-fold.ts). Prints JSON lines
// {"bench", "value", "unit"}: `sla.month_query.p50_ms` and `sla.month_query.p99_ms` over every groupBy, and one
// line of each per groupBy (with `groupBy`). scripts/bench-sla.mjs brings up what it needs; this file measures.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connectRedis, createLogger, createMetricsRegistry, createOutbox, createPool, createRedis, issueKey, migrateService, withTransaction, type BaseConfig } from '@county/platform';
import { buildApp } from '../services/sla/src/app.js';
import { countyRecord } from '../services/sla/test/timeline-events.js';

const PARCELS = Number(process.env.BENCH_SLA_PARCELS ?? 600_000);
const RUNS = Number(process.env.BENCH_SLA_RUNS ?? 30);
const WARMUP = 3;
const TOWNS = 17;
const VILLAGE_STATIONS = 282;
const COURIERS = ['zto', 'yto', 'sto', 'yunda', 'jt', 'ems', 'sf'];
const countyId = 'cn-430225';
const MONTH = { from: '2026-06-01', to: '2026-06-30' };

const id = randomBytes(3).toString('hex');
const schema = `bench_${id}_sla`;
const logger = createLogger({ service: 'bench', level: 'error' });
const migrationsDir = fileURLToPath(new URL('../services/sla/db/migrations', import.meta.url));

function emit(bench: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Math.round(value * 1000) / 1000, unit, ...extra })}\n`);
}

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};

async function seed(pool: ReturnType<typeof createPool>): Promise<void> {
  await pool.query(`INSERT INTO metrics_counties VALUES ($1, 'Asia/Shanghai')`, [countyId]);
  const county = countyRecord(countyId);
  await pool.query(`INSERT INTO sla_counties VALUES ($1, $2, $3, $4, $5)`, [countyId, county.timeZone, JSON.stringify(county.sla), JSON.stringify(county.waves), JSON.stringify(county)]);
  await pool.query(`INSERT INTO metrics_towns SELECT $1, 'town-' || t, true FROM generate_series(1, $2::int) t`, [countyId, TOWNS]);
  await pool.query(
    `INSERT INTO metrics_villages SELECT $1, '430225' || lpad(v::text, 6, '0'), 'town-' || (1 + v % $2::int), v % 5 = 0, true FROM generate_series(1, $3::int) v`,
    [countyId, TOWNS, VILLAGE_STATIONS + 40],
  );
  await pool.query(
    `INSERT INTO metrics_stations SELECT $1, 'st-town-' || t, 'town', 'town-' || t, '{}', '{"kind":"daily"}', true FROM generate_series(1, $2::int) t`,
    [countyId, TOWNS],
  );
  await pool.query(
    `INSERT INTO metrics_stations SELECT $1, 'st-village-' || v, 'village', 'town-' || (1 + v % $2::int), ARRAY['430225' || lpad(v::text, 6, '0')],
            CASE WHEN v % 2 = 0 THEN '{"kind":"daily"}'::jsonb ELSE '{"kind":"every_n_days","everyDays":2,"anchorDate":"2026-06-01"}'::jsonb END, true
       FROM generate_series(1, $3::int) v`,
    [countyId, TOWNS, VILLAGE_STATIONS],
  );
  // Hand-overs: every station every day of the month but a few.
  await pool.query(
    `INSERT INTO metrics_handovers SELECT $1, 'r-' || d::date || '-' || s.station_id, s.station_id, 1, d::date, d + interval '10 hours', 20
       FROM metrics_stations s, generate_series('2026-06-01'::date, '2026-06-30'::date, interval '1 day') d
      WHERE s.county_id = $1 AND random() > 0.01`,
    [countyId],
  );
  await pool.query(
    `INSERT INTO metrics_wave_costs SELECT $1, d::date, w, 'plan-' || d::date || w, d, 10000, 15000 + random() * 2000, 20000 + random() * 2000, 2.6
       FROM generate_series('2026-06-01'::date, '2026-06-30'::date, interval '1 day') d, unnest(ARRAY['am', 'pm']) w`,
    [countyId],
  );
  // The parcels go in with the metrics' triggers off, then the county's aggregates are counted once from its rows
  // (`metrics_cube_rebuild`, the same statement the triggers run, over all of them at once).
  await pool.query(`ALTER TABLE sla_parcels DISABLE TRIGGER USER`);
  // 600,000 parcels in June: 60 % downstream (both tiers measured), 40 % upstream; 7 couriers, 17 towns, 282 village stations.
  const CHUNK = 100_000;
  for (let start = 0; start < PARCELS; start += CHUNK) {
    await pool.query(
      `INSERT INTO sla_parcels (county_id, parcel_id, courier_id, direction, destination_station_id, origin_station_id, town_id, village_code,
                                declared_value_yuan, state, state_at, state_fact_id, open, measured_at, received_at, collected_at,
                                center_to_town_minutes, town_to_village_minutes, center_to_village_minutes, village_to_center_minutes,
                                center_to_town_on_time, town_to_village_on_time, center_to_village_on_time, village_to_center_on_time)
       SELECT $1, gen_random_uuid(), ($2::text[])[1 + (i % $3::int)], dir,
              CASE WHEN dir = 'downstream' THEN 'st-village-' || st END, CASE WHEN dir = 'upstream' THEN 'st-village-' || st END,
              'town-' || (1 + st % $4::int), '430225' || lpad(st::text, 6, '0'), round((random() * 200)::numeric, 2), 'delivered', at, 'fact-' || i, false, at,
              CASE WHEN dir = 'downstream' THEN at END, CASE WHEN dir = 'upstream' THEN at END,
              CASE WHEN dir = 'downstream' THEN ctt END, CASE WHEN dir = 'downstream' THEN ttv END,
              CASE WHEN dir = 'downstream' THEN ctt + ttv END, CASE WHEN dir = 'upstream' THEN ctt + ttv END,
              CASE WHEN dir = 'downstream' THEN ctt <= 720 END, CASE WHEN dir = 'downstream' THEN ttv <= 1440 END,
              CASE WHEN dir = 'downstream' THEN ctt + ttv <= 1440 END, CASE WHEN dir = 'upstream' THEN ctt + ttv <= 1440 END
         FROM (SELECT i, CASE WHEN i % 5 < 3 THEN 'downstream' ELSE 'upstream' END AS dir, (1 + (i::bigint * 7919) % $5::int)::int AS st,
                      timestamptz '2026-05-31 16:00:00+00' + (random() * 30 * 86400) * interval '1 second' AS at,
                      (60 + floor(random() * 900))::int AS ctt, (30 + floor(random() * 1000))::int AS ttv
                 FROM generate_series($6::int, $7::int) i) g`,
      [countyId, COURIERS, COURIERS.length, TOWNS, VILLAGE_STATIONS, start, Math.min(PARCELS, start + CHUNK) - 1],
    );
  }
  await pool.query(`ALTER TABLE sla_parcels ENABLE TRIGGER USER`);
  // Compliance for the cold-chain tenth of them.
  await pool.query(
    `INSERT INTO metrics_compliance SELECT county_id, parcel_id, 1, 'fruit-chilled', coalesce(received_at, collected_at) + interval '20 hours', random() > 0.05
       FROM sla_parcels WHERE county_id = $1 AND random() < 0.1`,
    [countyId],
  );
  await pool.query(`UPDATE metrics_compliance c SET courier_id = p.courier_id, town_id = p.town_id, direction = p.direction FROM sla_parcels p WHERE p.parcel_id = c.parcel_id`);
  await pool.query(`SELECT metrics_cube_rebuild($1)`, [countyId]);
  await pool.query(`VACUUM ANALYZE sla_parcels`);
  for (const t of ['metrics_cube', 'metrics_station_days', 'metrics_compliance_days', 'metrics_leg_minutes_day', 'metrics_leg_minutes_month', 'metrics_leg_buckets_day', 'metrics_leg_buckets_month']) await pool.query(`VACUUM ANALYZE ${t}`);
  await pool.query(`ANALYZE`);
}

async function main(): Promise<void> {
  const config = {
    DATABASE_URL: process.env.DATABASE_URL!,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    REDIS_URL: process.env.REDIS_URL!,
    DB_SCHEMA: schema,
    TOPIC_PREFIX: `bench-${id}.`,
    GROUP_PREFIX: `bench-${id}.`,
    LOG_LEVEL: 'error',
    PORT: 0,
  } as unknown as BaseConfig;
  await migrateService({ url: config.DATABASE_URL, schema, dir: migrationsDir, logger });
  const pool = createPool({ url: config.DATABASE_URL, schema, logger });
  const redis = createRedis(config.REDIS_URL, logger);
  await connectRedis(redis);
  const outbox = createOutbox({ topicPrefix: config.TOPIC_PREFIX });
  try {
    const seeded = Date.now();
    await seed(pool);
    process.stderr.write(`seeded ${PARCELS} parcels in ${Date.now() - seeded} ms\n`);
    const app = await buildApp({ service: 'sla', config, logger, metrics: createMetricsRegistry('sla'), health: [], pool, redis, outbox, clock: () => new Date('2026-07-01T00:00:00Z') });
    await app.ready();
    const key = (await withTransaction(pool, (tx) => issueKey(tx, outbox, { countyId, role: 'bureau', name: 'bench', rateLimitPerMinute: 100_000 }, new Date()))).key;
    const all: number[] = [];
    for (const groupBy of ['courier', 'town', 'direction', 'day']) {
      const url = `/v1/metrics?from=${MONTH.from}&to=${MONTH.to}&groupBy=${groupBy}`;
      const times: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i += 1) {
        const t = process.hrtime.bigint();
        const res = await app.inject({ method: 'GET', url, headers: { 'x-api-key': key } });
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
        if (i === 0) {
          const body = res.json() as { totals: { volumes: { downstream: number; upstream: number } } };
          if (body.totals.volumes.downstream + body.totals.volumes.upstream !== PARCELS) throw new Error(`${url}: counted ${JSON.stringify(body.totals.volumes)}, not ${PARCELS}`);
        }
        if (i >= WARMUP) times.push(ms);
      }
      all.push(...times);
      emit('sla.month_query.p50_ms', quantile(times, 0.5), 'ms', { groupBy, parcels: PARCELS, runs: RUNS });
      emit('sla.month_query.p99_ms', quantile(times, 0.99), 'ms', { groupBy, parcels: PARCELS, runs: RUNS });
    }
    emit('sla.month_query.p50_ms', quantile(all, 0.5), 'ms', { parcels: PARCELS, runs: all.length });
    emit('sla.month_query.p99_ms', quantile(all, 0.99), 'ms', { parcels: PARCELS, runs: all.length, target: 500 });
    await app.close();
  } finally {
    redis.disconnect();
    if (!process.env.BENCH_SLA_KEEP) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    else process.stderr.write(`kept schema ${schema}\n`);
    await pool.end();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
