import type { Json } from './fuzz-values.js';
import { miniCounty } from './masterdata-support.js';
import { miniCsv } from './fixtures/import-fixtures.js';

/** Valid requests of fuzz.int.test.ts: the fuzzer breaks one thing in them, so the rest reaches deep. */

export interface Seeded {
  countyId: string;
  /** A key of the county the fuzzer may change and revoke: never one it sends. */
  spareKeyId: string;
  parcelId: string;
  waybill: string;
}

/** A fresh waybill each time, so a valid parcel is created rather than found again. */
let serial = 0;
export const freshWaybill = () => `FZ${Date.now().toString(36)}${(serial++).toString(36)}`.toUpperCase();

/** The people in every parcel the fuzzer sends, to prove no log line names them. */
export const RECIPIENT = { name: '欧阳小红', phone: '13800001111' };
export const SENDER = { name: '果园合作社', phone: '13800002222' };

export const parcelBody = (): Json => ({
  waybill: freshWaybill(),
  destination: { villageCode: '511623102202' },
  weightKg: 2,
  recipient: { ...RECIPIENT },
  sender: { ...SENDER },
});

/** The record of each master-data collection, by the path template's collection and its id. */
function records(seeded: Seeded): Record<string, { id: string; body: Json }> {
  const doc = miniCounty(seeded.countyId) as unknown as Record<string, Json[]>;
  const first = (section: string, id: string) => {
    const { countyId: _, ...record } = doc[section]!.find((r) => (r as Record<string, Json>).id === id || (r as Record<string, Json>).code === id) as Record<string, Json>;
    return record;
  };
  return {
    towns: { id: 'town-102', body: first('towns', 'town-102') },
    villages: { id: '511623102202', body: first('villages', '511623102202') },
    stations: { id: 'vs-102202', body: first('stations', 'vs-102202') },
    couriers: { id: 'zto', body: first('couriers', 'zto') },
    vehicles: { id: 'van-01', body: first('vehicles', 'van-01') },
  };
}

/** A valid value for each path parameter of `path` (an OpenAPI template such as `/towns/{id}`). */
export function pathParams(path: string, seeded: Seeded): Record<string, string> {
  const collection = path.split('/')[1] ?? '';
  return {
    countyId: seeded.countyId,
    id: records(seeded)[collection]?.id ?? 'x',
    code: '511623102202',
    keyId: seeded.spareKeyId,
    parcelId: seeded.parcelId,
    courierId: 'zto',
    waybill: seeded.waybill,
  };
}

/** A valid query for the routes that take one. */
export function queryOf(method: string, path: string): Record<string, string> {
  if (method !== 'get') return {};
  if (path === '/parcels') return { state: 'manifested', courierId: 'zto', direction: 'downstream', limit: '10' };
  if (path === '/parcels/conflicts') return { limit: '10' };
  if (path === '/stations') return { active: 'true', kind: 'village', townId: 'town-102' };
  if (path === '/villages') return { active: 'true', townId: 'town-102', povertyRegistered: 'true' };
  return {};
}

/** A valid body for each operation that takes one; undefined where the fuzzer samples the schema. */
export function bodyOf(method: string, path: string, seeded: Seeded): Json | undefined {
  const scan = { kind: 'receive', parcel: { parcelId: seeded.parcelId }, occurredAt: new Date().toISOString(), stationId: 'center', reason: '入库' };
  const bodies: Record<string, () => Json> = {
    'put /counties/{countyId}': () => (miniCounty(seeded.countyId) as unknown as { county: Json }).county,
    'post /import/county': () => miniCounty(seeded.countyId) as unknown as Json,
    'post /import/county/csv': () => ({ files: { ...miniCsv(), 'county.csv': miniCsv()['county.csv']!.replace('cn-511623', seeded.countyId) } }),
    'post /keys': () => ({ role: 'courier', scope: { courierId: 'zto' }, name: '中通 扫描枪', rateLimitPerMinute: 600 }),
    'patch /keys/{keyId}': () => ({ name: '备用', rateLimitPerMinute: 60 }),
    'post /parcels': () => ({ ...(parcelBody() as object), courierId: 'zto' }),
    'post /parcels/batch': () => ({ courierId: 'zto', parcels: [parcelBody(), parcelBody(), parcelBody()] }),
    'post /parcels/{parcelId}/address': () => ({ destination: { stationId: 'vs-102202' }, reason: '电话核实' }),
    'post /scans': () => scan,
    'post /scans/batch': () => ({ scans: [scan, { ...scan, kind: 'sort' }] }),
    'post /bookings': () => ({ courierId: 'zto', stationId: 'vs-102202', product: '脐橙', weightKg: 50, count: 10 }),
  };
  const collection = path.split('/')[1] ?? '';
  const record = records(seeded)[collection];
  if (method === 'put' && record) return record.body;
  return bodies[`${method} ${path}`]?.();
}
