import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { MAX_PARCELS_PER_BATCH } from '../src/http/parcels-intake.js';
import { CHUNK_SIZE } from '../src/parcels/register.js';
import { capturedLogger, contract, freshPhone, freshWaybillNo, phonesIn, unservedVillageCode } from './parcel-intake-support.js';
import { seedCourier, seedNetwork, seedStation, type Network } from './seed.js';
import { intakeApp } from './support.js';

const iso = isolation();
const config = testConfig(iso);
const logs = capturedLogger();
const countyId = 'cn-511623';
/** Two villages served by one station, beside the network's own. */
const villages = ['511699000001', '511699000002'];
const phonesSent: string[] = [];
let intake: Awaited<ReturnType<typeof intakeApp>>;
let net: Network;
const keys = {} as Record<'admin' | 'operator' | 'courierA' | 'courierB' | 'station', string>;

beforeAll(async () => {
  intake = await intakeApp(config, { logger: logs.logger });
  net = await seedNetwork(intake.pool, countyId);
  await seedStation(intake.pool, { countyId, id: 'st-village-c', kind: 'village', villageCodes: villages });
  await seedStation(intake.pool, { countyId, id: 'st-closed', kind: 'village', active: false });
  await seedCourier(intake.pool, { countyId, id: 'sto-gone', active: false });
  keys.admin = await intake.issue({ countyId, role: 'admin', name: 'admin' });
  keys.operator = await intake.issue({ countyId, role: 'operator', name: 'center desk' });
  keys.courierA = await intake.issue({ countyId, role: 'courier', scope: { courierId: net.courierA }, name: 'ZTO' });
  keys.courierB = await intake.issue({ countyId, role: 'courier', scope: { courierId: net.courierB }, name: 'Yunda' });
  keys.station = await intake.issue({ countyId, role: 'station', scope: { stationId: net.villageA }, name: 'point A' });
});

afterAll(() => intake?.close());

interface Call {
  key?: string;
  body?: unknown;
  idempotencyKey?: string;
}

async function call(method: 'GET' | 'POST', url: string, { key, body, idempotencyKey }: Call = {}) {
  const headers: Record<string, string> = {};
  if (key) headers['x-api-key'] = key;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  return intake.app.inject({ method, url, headers, ...(body !== undefined ? { payload: body as object } : {}) });
}

/** A contract whose phone this suite remembers, to prove it never reaches a log or an event. */
function parcel(input: Parameters<typeof contract>[0] = {}) {
  const phone = input.phone ?? freshPhone();
  phonesSent.push(phone);
  return contract({ ...input, phone });
}

async function parcelRow(parcelId: string) {
  const { rows } = await intake.pool.query(`SELECT * FROM parcels WHERE id = $1`, [parcelId]);
  return rows[0];
}

async function eventTypes(parcelId: string): Promise<string[]> {
  const { rows } = await intake.pool.query<{ type: string }>(
    `SELECT payload->>'type' AS type FROM outbox WHERE key = $1 AND topic = $2 ORDER BY seq`,
    [parcelId, `${iso.topicPrefix}parcel.events`],
  );
  return rows.map((r) => r.type);
}

describe('POST /parcels/batch', () => {
  it('takes the good parcels of a batch and reports each bad one by index', async () => {
    const parcels = [parcel(), { ...parcel(), weightKg: -1 }, parcel({ villageCode: villages[1] }), { ...parcel(), recipient: { name: '王五', phone: 'call me' } }, parcel()];
    const res = await call('POST', '/parcels/batch', { key: keys.courierA, body: { parcels } });
    expect(res.statusCode, res.body).toBe(200);
    const { counts, results } = res.json();
    expect(counts).toEqual({ created: 3, duplicate: 0, conflict: 0, rejected: 2, addressUnknown: 0 });
    expect(results.map((r: { result: string }) => r.result)).toEqual(['created', 'rejected', 'created', 'rejected', 'created']);
    expect(results[1]).toEqual({ index: 1, result: 'rejected', issues: [{ path: 'weightKg', reason: expect.any(String) }] });
    expect(results[3].issues.map((i: { path: string }) => i.path)).toEqual(['recipient.phone']);
    const created = await parcelRow(results[2].parcelId);
    expect(created).toMatchObject({ courier_id: net.courierA, waybill: parcels[2]!.waybill, state: 'manifested', destination_station_id: 'st-village-c' });
    // Volume defaults from weight: 2 kg at 167 kg/m³.
    expect(created.contract.volumeM3).toBe(0.012);
    expect(await eventTypes(results[2].parcelId)).toEqual(['parcel.manifested']);
    const { rows } = await intake.pool.query(`SELECT count(*)::int AS n FROM parcels WHERE waybill = ANY($1)`, [parcels.map((p) => p.waybill)]);
    expect(rows[0].n).toBe(3);
  });

  it('rejects only the items whose text holds NUL or a lone surrogate, naming the field, and takes the rest', async () => {
    const parcels = [parcel({ name: '王\u0000五' }), parcel(), { ...parcel(), sender: { name: '\uDC00合作社' } }, parcel()];
    const res = await call('POST', '/parcels/batch', { key: keys.courierA, body: { parcels } });
    expect(res.statusCode, res.body).toBe(200);
    const { counts, results } = res.json();
    expect(counts).toMatchObject({ created: 2, rejected: 2 });
    const reason = 'must not contain NUL, control characters or unpaired surrogates';
    expect(results[0]).toEqual({ index: 0, result: 'rejected', issues: [{ path: 'recipient.name', reason }] });
    expect(results[2]).toEqual({ index: 2, result: 'rejected', issues: [{ path: 'sender.name', reason }] });
    const { rows } = await intake.pool.query(`SELECT waybill FROM parcels WHERE waybill = ANY($1) ORDER BY waybill`, [parcels.map((p) => p.waybill)]);
    expect(rows.map((r) => r.waybill)).toEqual([parcels[1]!.waybill, parcels[3]!.waybill].sort());
  });

  it('registers a repeated waybill of one batch once, and a changed one as a conflict, across chunks', async () => {
    const count = CHUNK_SIZE + 500;
    const parcels = Array.from({ length: count }, () => parcel());
    const first = parcels[10]!;
    parcels[CHUNK_SIZE + 1] = { ...first };
    parcels[CHUNK_SIZE + 2] = { ...first, weightKg: 7 };
    const res = await call('POST', '/parcels/batch', { key: keys.operator, body: { courierId: net.courierA, parcels } });
    expect(res.statusCode, res.body).toBe(200);
    const { counts, results } = res.json();
    expect(counts).toMatchObject({ created: count - 2, duplicate: 1, conflict: 1, rejected: 0 });
    expect(results[CHUNK_SIZE + 1]).toEqual({ index: CHUNK_SIZE + 1, result: 'duplicate', parcelId: results[10].parcelId, waybill: first.waybill });
    expect(results[CHUNK_SIZE + 2]).toMatchObject({ result: 'conflict', parcelId: results[10].parcelId });
    expect((await parcelRow(results[10].parcelId)).contract.weightKg).toBe(2);
  });

  it(`refuses more than ${MAX_PARCELS_PER_BATCH} parcels, and a batch for an unknown or inactive courier as a whole`, async () => {
    const tooMany = await call('POST', '/parcels/batch', { key: keys.courierA, body: { parcels: Array.from({ length: MAX_PARCELS_PER_BATCH + 1 }, () => ({})) } });
    expect(tooMany.statusCode).toBe(400);
    for (const courierId of ['nobody', 'sto-gone']) {
      const parcels = [parcel()];
      const res = await call('POST', '/parcels/batch', { key: keys.operator, body: { courierId, parcels } });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'UNKNOWN_COURIER', details: [{ path: 'body.courierId' }] });
      const { rows } = await intake.pool.query(`SELECT 1 FROM parcels WHERE waybill = $1`, [parcels[0]!.waybill]);
      expect(rows).toEqual([]);
    }
  });
});

describe('POST /parcels', () => {
  it('registers a parcel announced twice once; with other content it is a conflict recorded for operators', async () => {
    const body = parcel();
    const created = await call('POST', '/parcels', { key: keys.courierA, body });
    expect(created.statusCode, created.body).toBe(201);
    const { parcelId } = created.json();
    expect(created.json()).toEqual({ result: 'created', parcelId, waybill: body.waybill, exception: null });

    const again = await call('POST', '/parcels', { key: keys.courierA, body: { ...body, volumeM3: 0.012, direction: 'downstream' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ result: 'duplicate', parcelId, waybill: body.waybill });

    const changed = { ...body, weightKg: 3, recipient: { ...body.recipient, phone: freshPhone() } };
    phonesSent.push(changed.recipient.phone);
    const conflict = await call('POST', '/parcels', { key: keys.courierA, body: changed });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error).toMatchObject({ code: 'PARCEL_CONFLICT', parcelId });
    expect(conflict.json().error.details).toEqual([
      { path: 'body.recipient.phone', reason: 'recipient.phone differs' },
      { path: 'body.volumeM3', reason: 'volumeM3: 0.012 → 0.018' },
      { path: 'body.weightKg', reason: 'weightKg: 2 → 3' },
    ]);
    // Announcing the same conflicting content again records nothing more.
    expect((await call('POST', '/parcels', { key: keys.courierA, body: changed })).statusCode).toBe(409);

    const row = await parcelRow(parcelId);
    expect(row.contract).toMatchObject({ weightKg: 2, recipient: body.recipient });
    expect(await eventTypes(parcelId)).toEqual(['parcel.manifested']);
    const listed = await call('GET', `/parcels/conflicts?courierId=${net.courierA}`, { key: keys.operator });
    expect(listed.statusCode).toBe(200);
    const mine = listed.json().conflicts.filter((c: { parcelId: string }) => c.parcelId === parcelId);
    expect(mine).toEqual([
      {
        id: expect.any(String),
        parcelId,
        courierId: net.courierA,
        waybill: body.waybill,
        source: expect.stringMatching(/^rest:/),
        differences: [
          { field: 'recipient.phone', description: 'recipient.phone differs' },
          { field: 'volumeM3', description: 'volumeM3: 0.012 → 0.018', kept: 0.012, received: 0.018 },
          { field: 'weightKg', description: 'weightKg: 2 → 3', kept: 2, received: 3 },
        ],
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed.json())).not.toContain(changed.recipient.phone);
  });

  it('answers 400 with the field for an invalid parcel and creates nothing', async () => {
    const res = await call('POST', '/parcels', { key: keys.courierA, body: { ...parcel(), weightKg: 'heavy' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.weightKg' }] });
  });
});

describe('destinations', () => {
  it('keeps a parcel whose destination does not resolve in address_unknown until an operator corrects it', async () => {
    const unknown = parcel({ villageCode: unservedVillageCode() });
    const closed = parcel({ stationId: 'st-closed' });
    const res = await call('POST', '/parcels/batch', { key: keys.courierA, body: { parcels: [unknown, closed] } });
    expect(res.statusCode).toBe(200);
    expect(res.json().counts).toMatchObject({ created: 2, addressUnknown: 2 });
    const [first, second] = res.json().results;
    expect(first).toMatchObject({ result: 'created', exception: 'address_unknown', reason: expect.stringContaining(unknown.destination.villageCode!) });
    expect(second.reason).toContain('st-closed');
    expect(await parcelRow(first.parcelId)).toMatchObject({ state: 'manifested', destination_station_id: null, exception: { kind: 'address_unknown' } });
    expect(await eventTypes(first.parcelId)).toEqual(['parcel.manifested', 'parcel.address_unknown_reported']);

    const url = `/parcels/${first.parcelId}/address`;
    expect((await call('POST', url, { key: keys.courierA, body: { destination: { stationId: net.villageB } } })).statusCode).toBe(403);
    const unresolved = await call('POST', url, { key: keys.operator, body: { destination: { stationId: 'st-closed' } } });
    expect(unresolved.statusCode).toBe(422);
    expect(unresolved.json().error.code).toBe('DESTINATION_UNRESOLVED');

    const corrected = await call('POST', url, { key: keys.operator, body: { destination: { villageCode: villages[0] }, reason: '收件人电话确认: 三组' } });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json()).toEqual({ parcelId: first.parcelId, state: 'manifested', exception: null, destinationStationId: 'st-village-c' });
    expect(await parcelRow(first.parcelId)).toMatchObject({ destination_station_id: 'st-village-c', exception: null });
    expect(await eventTypes(first.parcelId)).toEqual(['parcel.manifested', 'parcel.address_unknown_reported', 'parcel.address_corrected']);

    const twice = await call('POST', url, { key: keys.operator, body: { destination: { stationId: net.villageB } } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ADDRESS_NOT_UNKNOWN');
    const missing = await call('POST', `/parcels/00000000-0000-4000-8000-000000000000/address`, { key: keys.operator, body: { destination: { stationId: net.villageB } } });
    expect(missing.statusCode).toBe(404);
  });

  it('takes a town station as a destination, never the center', async () => {
    const res = await call('POST', '/parcels/batch', { key: keys.courierA, body: { parcels: [parcel({ stationId: net.town }), parcel({ stationId: net.center })] } });
    const [town, center] = res.json().results;
    expect(town).toMatchObject({ result: 'created', exception: null });
    expect(center).toMatchObject({ result: 'created', exception: 'address_unknown' });
  });
});

describe('access', () => {
  it('lets a courier announce only its own parcels; center staff must name the courier', async () => {
    const forB = await call('POST', '/parcels', { key: keys.courierA, body: { ...parcel(), courierId: net.courierB } });
    expect(forB.statusCode).toBe(403);
    expect(forB.json().error.code).toBe('FORBIDDEN');
    const batchForB = await call('POST', '/parcels/batch', { key: keys.courierA, body: { courierId: net.courierB, parcels: [parcel()] } });
    expect(batchForB.statusCode).toBe(403);

    const unnamed = await call('POST', '/parcels', { key: keys.operator, body: parcel() });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error).toMatchObject({ code: 'COURIER_REQUIRED', details: [{ path: 'body.courierId' }] });
    const named = await call('POST', '/parcels', { key: keys.operator, body: { ...parcel(), courierId: net.courierB } });
    expect(named.statusCode).toBe(201);
    expect((await parcelRow(named.json().parcelId)).courier_id).toBe(net.courierB);

    expect((await call('POST', '/parcels', { key: keys.station, body: parcel() })).statusCode).toBe(403);
    expect((await call('POST', '/parcels', { body: parcel() })).statusCode).toBe(401);
    expect((await call('GET', '/parcels/conflicts', { key: keys.station })).statusCode).toBe(403);
  });

  it('shows a courier its own conflicts only, and another courier’s parcel as absent', async () => {
    const ofB = parcel();
    const created = await call('POST', '/parcels', { key: keys.courierB, body: ofB });
    await call('POST', '/parcels', { key: keys.courierB, body: { ...ofB, weightKg: 9 } });
    const parcelId = created.json().parcelId as string;

    const seenByA = await call('GET', '/parcels/conflicts', { key: keys.courierA });
    expect(seenByA.statusCode).toBe(200);
    expect(seenByA.json().conflicts.every((c: { courierId: string }) => c.courierId === net.courierA)).toBe(true);
    expect((await call('GET', `/parcels/conflicts?courierId=${net.courierB}`, { key: keys.courierA })).statusCode).toBe(403);
    const seenByB = await call('GET', '/parcels/conflicts', { key: keys.courierB });
    expect(seenByB.json().conflicts.map((c: { parcelId: string }) => c.parcelId)).toContain(parcelId);

    // The read route is the scans helper's (http/parcels-read.ts): another courier's parcel is a 404.
    expect((await call('GET', `/parcels/${parcelId}`, { key: keys.courierA })).statusCode).toBe(404);
    expect((await call('GET', `/parcels/${parcelId}`, { key: keys.courierB })).statusCode).toBe(200);
  });
});

describe('GET /parcels/conflicts', () => {
  it('pages the county’s open conflicts oldest first', async () => {
    const all = (await call('GET', '/parcels/conflicts?limit=500', { key: keys.operator })).json();
    expect(all.conflicts.length).toBeGreaterThanOrEqual(3);
    expect(all.next).toBeNull();
    const first = (await call('GET', '/parcels/conflicts?limit=1', { key: keys.operator })).json();
    expect(first.conflicts).toEqual([all.conflicts[0]]);
    const second = (await call('GET', `/parcels/conflicts?limit=1&after=${first.next}`, { key: keys.operator })).json();
    expect(second.conflicts).toEqual([all.conflicts[1]]);
  });
});

describe('Idempotency-Key', () => {
  it('answers a retried batch with the first response and changes nothing', async () => {
    const body = { parcels: [parcel(), parcel(), { ...parcel(), weightKg: 0 }] };
    const idempotencyKey = `batch-${freshWaybillNo()}`;
    const first = await call('POST', '/parcels/batch', { key: keys.courierA, body, idempotencyKey });
    expect(first.statusCode).toBe(200);
    const count = async () => (await intake.pool.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n as number;
    const before = await count();

    const retry = await call('POST', '/parcels/batch', { key: keys.courierA, body, idempotencyKey });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await count()).toBe(before);
    // Without the key the same batch is answered by the parcels themselves: duplicates.
    expect((await call('POST', '/parcels/batch', { key: keys.courierA, body })).json().counts).toMatchObject({ created: 0, duplicate: 2, rejected: 1 });

    const other = await call('POST', '/parcels/batch', { key: keys.courierA, body: { parcels: [parcel()] }, idempotencyKey });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps a single parcel’s conflict with its key, and an address correction with its key', async () => {
    const body = parcel({ villageCode: unservedVillageCode() });
    const created = await call('POST', '/parcels', { key: keys.courierA, body, idempotencyKey: 'one-1' });
    expect(created.statusCode).toBe(201);
    const changed = { ...body, weightKg: 4 };
    const conflict = await call('POST', '/parcels', { key: keys.courierA, body: changed, idempotencyKey: 'one-2' });
    const replayed = await call('POST', '/parcels', { key: keys.courierA, body: changed, idempotencyKey: 'one-2' });
    expect([conflict.statusCode, replayed.statusCode]).toEqual([409, 409]);
    expect(replayed.json()).toEqual(conflict.json());
    const conflicts = await intake.pool.query(`SELECT 1 FROM parcel_conflicts WHERE parcel_id = $1`, [created.json().parcelId]);
    expect(conflicts.rowCount).toBe(1);

    const url = `/parcels/${created.json().parcelId}/address`;
    const correction = { destination: { stationId: net.villageA } };
    const fixed = await call('POST', url, { key: keys.operator, body: correction, idempotencyKey: 'fix-1' });
    const again = await call('POST', url, { key: keys.operator, body: correction, idempotencyKey: 'fix-1' });
    expect([fixed.statusCode, again.statusCode]).toEqual([200, 200]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await eventTypes(created.json().parcelId)).toEqual(['parcel.manifested', 'parcel.address_unknown_reported', 'parcel.address_corrected']);
  });
});

describe('recipients', () => {
  it('never logs a recipient’s phone, and events carry it masked', async () => {
    const phone = freshPhone();
    const res = await call('POST', '/parcels', { key: keys.courierA, body: parcel({ phone, name: '欧阳娜娜' }) });
    expect(res.statusCode).toBe(201);
    const { rows } = await intake.pool.query<{ payload: { data: { parcel: { recipient: unknown } } } }>(
      `SELECT payload FROM outbox WHERE key = $1 AND payload->>'type' = 'parcel.manifested'`,
      [res.json().parcelId],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]!.payload.data.parcel.recipient).toEqual({ name: '欧***', phone: `${phone.slice(0, 3)}****${phone.slice(-4)}` });

    const events = await intake.pool.query<{ payload: unknown }>(`SELECT payload FROM outbox WHERE topic NOT LIKE '%.dlq'`);
    const published = JSON.stringify(events.rows);
    const logged = logs.text();
    expect(logged).toContain('parcel batch registered');
    // The check would see a phone that got through.
    expect(phonesIn(JSON.stringify({ phone }), phonesSent)).toEqual([phone]);
    expect(phonesIn(logged, phonesSent)).toEqual([]);
    expect(phonesIn(published, phonesSent)).toEqual([]);
  });
});
