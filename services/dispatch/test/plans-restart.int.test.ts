// Issue #10 acceptance: "Kill dispatch between confirming and the relay publishing: after restart every parcel is
// sorted exactly once." Dispatch runs as its own process (`node services/dispatch/dist/main.js`, as `npm start`
// runs it; build first with `npx tsc -b`). The first process cannot reach the broker, so its confirm stays in the
// outbox; it is killed with SIGKILL; a fresh process on the same schema and topics publishes every event of the
// confirm once.
import { randomBytes } from 'node:crypto';
import { createKafka, createPool, type Kafka, type Pool } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { killService, startServiceProcess, type ServiceProcess } from '../../../tests/support/service-process.js';
import { handMadePlan } from './plans-fixtures.js';
import { dispatchEvents, issueDispatchKey, migrateDispatch, seedDraft } from './plans-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
const started: ServiceProcess[] = [];
let pool: Pool;
let kafka: Kafka;

beforeAll(async () => {
  await migrateDispatch(config);
  pool = createPool({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, logger: testLogger('restart') });
  kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'plans-restart', logger: testLogger('restart') });
});

afterAll(async () => {
  await Promise.all(started.map(killService));
  await pool?.end();
});

describe('dispatch killed after a confirm, before its relay published', () => {
  it('publishes every event of the confirm once after a restart', async () => {
    const wave = { countyId, date: '2026-11-30', waveId: 'am' };
    const planId = `pl-${randomBytes(4).toString('hex')}`;
    const plan = handMadePlan();
    await seedDraft(pool, wave, planId, plan);
    const operator = await issueDispatchKey(pool, countyId, 'operator');

    // Nothing listens on port 1: the relay holds the outbox until a broker answers.
    const first = await startServiceProcess('dispatch', iso, { brokers: '127.0.0.1:1' });
    started.push(first);
    const confirmed = await fetch(`${first.url}/dispatch/plans/${planId}/confirm`, {
      method: 'POST',
      headers: { 'x-api-key': operator, 'content-type': 'application/json', 'if-match': '"1"' },
      body: '{}',
    });
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);
    const routeIds = ((await confirmed.json()) as { routes: { routeId: string }[] }).routes.map((r) => r.routeId).sort();
    const unsent = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
    expect(Number(unsent.rows[0]!.n)).toBe(3);

    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startServiceProcess('dispatch', iso);
    started.push(second);
    const events = await dispatchEvents(kafka, iso.topicPrefix, (all) => all.some((e) => e.type === 'dispatch.wave_costed'));
    const confirmedRoutes = events.filter((e) => e.event.type === 'dispatch.route_confirmed').map((e) => e.key).sort();
    expect(confirmedRoutes).toEqual(routeIds);
    expect(events.filter((e) => e.event.type === 'dispatch.wave_costed')).toHaveLength(1);
    const parcels = events.flatMap((e) => (e.event.type === 'dispatch.route_confirmed' ? (e.event.data as { parcels: { parcelId: string }[] }).parcels : []));
    expect(parcels.map((p) => p.parcelId).sort()).toEqual(plan.routes.flatMap((r) => r.parcels.map((p) => p.parcelId)).sort());
  });
});
