// Issue #13's acceptance: a county day end to end. The four services run as processes on one accelerated clock
// (CLOCK_START, CLOCK_RATE, CLOCK_ORIGIN shared with the simulator); the demo county is seeded through intake's
// REST import and the simulator drives a smaller day through the real interfaces only (demo/simulator). Then:
// every announced parcel is accounted for exactly once in every service, in the same final state; the injected
// excursion gave exactly one alarm and non-compliant records for exactly the parcels in that compartment; the
// silent sensor raised its alarm; and the bureau's cost reduction against the counterfactual is at least 20 %.
import { readFile } from 'node:fs/promises';
import type { Envelope } from '@county/contracts';
import { createKafka, createPool, readTopic, type Kafka, type Pool } from '@county/platform';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DemoCounty, DemoDemand } from '../demo/demo-types.js';
import { compareWithMetrics, readTopics } from '../demo/recompute.js';
import { seedDemoCounty, simulateDay, type DayResult, type DemoEndpoints, type HourProgress } from '../demo/simulator/index.js';
import { zonedInstant } from '../demo/simulator/time.js';
import { createAdminKey } from './support/dispatch-county.js';
import { testLogger, waitFor } from './support/harness.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';

const logger = testLogger('county-day');
/** A Tuesday in the yellow peach's season (21 Jul – 20 Aug, docs/domain-figures.md). */
const DAY = '2026-07-28';
/** 1 real second = 10 simulated minutes: the day in about two and a half minutes. */
const RATE = 600;
/** About 4.5 % of the county's figures: a few hundred parcels. */
const SCALE = 0.045;
/** Real seconds between the services' start and the simulated midnight the day begins at: starting and seeding. */
const LEAD_SECONDS = 75;

interface AlarmRaised {
  alarmId: string;
  containerId: string;
  kind: string;
  parcelIds: string[];
}
interface ComplianceRecorded {
  parcelId: string;
  revision: number;
  compliant: boolean;
  reasons: string[];
}

describe('a county day through the four services', () => {
  let stack: Stack;
  let county: DemoCounty;
  let demand: DemoDemand;
  let adminKey: string;
  let endpoints: DemoEndpoints;
  let kafka: Kafka;
  const pools: Record<string, Pool> = {};
  let day: DayResult;
  const hours: HourProgress[] = [];

  beforeAll(async () => {
    county = JSON.parse(await readFile(new URL('../demo/county/county.json', import.meta.url), 'utf8')) as DemoCounty;
    demand = JSON.parse(await readFile(new URL('../demo/county/demand.json', import.meta.url), 'utf8')) as DemoDemand;
    const dayStart = zonedInstant(DAY, '00:00', county.county.timeZone);
    const clock = { start: dayStart, rate: RATE, origin: new Date(Date.now() + LEAD_SECONDS * 1000) };
    // A longer Kafka session than the suite's 6 s: on a loaded machine a consumer that misses heartbeats for a few
    // seconds would be rebalanced out, and its lag is tens of simulated minutes.
    stack = await startStack({
      CLOCK_START: clock.start.toISOString(),
      CLOCK_RATE: String(RATE),
      CLOCK_ORIGIN: clock.origin.toISOString(),
      KAFKA_SESSION_TIMEOUT_MS: '30000',
    });
    const infra = inject('infra');
    for (const service of ['intake', 'dispatch', 'coldchain', 'sla'] as const) {
      pools[service] = createPool({ url: infra.DATABASE_URL, schema: `${stack.iso.schema}_${service}`, logger });
    }
    kafka = createKafka({ brokers: infra.KAFKA_BROKERS.split(','), clientId: 'county-day-e2e', logger });
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'), county.county.id);
    endpoints = { urls: stack.urls, kafkaBrokers: infra.KAFKA_BROKERS.split(','), topicPrefix: stack.iso.topicPrefix, mqttUrl: infra.MQTT_URL };
    await seedDemoCounty({ county, endpoints, adminKey, planBudgetSeconds: 2, demand, day: DAY });
    // Seeding twice changes nothing (the import answers unchanged records; settings and profiles are replaced alike).
    await seedDemoCounty({ county, endpoints, adminKey, planBudgetSeconds: 2, demand, day: DAY });
    day = await simulateDay({ county, endpoints, adminKey, demand, clock, day: DAY, seed: 7, scale: SCALE, onHour: (h) => hours.push(h) });
    if (process.env.SIM_DEBUG) {
      const get = async (url: string) => (await fetch(url, { headers: { 'x-api-key': adminKey } })).json();
      const debug = {
        hours: hours.at(-1),
        notes: day.notes,
        faults: day.faults,
        injected: day.injected,
        excursions: await get(`${stack.urls.coldchain}/coldchain/excursions?includeSuperseded=true`),
        alarms: await get(`${stack.urls.coldchain}/coldchain/alarms`),
        metrics: await get(`${stack.urls.sla}/v1/metrics?from=${DAY}&to=${DAY}`),
      };
      process.stderr.write(`${JSON.stringify(debug, null, 1)}\n`);
    }
  }, 600_000);

  afterAll(async () => {
    await Promise.all(Object.values(pools).map((p) => p.end()));
    if (stack) {
      stack.child.kill('SIGTERM');
      await stack.exited;
    }
  });

  it('reports each simulated hour, and the day announced parcels and drove routes', () => {
    expect(day.waybills.length).toBeGreaterThan(100);
    expect(new Set(day.waybills).size).toBe(day.waybills.length);
    expect(hours.length).toBeGreaterThanOrEqual(20);
    const last = hours.at(-1)!;
    expect(last.parcelsAnnounced).toBe(day.waybills.length);
    expect(last.routesConfirmed).toBeGreaterThan(0);
    expect(last.parcelsDelivered).toBeGreaterThan(0);
    expect(day.faults.excursion).toBeDefined();
  });

  it('accounts for every announced parcel exactly once in every service, in the same final state', async () => {
    // intake: one parcel per announced waybill (the conflicting second announcement kept the first).
    const { rows: atIntake } = await pools.intake!.query<{ id: string; waybill: string; state: string; direction: string }>(
      `SELECT id::text, waybill, state, direction FROM parcels`,
    );
    const downstream = atIntake.filter((p) => p.direction === 'downstream');
    expect(downstream.map((p) => p.waybill).sort()).toEqual([...day.waybills].sort());
    const expected = new Map(atIntake.map((p) => [p.id, p.state]));

    // dispatch's and sla's read models: the same parcels, once each, each in intake's state (once they caught up).
    const disagreements = async () => {
      const found: string[] = [];
      for (const [service, sql] of [
        ['dispatch', `SELECT parcel_id::text AS id, state FROM parcels`],
        ['sla', `SELECT parcel_id::text AS id, state FROM sla_parcels`],
      ] as const) {
        const { rows } = await pools[service]!.query<{ id: string; state: string }>(sql);
        const seen = new Map<string, number>();
        for (const row of rows) {
          seen.set(row.id, (seen.get(row.id) ?? 0) + 1);
          if (expected.get(row.id) !== row.state) found.push(`${service}: ${row.id} is ${row.state}, intake says ${expected.get(row.id)}`);
        }
        for (const id of expected.keys()) if (seen.get(id) !== 1) found.push(`${service}: ${id} held ${seen.get(id) ?? 0} times`);
      }
      return found;
    };
    let last: string[] = [];
    await waitFor(
      async () => {
        last = await disagreements();
        return last.length === 0 ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2000 },
    ).catch(() => undefined);
    if (process.env.SIM_DEBUG && last.length > 0) {
      for (const line of last.slice(0, 4)) {
        const id = line.split(' ')[1]!;
        const intake = await (await fetch(`${stack.urls.intake}/parcels/${id}`, { headers: { 'x-api-key': adminKey } })).json();
        const sla = await (await fetch(`${stack.urls.sla}/sla/parcels/${id}`, { headers: { 'x-api-key': adminKey } })).json();
        process.stderr.write(`${JSON.stringify({ line, intake, sla }, null, 1)}\n`);
      }
    }
    expect(last.slice(0, 20)).toEqual([]);
    expect(last.length).toBe(0);

    // coldchain: every cold parcel that left custody at a station or to the line-haul has its compliance record.
    const { rows: coldAtIntake } = await pools.intake!.query<{ id: string }>(
      `SELECT id::text FROM parcels WHERE contract->>'coldChainProfileId' IS NOT NULL AND state IN ('at_station', 'delivered', 'handed_over')`,
    );
    expect(coldAtIntake.length).toBeGreaterThan(0);
    await waitFor(
      async () => {
        const { rows } = await pools.coldchain!.query<{ n: number }>(`SELECT count(DISTINCT parcel_id)::int AS n FROM compliance_records WHERE parcel_id = ANY($1::uuid[])`, [
          coldAtIntake.map((p) => p.id),
        ]);
        return rows[0]!.n === coldAtIntake.length ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
  }, 240_000);

  it('raised exactly one tolerance alarm for the excursion, non-compliant records for exactly its parcels, and the silent sensor’s alarm', async () => {
    const { excursion, silentSensor } = day.injected;
    expect(excursion.parcelIds.length).toBeGreaterThan(0);
    const events = async () => {
      const byId = new Map<string, Envelope>();
      for (const m of await readTopic<Envelope>(kafka, `${stack.iso.topicPrefix}coldchain.events`)) byId.set(m.value.id, m.value);
      return [...byId.values()];
    };
    const alarms = await waitFor(
      async () => {
        const raised = (await events()).filter((e) => e.type === 'coldchain.alarm_raised').map((e) => e.data as AlarmRaised);
        return raised.some((a) => a.kind === 'sensor_silent' && a.containerId === silentSensor.containerId) ? raised : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2000 },
    );
    const excursionParcels = new Set(excursion.parcelIds);
    const tolerance = alarms.filter((a) => a.kind === 'tolerance_exceeded');
    if (process.env.SIM_DEBUG) {
      for (const id of excursion.parcelIds) {
        const bindings = await (await fetch(`${stack.urls.coldchain}/coldchain/bindings?parcelId=${id}`, { headers: { 'x-api-key': adminKey } })).json();
        const intake = await (await fetch(`${stack.urls.intake}/parcels/${id}`, { headers: { 'x-api-key': adminKey } })).json();
        process.stderr.write(`${JSON.stringify({ id, bindings, intake, tolerance }, null, 1)}\n`);
      }
    }
    expect(tolerance.map((a) => a.containerId)).toEqual([excursion.containerId]);
    // The alarm names the parcels coldchain knew in the compartment when it raised it: custody events still on their
    // way then (a pickup reported just before) are not added to it afterwards; the compliance records below are.
    expect(tolerance[0]!.parcelIds.length).toBeGreaterThan(0);
    for (const id of tolerance[0]!.parcelIds) expect(excursionParcels.has(id)).toBe(true);

    // Each cold parcel's latest record: non-compliant exactly for the parcels in the compartment during the excursion.
    const records = await waitFor(
      async () => {
        const latest = new Map<string, ComplianceRecorded>();
        for (const e of await events()) {
          if (e.type !== 'coldchain.compliance_recorded') continue;
          const r = e.data as ComplianceRecorded;
          if ((latest.get(r.parcelId)?.revision ?? 0) < r.revision) latest.set(r.parcelId, r);
        }
        return excursion.parcelIds.every((id) => latest.has(id)) ? latest : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2000 },
    );
    const nonCompliant = [...records.values()].filter((r) => !r.compliant);
    expect(nonCompliant.map((r) => r.parcelId).sort()).toEqual(excursion.parcelIds);
    for (const r of nonCompliant) expect(r.reasons.join(' ')).toMatch(/tolerance_exceeded/);
    expect([...records.values()].filter((r) => r.compliant && excursionParcels.has(r.parcelId))).toEqual([]);
  });

  it('shows the bureau a cost reduction of at least 20 % against each courier alone', async () => {
    const metrics = await waitFor(
      async () => {
        const res = await fetch(`${stack.urls.sla}/v1/metrics?from=${DAY}&to=${DAY}`, { headers: { 'x-api-key': adminKey } });
        const body = (await res.json()) as { cost: { waves: number; parcels: number; reductionVsCounterfactualPct: number | null; costPerParcelYuan: number | null; counterfactualCostPerParcelYuan: number | null } };
        return body.cost.waves > 0 ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    logger.info({ cost: metrics.cost }, 'the day’s cost');
    expect(metrics.cost.reductionVsCounterfactualPct).toBeGreaterThanOrEqual(20);
  });

  it("gives the bureau figures equal to a recomputation from the raw events on the topics (demo/recompute.ts)", async () => {
    // sla folds the same events the topics hold: once it has caught up, every figure agrees.
    let last: ReturnType<typeof compareWithMetrics> | undefined;
    const result = await waitFor(
      async () => {
        const res = await fetch(`${stack.urls.sla}/v1/metrics?from=${DAY}&to=${DAY}`, { headers: { 'x-api-key': adminKey } });
        if (res.status !== 200) throw new Error(`GET /v1/metrics: ${res.status}`);
        const raw = await readTopics({ brokers: endpoints.kafkaBrokers, topicPrefix: stack.iso.topicPrefix, countyId: county.county.id });
        last = compareWithMetrics(raw, await res.json(), DAY, DAY);
        return last.mismatches.length === 0 ? last : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 3000 },
    ).catch(() => last);
    expect(result?.mismatches).toEqual([]);
    expect((result!.recomputed as { volumes: { downstream: number } }).volumes.downstream).toBeGreaterThan(0);
  }, 180_000);
});
