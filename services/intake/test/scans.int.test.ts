import { randomInt } from 'node:crypto';
import { createRandom } from '@county/routing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { at, keyIdOf, parcelSuite, pastBase, scan, type ParcelSuite } from './parcel-suite.js';

const iso = isolation();
const config = testConfig(iso);
let s: ParcelSuite;

beforeAll(async () => {
  s = await parcelSuite(config);
});

afterAll(() => s?.close());

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = createRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** PERMUTATION_SEEDS=1,2,3 replays given seeds; otherwise fresh ones each run, named in the test title. */
const seeds = (count: number) =>
  process.env.PERMUTATION_SEEDS ? process.env.PERMUTATION_SEEDS.split(',').map(Number) : Array.from({ length: count }, () => randomInt(2 ** 31));

interface Step {
  key: string;
  body: ReturnType<typeof scan>;
}

type Who = 'center' | 'centerStation' | 'station';

/**
 * A day of a downstream parcel as it reaches intake: received at the center (and scanned again by a
 * second handheld there), handed over at its village station (departure is inferred), the
 * hand-over re-uploaded, damage noted, delivered, and last the bagging scan of the morning from a
 * handheld that uploads late. Every parcel of a run was announced at the same time.
 */
function dayOf(parcelId: string, keyFor: (who: Who) => string): Step[] {
  const { net } = s;
  const base = pastBase();
  const step = (who: Who, kind: string, station: string, minutes: number, extra: Record<string, unknown> = {}): Step => ({
    key: keyFor(who),
    body: scan(kind, parcelId, station, at(base, minutes), extra),
  });
  return [
    step('center', 'receive', net.center, 0, { scanId: 'r-1' }),
    step('centerStation', 'receive', net.center, 10, { scanId: 'r-2' }),
    step('station', 'handover', net.villageA, 360, { scanId: 'h-1' }),
    step('station', 'handover', net.villageA, 360, { scanId: 'h-1' }),
    step('station', 'damaged', net.villageA, 365, { scanId: 'x-1', reason: '外箱破损' }),
    step('station', 'deliver', net.villageA, 480, { scanId: 'd-1' }),
    step('center', 'sort', net.center, 30, { scanId: 's-1' }),
  ];
}

async function postEach(steps: readonly Step[]): Promise<string[]> {
  const results: string[] = [];
  for (const { key, body } of steps) {
    const res = await s.call('POST', '/scans', key, body);
    expect(res.statusCode, res.body).toBe(200);
    results.push(res.json().result);
  }
  return results;
}

/** State and timeline, with what differs between two runs by construction (parcel, arrival times) taken out. */
async function outcome(parcelId: string) {
  const res = await s.call('GET', `/parcels/${parcelId}`, s.keys.operator);
  expect(res.statusCode, res.body).toBe(200);
  const view = res.json();
  return {
    state: view.state,
    progress: view.progress,
    exception: view.exception,
    receivedAt: view.receivedAt,
    timeline: (view.timeline as Record<string, unknown>[]).map((entry): Record<string, unknown> => ({
      ...entry,
      factId: String(entry.factId).replace(parcelId, '<parcel>'),
      receivedAt: '<received>',
    })),
  };
}

describe('scans in any order', () => {
  const mixedKeys = (who: Who) => ({ center: s.keys.operator, centerStation: s.keys.center, station: s.keys.stationA })[who];
  const announcedAt = at(pastBase(), -600).toISOString();

  it.each(seeds(6))('a random permutation of a day’s scans (seed %i) ends in the same state and timeline as the in-order run', async (seed) => {
    const reference = await s.seed({ occurredAt: announcedAt });
    const inOrder = await postEach(dayOf(reference.id, mixedKeys));
    expect(inOrder).toEqual(['applied', 'confirming', 'applied', 'duplicate', 'applied', 'applied', 'recorded']);

    const permuted = await s.seed({ occurredAt: announcedAt });
    await postEach(shuffled(dayOf(permuted.id, mixedKeys), seed));

    const expected = await outcome(reference.id);
    expect(expected).toMatchObject({ state: 'delivered', progress: 'delivered', exception: { kind: 'damaged' } });
    expect(expected.timeline.map((e) => [e.state ?? e.exception, e.inferred, e.confirming])).toEqual([
      ['manifested', false, false],
      ['received', false, false],
      ['received', false, true],
      ['sorted', false, false],
      ['departed', true, false],
      ['at_station', false, false],
      ['damaged', false, false],
      ['delivered', false, false],
    ]);
    expect(await outcome(permuted.id)).toEqual(expected);
  });

  it.each(seeds(3))('the same scans uploaded as one batch in random order (seed %i) end as the in-order run', async (seed) => {
    const operatorOnly = () => s.keys.operator;
    const reference = await s.seed({ occurredAt: announcedAt });
    await postEach(dayOf(reference.id, operatorOnly));

    const permuted = await s.seed({ occurredAt: announcedAt });
    const res = await s.call('POST', '/scans/batch', s.keys.operator, { scans: shuffled(dayOf(permuted.id, operatorOnly), seed).map((step) => step.body) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toMatchObject({ rejected: 0, duplicate: 1 });
    expect(await outcome(permuted.id)).toEqual(await outcome(reference.id));
  });
});

describe('who may scan what', () => {
  it('a courier key cannot scan another courier’s parcel: 404, by id or by waybill, alone or in a batch', async () => {
    const parcel = await s.seed();
    const damaged = scan('damaged', parcel.id, s.net.center, at(pastBase(), 10));
    const byId = await s.call('POST', '/scans', s.keys.courierB, damaged);
    expect(byId.statusCode).toBe(404);
    expect(byId.json().error.code).toBe('PARCEL_NOT_FOUND');
    const byWaybill = await s.call('POST', '/scans', s.keys.courierB, { ...damaged, parcel: { courierId: parcel.courierId, waybill: parcel.waybill } });
    expect(byWaybill.statusCode).toBe(404);
    const batch = await s.call('POST', '/scans/batch', s.keys.courierB, { scans: [damaged] });
    expect(batch.json().results[0]).toMatchObject({ result: 'rejected', code: 'PARCEL_NOT_FOUND' });
    expect((await s.call('GET', `/parcels/${parcel.id}`, s.keys.operator)).json().exception).toBeNull();

    const own = await s.call('POST', '/scans', s.keys.courierA, damaged);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ result: 'applied', exception: { kind: 'damaged' } });
  });

  it('a courier key cannot post the receive scan that starts the SLA clock (403), even for its own parcel', async () => {
    const parcel = await s.seed();
    const res = await s.call('POST', '/scans', s.keys.courierA, scan('receive', parcel.id, s.net.center, at(pastBase(), 0)));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const view = (await s.call('GET', `/parcels/${parcel.id}`, s.keys.operator)).json();
    expect(view).toMatchObject({ state: 'manifested', receivedAt: null });
  });

  it('the receive scan is the center’s: operators and the center station’s key, not a village station', async () => {
    const base = pastBase();
    const byVillage = await s.seed();
    const village = await s.call('POST', '/scans', s.keys.stationA, scan('receive', byVillage.id, s.net.villageA, at(base, 0)));
    expect(village.statusCode).toBe(403);

    const byCenter = await s.seed();
    const center = await s.call('POST', '/scans', s.keys.center, scan('receive', byCenter.id, s.net.center, at(base, 5)));
    expect(center.statusCode, center.body).toBe(200);
    expect(center.json()).toMatchObject({ result: 'applied', state: 'received' });
    const view = (await s.call('GET', `/parcels/${byCenter.id}`, s.keys.operator)).json();
    expect(view.receivedAt).toBe(at(base, 5).toISOString());
    expect(view.timeline.find((e: { fact: string }) => e.fact === 'receive')).toMatchObject({ fact: 'receive', actor: { keyId: keyIdOf(s.keys.center), role: 'station' }, stationId: s.net.center });
  });

  it('a station key cannot scan a parcel neither to nor from its station: 404, as when reading it', async () => {
    const parcel = await s.seed();
    const base = pastBase();
    for (const kind of ['deliver', 'handover', 'damaged']) {
      const res = await s.call('POST', '/scans', s.keys.stationB, scan(kind, parcel.id, s.net.villageB, at(base, 600), { reason: '外箱破损' }));
      expect(res.statusCode, kind).toBe(404);
      expect(res.json().error.code).toBe('PARCEL_NOT_FOUND');
    }
    const byWaybill = await s.call('POST', '/scans', s.keys.stationB, {
      ...scan('deliver', parcel.id, s.net.villageB, at(base, 600)),
      parcel: { courierId: parcel.courierId, waybill: parcel.waybill },
    });
    expect(byWaybill.statusCode).toBe(404);
    expect((await s.call('GET', `/parcels/${parcel.id}`, s.keys.stationB)).statusCode).toBe(404);
    const view = (await s.call('GET', `/parcels/${parcel.id}`, s.keys.operator)).json();
    expect(view).toMatchObject({ state: 'manifested', exception: null });
  });

  it('in a station key’s batch a parcel of another station is refused on its own and the others are applied', async () => {
    const elsewhere = await s.seed();
    const own = await s.seed({ destinationStationId: s.net.villageB });
    const base = pastBase();
    const res = await s.call('POST', '/scans/batch', s.keys.stationB, {
      scans: [scan('deliver', elsewhere.id, s.net.villageB, at(base, 600)), scan('deliver', own.id, s.net.villageB, at(base, 601))],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results).toMatchObject([
      { index: 0, result: 'rejected', code: 'PARCEL_NOT_FOUND', path: 'parcel' },
      { index: 1, result: 'applied', state: 'delivered' },
    ]);
    expect((await s.call('GET', `/parcels/${elsewhere.id}`, s.keys.operator)).json().state).toBe('manifested');
    expect((await s.call('GET', `/parcels/${own.id}`, s.keys.operator)).json().state).toBe('delivered');
  });

  it('a station key scans only at its own station (403 elsewhere)', async () => {
    const parcel = await s.seed();
    const res = await s.call('POST', '/scans', s.keys.stationB, scan('handover', parcel.id, s.net.villageA, at(pastBase(), 300)));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain(s.net.villageB);
  });

  it('a driver scans hand-overs, collections, damage and loss, but not deliveries', async () => {
    const parcel = await s.seed();
    const base = pastBase();
    const handover = await s.call('POST', '/scans', s.keys.driver, scan('handover', parcel.id, s.net.villageA, at(base, 300)));
    expect(handover.statusCode, handover.body).toBe(200);
    expect(handover.json()).toMatchObject({ result: 'applied', state: 'at_station' });
    const deliver = await s.call('POST', '/scans', s.keys.driver, scan('deliver', parcel.id, s.net.villageA, at(base, 400)));
    expect(deliver.statusCode).toBe(403);
  });

  it('a scan stamped more than five minutes in the future is 400 naming occurredAt; a clock a little fast is fine', async () => {
    const parcel = await s.seed();
    const future = await s.call('POST', '/scans', s.keys.operator, scan('receive', parcel.id, s.net.center, new Date(Date.now() + 10 * 60_000)));
    expect(future.statusCode).toBe(400);
    expect(future.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.occurredAt' }] });
    const fast = await s.call('POST', '/scans', s.keys.operator, scan('receive', parcel.id, s.net.center, new Date(Date.now() + 2 * 60_000)));
    expect(fast.statusCode, fast.body).toBe(200);
  });

  it('a malformed scan is 400 naming the field', async () => {
    const parcel = await s.seed();
    const res = await s.call('POST', '/scans', s.keys.operator, { ...scan('receive', parcel.id, s.net.center, pastBase()), kind: 'teleport' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.kind');
  });
});

describe('what cannot apply to the parcel', () => {
  it('a hand-over at a station that is not the parcel’s destination is 409 WRONG_STATION with the reason in English and Chinese', async () => {
    const parcel = await s.seed();
    const res = await s.call('POST', '/scans', s.keys.driver, scan('handover', parcel.id, s.net.villageB, at(pastBase(), 300)));
    expect(res.statusCode).toBe(409);
    const { error } = res.json();
    expect(error.code).toBe('WRONG_STATION');
    expect(error.reason).toContain(s.net.villageA);
    expect(error.reasonZh).toMatch(/站点/);
    expect(error.message).toBe(error.reason);
    expect(error.details).toEqual([{ path: 'body.stationId', reason: error.reason }]);
    expect((await s.call('GET', `/parcels/${parcel.id}`, s.keys.operator)).json().state).toBe('manifested');
  });

  it('a delivery away from the parcel’s destination is 409 WRONG_STATION naming stationId, whoever scans it', async () => {
    const parcel = await s.seed();
    const base = pastBase();
    for (const key of [s.keys.operator, s.keys.courierA]) {
      const res = await s.call('POST', '/scans', key, scan('deliver', parcel.id, s.net.villageB, at(base, 600)));
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'WRONG_STATION', details: [{ path: 'body.stationId' }] });
      expect(res.json().error.reason).toContain(s.net.villageA);
    }
    const view = (await s.call('GET', `/parcels/${parcel.id}`, s.keys.operator)).json();
    expect(view.state).toBe('manifested');
    expect(view.timeline.map((e: { fact: string }) => e.fact)).not.toContain('deliver');
  });

  it('after an operator redirects a parcel, its new destination delivers it and the old one cannot', async () => {
    const parcel = await s.seed();
    const base = pastBase();
    const unknown = await s.call('POST', '/scans', s.keys.operator, scan('address_unknown', parcel.id, s.net.center, at(base, 60), { reason: '查无此人' }));
    expect(unknown.statusCode, unknown.body).toBe(200);
    const redirect = await s.call('POST', `/parcels/${parcel.id}/address`, s.keys.operator, { destination: { stationId: s.net.villageB } });
    expect(redirect.statusCode, redirect.body).toBe(200);

    const old = await s.call('POST', '/scans', s.keys.stationA, scan('deliver', parcel.id, s.net.villageA, at(base, 600)));
    expect(old.statusCode).toBe(404);
    const oldByOperator = await s.call('POST', '/scans', s.keys.operator, scan('deliver', parcel.id, s.net.villageA, at(base, 600)));
    expect(oldByOperator.json().error.code).toBe('WRONG_STATION');
    const delivered = await s.call('POST', '/scans', s.keys.stationB, scan('deliver', parcel.id, s.net.villageB, at(base, 610)));
    expect(delivered.statusCode, delivered.body).toBe(200);
    expect(delivered.json()).toMatchObject({ result: 'applied', state: 'delivered' });
  });

  it('a parcel delivered cannot then be lost: 409 TERMINAL_CONFLICT, and the delivery stands', async () => {
    const parcel = await s.seed();
    const base = pastBase();
    await s.call('POST', '/scans', s.keys.operator, scan('receive', parcel.id, s.net.center, at(base, 0)));
    expect((await s.call('POST', '/scans', s.keys.stationA, scan('deliver', parcel.id, s.net.villageA, at(base, 600)))).statusCode).toBe(200);
    const lost = await s.call('POST', '/scans', s.keys.operator, scan('lost', parcel.id, s.net.center, at(base, 700), { reason: '盘点未找到' }));
    expect(lost.statusCode).toBe(409);
    expect(lost.json().error).toMatchObject({ code: 'TERMINAL_CONFLICT' });
    expect(lost.json().error.reasonZh).toContain('签收');
    expect((await s.call('GET', `/parcels/${parcel.id}`, s.keys.operator)).json().state).toBe('delivered');
  });

  it('an upstream scan on a downstream parcel is 409 WRONG_DIRECTION', async () => {
    const parcel = await s.seed();
    const res = await s.call('POST', '/scans', s.keys.operator, scan('center_arrival', parcel.id, s.net.center, pastBase()));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('WRONG_DIRECTION');
  });
});

describe('uploaded batches', () => {
  it('apply the good scans and give every scan its own result, in one transaction', async () => {
    const a = await s.seed();
    const b = await s.seed();
    const base = pastBase();
    const scans = [
      scan('receive', a.id, s.net.center, at(base, 0)),
      { ...scan('receive', b.id, s.net.center, at(base, 1)), parcel: { courierId: b.courierId, waybill: b.waybill } },
      scan('handover', a.id, s.net.villageB, at(base, 300)),
      scan('receive', '00000000-0000-4000-8000-000000000000', s.net.center, at(base, 2)),
      scan('sort', a.id, s.net.center, new Date(Date.now() + 3600_000)),
      scan('handover', b.id, s.net.villageA, at(base, 300)),
      scan('receive', a.id, s.net.center, at(base, 0)),
    ];
    const res = await s.call('POST', '/scans/batch', s.keys.operator, { scans });
    expect(res.statusCode, res.body).toBe(200);
    const { results, summary } = res.json();
    expect(results.map((r: { result: string; code?: string }) => r.code ?? r.result)).toEqual([
      'applied',
      'applied',
      'WRONG_STATION',
      'PARCEL_NOT_FOUND',
      'VALIDATION_FAILED',
      'applied',
      'duplicate',
    ]);
    expect(results[2]).toMatchObject({ path: 'stationId' });
    expect(results[4]).toMatchObject({ path: 'occurredAt' });
    expect(results[2].reasonZh).toBeTruthy();
    expect(summary).toEqual({ applied: 3, recorded: 0, confirming: 0, duplicate: 1, rejected: 3 });
    expect((await s.call('GET', `/parcels/${b.id}`, s.keys.operator)).json().state).toBe('at_station');
  });

  it('a batch uploaded again changes nothing: every scan is a duplicate', async () => {
    const parcel = await s.seed();
    const base = pastBase();
    const scans = [scan('receive', parcel.id, s.net.center, at(base, 0), { scanId: 'u-1' }), scan('sort', parcel.id, s.net.center, at(base, 20), { scanId: 'u-2' })];
    expect((await s.call('POST', '/scans/batch', s.keys.operator, { scans })).json().summary.applied).toBe(2);
    const again = await s.call('POST', '/scans/batch', s.keys.operator, { scans });
    expect(again.json().summary).toMatchObject({ applied: 0, duplicate: 2 });
    const { rows } = await s.intake.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE key = $1 AND topic LIKE '%parcel.events'`, [parcel.id]);
    expect(rows[0].n).toBe(3);
  });

  it('an empty batch or one over 5,000 scans is 400', async () => {
    const parcel = await s.seed();
    expect((await s.call('POST', '/scans/batch', s.keys.operator, { scans: [] })).statusCode).toBe(400);
    const one = scan('damaged', parcel.id, s.net.center, pastBase());
    const res = await s.call('POST', '/scans/batch', s.keys.operator, { scans: Array.from({ length: 5001 }, () => one) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.scans');
  });
});

describe('Idempotency-Key', () => {
  it('a retried scan gets the first response and changes nothing; the same key with another scan is refused', async () => {
    const parcel = await s.seed();
    const body = scan('receive', parcel.id, s.net.center, at(pastBase(), 0));
    const headers = { 'idempotency-key': `scan-${parcel.id}` };
    const first = await s.call('POST', '/scans', s.keys.operator, body, headers);
    const retry = await s.call('POST', '/scans', s.keys.operator, body, headers);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const other = await s.call('POST', '/scans', s.keys.operator, { ...body, kind: 'sort' }, headers);
    expect(other.statusCode).toBe(422);
  });

  it('a refused scan retried with its key gets the same 409', async () => {
    const parcel = await s.seed();
    const body = scan('handover', parcel.id, s.net.villageB, at(pastBase(), 300));
    const headers = { 'idempotency-key': `refused-${parcel.id}` };
    const first = await s.call('POST', '/scans', s.keys.operator, body, headers);
    expect(first.statusCode).toBe(409);
    const retry = await s.call('POST', '/scans', s.keys.operator, body, headers);
    expect(retry.statusCode).toBe(409);
    expect(retry.json()).toEqual(first.json());
  });

  it('a batch retried with its key is replayed, not applied again', async () => {
    const parcel = await s.seed();
    const payload = { scans: [scan('receive', parcel.id, s.net.center, at(pastBase(), 0))] };
    const headers = { 'idempotency-key': `batch-${parcel.id}` };
    const first = await s.call('POST', '/scans/batch', s.keys.operator, payload, headers);
    const retry = await s.call('POST', '/scans/batch', s.keys.operator, payload, headers);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(first.json().results[0].result).toBe('applied');
  });
});
