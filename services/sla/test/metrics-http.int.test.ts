import { randomUUID } from 'node:crypto';
import type { Role } from '@county/contracts';
import type { Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { checkMetrics, clientLibraryProblems } from '../../../tests/support/promtool.js';
import { countyRecord, masterDataEvent } from '../../dispatch/test/readmodel-events.js';
import { applied, publishTo, runningSla, standInProducer, topicOf } from './metrics-support.js';

/** The bureau's endpoint at its edges: who may call it, what bad input gets, and the gauges on /metrics. */

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
const NOW = new Date('2026-06-20T04:00:00Z');
let runtime: Runtime;
let app: Awaited<ReturnType<typeof runningSla>>['app'];
let keys: Partial<Record<Role, string>>;

beforeAll(async () => {
  const sla = await runningSla(config, { clock: () => NOW });
  ({ runtime, app } = sla);
  keys = {
    bureau: await sla.issue({ countyId, role: 'bureau', name: 'commerce bureau' }),
    admin: await sla.issue({ countyId, role: 'admin', name: 'admin' }),
    operator: await sla.issue({ countyId, role: 'operator', name: 'operator' }),
    courier: await sla.issue({ countyId, role: 'courier', name: 'zto', scope: { courierId: 'zto' } }),
    station: await sla.issue({ countyId, role: 'station', name: 'v1', scope: { stationId: 'v1' } }),
    driver: await sla.issue({ countyId, role: 'driver', name: 'driver', scope: { vehicleIds: ['van-1'] } }),
  };
  const producer = await standInProducer(config);
  const county = masterDataEvent('county', countyRecord(countyId));
  await publishTo(producer, config, topicOf.masterdata, [county]);
  await applied(runtime.pool, 'sla.metrics-masterdata', [county.event.id]);
  // The timeline re-measures the county's parcels when the county changes: the stand-in rows go in after.
  await applied(runtime.pool, 'sla.timeline-masterdata', [county.event.id]);
  await producer.disconnect();
  for (const [courier, minutes] of [['zto', 600], ['zto', 900], ['yto', 2000]] as const) {
    await runtime.pool.query(
      `INSERT INTO sla_parcels (county_id, parcel_id, courier_id, direction, state, state_at, state_fact_id, open, measured_at, received_at, center_to_village_minutes, center_to_village_on_time)
       VALUES ($1, $2, $3, 'downstream', 'delivered', $4, $7, false, $4, $4, $5, $6)`,
      [countyId, randomUUID(), courier, '2026-06-18T02:00:00Z', minutes, minutes <= 1440, `fact-${courier}-${minutes}`],
    );
  }
}, 120_000);

afterAll(async () => {
  await runtime?.lifecycle.shutdown();
});

const get = (url: string, key?: string) => app.inject({ method: 'GET', url, headers: key ? { 'x-api-key': key } : {} });

describe("the bureau's endpoint", () => {
  it('answers the bureau and admins, and nobody else', async () => {
    for (const url of ['/v1/metrics?from=2026-06-01&to=2026-06-30', '/v1/reports/monthly?month=2026-06']) {
      expect((await get(url, keys.bureau)).statusCode, url).toBe(200);
      expect((await get(url, keys.admin)).statusCode, url).toBe(200);
      for (const role of ['operator', 'courier', 'station', 'driver'] as const) {
        const res = await get(url, keys[role]);
        expect(res.statusCode, `${role} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
      expect((await get(url)).statusCode).toBe(401);
    }
  });

  it('refuses bad input with 400 naming the field and the reason', async () => {
    const cases: [string, string, RegExp][] = [
      ['/v1/metrics?to=2026-06-30', 'from', /./],
      ['/v1/metrics?from=2026-06-01&to=30.06.2026', 'to', /YYYY-MM-DD/],
      ['/v1/metrics?from=2026-06-30&to=2026-06-01', 'to', /not before from/],
      ['/v1/metrics?from=2025-01-01&to=2026-06-01', 'to', /at most 366 days/],
      ['/v1/metrics?from=2026-06-01&to=2026-06-30&groupBy=vehicle', 'groupBy', /courier, town, direction, day/],
      ['/v1/metrics?from=2026-02-30&to=2026-03-01', 'from', /./],
      ['/v1/reports/monthly?month=2026-13', 'month', /YYYY-MM/],
      ['/v1/reports/monthly', 'month', /./],
    ];
    for (const [url, field, reason] of cases) {
      const res = await get(url, keys.bureau);
      expect(res.statusCode, url).toBe(400);
      const body = res.json() as { error: { code: string; details: { path: string; reason: string }[] } };
      expect(body.error.code, url).toBe('VALIDATION_FAILED');
      const detail = body.error.details.find((d) => d.path.endsWith(field));
      expect(detail, `${url}: ${JSON.stringify(body.error.details)}`).toBeDefined();
      expect(detail?.reason, url).toMatch(reason);
    }
  });

  it('serves the figures as gauges by county, leg and courier that promtool checks clean', async () => {
    const text = (await get('/metrics')).body;
    expect(text).toContain('sla_leg_on_time_ratio{county="cn-511623",leg="center_to_village",courier="zto",service="sla"} 1');
    expect(text).toContain('sla_leg_on_time_ratio{county="cn-511623",leg="center_to_village",courier="yto",service="sla"} 0');
    expect(text).toContain('sla_parcels_downstream{county="cn-511623",courier="zto",service="sla"} 2');
    expect(text).toContain('sla_leg_duration_p50_seconds{county="cn-511623",leg="center_to_village",service="sla"} 54000');
    const { problems } = await checkMetrics(text);
    expect(problems.filter((p) => !clientLibraryProblems.includes(p))).toEqual([]);
  });
});
