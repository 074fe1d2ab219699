import { parseEnvelope, type Envelope } from '@county/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import {
  applyKeyEvent,
  changeKey,
  createOutbox,
  createPool,
  findKey,
  issueKey,
  listKeys,
  RejectedError,
  revokeKey,
  withTransaction,
  type Pool,
} from '../src/index.js';
import { migratePlatform } from './support/access.js';

const config = testConfig(isolation());
// Intake's schema, where keys are issued, and another service's, which keeps a copy.
const issuer = isolation();
const copy = isolation();
const county = 'cn-511623';
const outbox = createOutbox({ topicPrefix: issuer.topicPrefix });
let pool: Pool;
let copyPool: Pool;

beforeAll(async () => {
  await migratePlatform(config, issuer.schema);
  await migratePlatform(config, copy.schema);
  pool = createPool({ url: config.DATABASE_URL, schema: issuer.schema, logger: testLogger() });
  copyPool = createPool({ url: config.DATABASE_URL, schema: copy.schema, logger: testLogger() });
});

afterAll(async () => {
  await pool?.end();
  await copyPool?.end();
});

/** The events of one key as the relay would publish them, in the order they were written. */
async function eventsOf(keyId: string): Promise<{ topic: string; key: string; event: Envelope }[]> {
  const { rows } = await pool.query('SELECT topic, key, payload FROM outbox WHERE key = $1 ORDER BY seq', [`${county}/apikey:${keyId}`]);
  return rows.map((r) => ({ topic: r.topic, key: r.key, event: r.payload }));
}

const issue = () =>
  withTransaction(pool, (tx) => issueKey(tx, outbox, { countyId: county, role: 'station', scope: { stationId: 'st-1' }, name: 'point' }, new Date()));

describe('issuing, changing and revoking keys', () => {
  it('writes the key and its access.key_issued event (the hash, never the key) in one transaction', async () => {
    const { key, record } = await issue();
    expect(await findKey(pool, record.keyId)).toEqual(record);
    const [published] = await eventsOf(record.keyId);
    expect(published).toMatchObject({ topic: `${issuer.topicPrefix}masterdata.events`, key: `${county}/apikey:${record.keyId}` });
    expect(parseEnvelope(published!.event)).toMatchObject({
      ok: true,
      value: { type: 'access.key_issued', countyId: county, subject: record.keyId, source: 'intake', data: record },
    });
    expect(JSON.stringify(published!.event)).not.toContain(key);
  });

  it('publishes each change and the revocation with the full record and a higher revision', async () => {
    const { record } = await issue();
    const now = new Date();
    await withTransaction(pool, (tx) => changeKey(tx, outbox, record.keyId, { name: 'renamed', rateLimitPerMinute: 50 }, now));
    await withTransaction(pool, (tx) => changeKey(tx, outbox, record.keyId, { rateLimitPerMinute: null }, now));
    await withTransaction(pool, (tx) => revokeKey(tx, outbox, record.keyId, now));
    await withTransaction(pool, (tx) => revokeKey(tx, outbox, record.keyId, now));
    const events = (await eventsOf(record.keyId)).map((e) => e.event);
    expect(events.map((e) => [e.type, (e.data as { revision: number }).revision])).toEqual([
      ['access.key_issued', 1],
      ['access.key_changed', 2],
      ['access.key_changed', 3],
      ['access.key_revoked', 4],
    ]);
    expect(events[1]!.data).toMatchObject({ name: 'renamed', rateLimitPerMinute: 50, hash: record.hash });
    expect(events[2]!.data).not.toHaveProperty('rateLimitPerMinute');
    expect(events[3]!.data).toMatchObject({ name: 'renamed', revokedAt: now.toISOString() });
  });

  it('refuses to change a revoked key, an unknown key, or a scope the role does not take', async () => {
    const { record } = await issue();
    await expect(withTransaction(pool, (tx) => changeKey(tx, outbox, record.keyId, { scope: {} }, new Date()))).rejects.toMatchObject({
      statusCode: 400,
      details: [{ path: 'scope.stationId' }],
    });
    await withTransaction(pool, (tx) => revokeKey(tx, outbox, record.keyId, new Date()));
    await expect(withTransaction(pool, (tx) => changeKey(tx, outbox, record.keyId, { name: 'x' }, new Date()))).rejects.toMatchObject({
      statusCode: 409,
      code: 'KEY_REVOKED',
    });
    await expect(withTransaction(pool, (tx) => revokeKey(tx, outbox, 'feedfacefeedface', new Date()))).rejects.toMatchObject({
      statusCode: 404,
      code: 'KEY_NOT_FOUND',
    });
  });

  it('lists a county’s keys without their hashes', async () => {
    const { record } = await issue();
    const listed = await listKeys(pool, county);
    const mine = listed.find((k) => k.keyId === record.keyId);
    expect(mine).toMatchObject({ role: 'station', scope: { stationId: 'st-1' } });
    expect(listed.every((k) => !('hash' in k))).toBe(true);
    expect(await listKeys(pool, 'cn-000000')).toEqual([]);
  });
});

describe('applying key events to a copy', () => {
  const apply = (event: Envelope) => withTransaction(copyPool, (tx) => applyKeyEvent(tx, event));

  it('is idempotent: the same event twice leaves one row', async () => {
    const { record } = await issue();
    const [issued] = await eventsOf(record.keyId);
    await apply(issued!.event);
    await apply(issued!.event);
    expect(await findKey(copyPool, record.keyId)).toEqual(record);
    const { rows } = await copyPool.query('SELECT count(*)::int AS n FROM api_keys WHERE key_id = $1', [record.keyId]);
    expect(rows[0].n).toBe(1);
  });

  it('ignores an older revision arriving after a newer one, so a revocation sticks', async () => {
    const { record } = await issue();
    await withTransaction(pool, (tx) => changeKey(tx, outbox, record.keyId, { name: 'renamed' }, new Date()));
    await withTransaction(pool, (tx) => revokeKey(tx, outbox, record.keyId, new Date()));
    const [issued, changed, revoked] = (await eventsOf(record.keyId)).map((e) => e.event);
    await apply(revoked!);
    await apply(changed!);
    await apply(issued!);
    expect(await findKey(copyPool, record.keyId)).toEqual(await findKey(pool, record.keyId));
    expect((await findKey(copyPool, record.keyId))?.revokedAt).not.toBeNull();
  });

  it('rejects what is not a valid key event as poison, changing nothing', async () => {
    const { record } = await issue();
    const [issued] = await eventsOf(record.keyId);
    const bad = { ...issued!.event, data: { ...(issued!.event.data as object), scope: {} } };
    await expect(apply(bad)).rejects.toBeInstanceOf(RejectedError);
    await expect(apply({ ...issued!.event, countyId: 'cn-000000' })).rejects.toBeInstanceOf(RejectedError);
    await expect(apply({ ...issued!.event, type: 'parcel.received' })).rejects.toBeInstanceOf(RejectedError);
    expect(await findKey(copyPool, record.keyId)).toBeUndefined();
  });
});
