// The demo county (demo/county/county.json) as intake's tables hold it, for end-to-end tests and
// bench/intake.ts alike: both start intake as a process and seed its master data by SQL rather
// than through the import API, so what they measure or break is the parcel path alone.
import { readFile } from 'node:fs/promises';
import type { Queryable } from '@county/platform';

export interface DemoCounty {
  county: { id: string } & Record<string, unknown>;
  towns: ({ id: string } & Record<string, unknown>)[];
  villages: ({ code: string } & Record<string, unknown>)[];
  stations: ({ id: string; kind: string; villageCodes: string[] } & Record<string, unknown>)[];
  couriers: ({ id: string } & Record<string, unknown>)[];
  vehicles: ({ id: string } & Record<string, unknown>)[];
}

export async function loadDemoCounty(): Promise<DemoCounty> {
  return JSON.parse(await readFile(new URL('../../demo/county/county.json', import.meta.url), 'utf8')) as DemoCounty;
}

/** The village codes a village station serves: destinations that resolve. */
export function servedVillages(demo: DemoCounty): string[] {
  return demo.stations.filter((s) => s.kind === 'village').flatMap((s) => s.villageCodes);
}

/** Writes the county's master data straight into intake's `masterdata` and `village_stations`. */
export async function seedDemoCounty(db: Queryable, demo: DemoCounty): Promise<void> {
  const countyId = demo.county.id;
  const rows: [string, string, unknown][] = [
    ['county', countyId, demo.county],
    ...demo.towns.map((t) => ['town', t.id, { ...t, countyId }] as [string, string, unknown]),
    ...demo.villages.map((v) => ['village', v.code, { ...v, countyId }] as [string, string, unknown]),
    ...demo.stations.map((s) => ['station', s.id, { ...s, countyId }] as [string, string, unknown]),
    ...demo.couriers.map((c) => ['courier', c.id, { ...c, countyId }] as [string, string, unknown]),
    ...demo.vehicles.map((v) => ['vehicle', v.id, { ...v, countyId }] as [string, string, unknown]),
  ];
  await db.query(
    `INSERT INTO masterdata (county_id, entity, id, record) SELECT $1, e, i, r FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS t(e, i, r)`,
    [countyId, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => JSON.stringify(r[2]))],
  );
  const served = demo.stations.filter((s) => s.kind === 'village').flatMap((s) => s.villageCodes.map((code) => [code, s.id]));
  await db.query(`INSERT INTO village_stations (county_id, village_code, station_id) SELECT $1, c, s FROM unnest($2::text[], $3::text[]) AS t(c, s)`, [
    countyId,
    served.map((r) => r[0]),
    served.map((r) => r[1]),
  ]);
}

/** `count` valid parcel contracts with waybills `<prefix>000000000`… (from `start`), spread over `villages`. */
export function demoParcels(prefix: string, count: number, villages: string[], start = 0) {
  return Array.from({ length: count }, (_, n) => start + n).map((i) => ({
    waybill: `${prefix}${String(i).padStart(9, '0')}`,
    destination: { villageCode: villages[i % villages.length]! },
    weightKg: 0.5 + (i % 20) * 0.25,
    declaredValueYuan: 30 + (i % 50),
    recipient: { name: '张三丰', phone: `139${String(10_000_000 + i).slice(-8)}` },
    sender: { name: '某某旗舰店' },
  }));
}
