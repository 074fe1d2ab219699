import { topics, type Envelope } from '@county/contracts';
import {
  createOutbox,
  createPool,
  findKey,
  issueKey,
  keyEventHandlers,
  migrate,
  openRuntime,
  platformMigrationsDir,
  readTopic,
  startEventConsumer,
  withTransaction,
  type EventConsumer,
  type Pool,
  type Runtime,
  systemClock,
} from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger, waitFor } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import { freshCountyId, miniCounty } from './masterdata-support.js';
import { intakeMigrationsDir } from './support.js';

// A province: two counties on one cluster, through the same topics, with the same station ids
// (the mini fixture), and a service of another schema keeping its copy of the keys (#8).
const iso = isolation();
const config = testConfig(iso);
const copyIso = { ...isolation(), topicPrefix: iso.topicPrefix };
const logger = testLogger('intake');
let runtime: Runtime;
let app: Awaited<ReturnType<typeof buildApp>>;
let copyPool: Pool;
let copy: EventConsumer;

beforeAll(async () => {
  runtime = openRuntime({ service: 'intake', config, migrationsDir: intakeMigrationsDir, logger });
  await runtime.migrated;
  app = await buildApp(runtime);
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  await migrate({ url: config.DATABASE_URL, schema: copyIso.schema, dir: platformMigrationsDir, logger, table: 'platform_migrations' });
  copyPool = createPool({ url: config.DATABASE_URL, schema: copyIso.schema, logger });
  copy = await startEventConsumer({
    name: 'copy.access-keys',
    kafka: runtime.kafka,
    pool: copyPool,
    outbox: createOutbox({ topicPrefix: copyIso.topicPrefix }),
    clock: systemClock,
    logger,
    topicPrefix: copyIso.topicPrefix,
    groupPrefix: copyIso.groupPrefix,
    topics: [topics.masterdata.name],
    handlers: keyEventHandlers,
    sessionTimeout: 6000,
  });
});

afterAll(async () => {
  await copy?.stop();
  await copyPool?.end();
  await runtime?.lifecycle.shutdown();
});

const call = (method: 'GET' | 'PUT' | 'POST', url: string, key: string, payload?: object) =>
  app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload ? { payload } : {}) });

/** A county with the mini fixture imported by its own admin key. */
async function county(): Promise<{ countyId: string; admin: string; adminKeyId: string }> {
  const countyId = freshCountyId();
  const issued = await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, { countyId, role: 'admin', name: `admin of ${countyId}` }, new Date()));
  const res = await call('POST', '/import/county', issued.key, miniCounty(countyId));
  expect(res.statusCode, res.body).toBe(200);
  return { countyId, admin: issued.key, adminKeyId: issued.record.keyId };
}

/**
 * What a compacted topic keeps: the latest value of each key (readTopic returns each partition in
 * offset order, and one key lives in one partition), read once the relay published everything.
 */
async function latestPerKey(): Promise<Map<string, Envelope>> {
  await waitFor(async () => {
    const { rows } = await runtime.pool.query('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL');
    return rows[0].n === 0 ? true : undefined;
  });
  const latest = new Map<string, Envelope>();
  for (const message of await readTopic<Envelope>(runtime.kafka, `${iso.topicPrefix}${topics.masterdata.name}`)) {
    if (message.key !== null) latest.set(message.key, message.value);
  }
  return latest;
}

describe('many counties on one cluster', () => {
  it('two counties with the same station ids each keep their own records and keys on masterdata.events', async () => {
    const a = await county();
    const b = await county();
    const stationOfB = (await call('GET', '/stations/vs-102202', b.admin)).json<Record<string, unknown>>();
    const renamed = await call('PUT', '/stations/vs-102202', b.admin, { ...stationOfB, name: '桃园村电商服务站（B 县）' });
    expect(renamed.statusCode, renamed.body).toBe(200);

    // Each county reads its own station through the API.
    expect((await call('GET', '/stations/vs-102202', a.admin)).json().name).not.toBe('桃园村电商服务站（B 县）');
    expect((await call('GET', '/stations/vs-102202', b.admin)).json().name).toBe('桃园村电商服务站（B 县）');

    // After compaction only the latest value per key is left: both counties' must be among them.
    const latest = await latestPerKey();
    const stationA = latest.get(`${a.countyId}/station:vs-102202`);
    const stationB = latest.get(`${b.countyId}/station:vs-102202`);
    expect(stationA).toMatchObject({ countyId: a.countyId, type: 'masterdata.station_upserted', data: { countyId: a.countyId, id: 'vs-102202' } });
    expect(stationB).toMatchObject({ countyId: b.countyId, data: { countyId: b.countyId, id: 'vs-102202', name: '桃园村电商服务站（B 县）' } });
    expect((stationA!.data as { name: string }).name).not.toBe('桃园村电商服务站（B 县）');
    for (const { countyId } of [a, b]) {
      expect(latest.get(`${countyId}/county:${countyId}`)).toMatchObject({ type: 'masterdata.county_upserted', countyId });
      expect(latest.get(`${countyId}/courier:zto`)).toMatchObject({ data: { countyId, id: 'zto' } });
    }
    expect(latest.get(`${a.countyId}/apikey:${a.adminKeyId}`)).toMatchObject({ type: 'access.key_issued', data: { countyId: a.countyId } });
    expect(latest.get(`${b.countyId}/apikey:${b.adminKeyId}`)).toMatchObject({ type: 'access.key_issued', data: { countyId: b.countyId } });
    // Every key on the topic names the county of the record it carries.
    for (const [key, event] of latest) expect(key.startsWith(`${event.countyId}/`), key).toBe(true);

    // The other service's copy of the keys holds each county's key, in its county.
    for (const { countyId, adminKeyId } of [a, b]) {
      const replicated = await waitFor(() => findKey(copyPool, adminKeyId));
      expect(replicated).toMatchObject({ keyId: adminKeyId, countyId, role: 'admin' });
    }
  });
});
