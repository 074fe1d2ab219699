// A small slice of the demo county (demo/county/county.json) for dispatch's end-to-end tests: imported through
// intake's REST import, so its master data reaches dispatch as `masterdata.events`, and parcels announced by
// couriers over REST and received at the center by scans, so their `parcel.events` feed dispatch's read model.
import { spawn } from 'node:child_process';
import { weekdayOf, type Weekday } from '@county/contracts';
import { loadDemoCounty } from './demo-county.js';
import { waitFor } from './harness.js';
import { root } from './stack.js';

export const COUNTY_ID = 'cn-511623';

/** The slice's couriers: each delivers to every village of the slice. */
export const COURIERS = ['zto', 'yto', 'yunda'] as const;

/** The center's vans: 800 kg each, so a 900 kg parcel fits none of them. */
export const VANS = ['van-1', 'van-2', 'van-3'] as const;

export interface Slice {
  document: Record<string, unknown>;
  /** Village stations due every day, with the village codes parcels are addressed to. */
  daily: { stationId: string; villageCode: string }[];
  /** A village station not due on `date` (due the day after). */
  notDue: { stationId: string; villageCode: string };
}

const van = (id: string) => ({
  id,
  name: '面包车',
  capacityKg: 800,
  capacityM3: 6,
  refrigerated: false,
  costPerKmYuan: 2,
  costPerHourYuan: 30,
  fixedCostPerDayYuan: 250,
  maxShiftHours: 10,
  owner: { kind: 'center' },
  depotStationId: 'center',
  active: true,
});

/** The 4.2 m truck a county adds when a parcel fits no van: 3,000 kg. */
export const bigTruck = (id: string) => ({ ...van(id), name: '4.2米厢式货车', capacityKg: 3000, capacityM3: 16, costPerKmYuan: 2.8, costPerHourYuan: 35, fixedCostPerDayYuan: 350 });

/**
 * Towns 101 and 102 of the demo county with their town stations and ten village stations (six of town 101, four
 * of town 102), open 07:30–19:00 every day and due daily, but one due only the day after `date`; the
 * SLA gives a village parcel 72 h, so a parcel received today waits for its station's day and one received three
 * days ago would breach. Three couriers without vehicles of their own, three center vans.
 */
export async function countySlice(date: string): Promise<Slice> {
  const demo = await loadDemoCounty();
  const towns = demo.towns.filter((t) => t.id === 'town-101' || t.id === 'town-102');
  const townIds = new Set(towns.map((t) => t.id));
  const villages = demo.villages.filter((v) => townIds.has(v.townId as string));
  const villageStations = [
    ...demo.stations.filter((s) => s.kind === 'village' && s.townId === 'town-101').slice(0, 6),
    ...demo.stations.filter((s) => s.kind === 'village' && s.townId === 'town-102').slice(0, 4),
  ];
  const dayAfter: Weekday = weekdayOf(addDays(date, 1));
  const notDueId = villageStations.at(-1)!.id;
  const stations = [
    ...demo.stations.filter((s) => s.kind === 'center' || (s.kind === 'town' && townIds.has(s.townId as string))),
    ...villageStations.map((s) => ({
      ...s,
      openingHours: { daily: '07:30-19:00' },
      serviceFrequency: s.id === notDueId ? { kind: 'weekdays', weekdays: [dayAfter] } : { kind: 'daily' },
    })),
  ];
  const county = { ...demo.county, sla: { centerToTownHours: 12, townToVillageHours: 24, centerToVillageHours: 72, villageToCenterHours: 24 } };
  const document = {
    county,
    towns,
    villages,
    stations,
    couriers: demo.couriers.filter((c) => (COURIERS as readonly string[]).includes(c.id)),
    vehicles: VANS.map(van),
  };
  const first = (s: (typeof villageStations)[number]) => ({ stationId: s.id, villageCode: s.villageCodes[0]! });
  return {
    document,
    daily: villageStations.filter((s) => s.id !== notDueId).map(first),
    notDue: first(villageStations.at(-1)!),
  };
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Tomorrow in the county's time zone: today's parcels are all in before its morning wave's cut-off. */
export function tomorrowInCounty(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(now.getTime() + 86_400_000));
}

/** A parcel as a courier announces it; `n` spreads weights (4–9 kg) over the parcels. */
export function announced(waybill: string, villageCode: string, n: number, overrides: Record<string, unknown> = {}) {
  const weightKg = 4 + (n % 6);
  return {
    waybill,
    destination: { villageCode },
    weightKg,
    volumeM3: Math.round(weightKg * 0.004 * 1000) / 1000,
    declaredValueYuan: 50,
    recipient: { name: '王小明', phone: `139${String(10_000_000 + n).slice(-8)}` },
    sender: { name: '县城电商仓' },
    ...overrides,
  };
}

/** `services/intake/dist/commands/create-admin-key.js` against intake's schema and topics: the county's first key. */
export function createAdminKey(env: NodeJS.ProcessEnv, countyId = COUNTY_ID): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['services/intake/dist/commands/create-admin-key.js', '--county', countyId], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`create-admin-key exited ${code}: ${err}`))));
  });
}

/** JSON over HTTP with a key; the body parsed (or the text when it is not JSON). */
export async function api<T = any>(method: string, url: string, key: string | undefined, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { ...(key ? { 'x-api-key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T };
}

export interface ReceivedParcels {
  intakeUrl: string;
  slice: Slice;
  /** Issues a key at intake (the test's admin). */
  issue: (body: Record<string, unknown>) => Promise<string>;
  operator: string;
  /** dispatch's schema: the parcels received and the slice's master data must be in its read model. */
  dispatchDb: { query: <R>(sql: string, params: unknown[]) => Promise<{ rows: R[] }> };
  perCourier: number;
  /** In the waybills, so tests sharing a topic never collide. */
  waybillTag: string;
}

/**
 * The slice's couriers announce `perCourier` parcels each to its daily villages, the center receives them all now,
 * and dispatch's read model has every one received with every station and vehicle of the slice: ready to plan.
 * Resolves the parcels' ids.
 */
export async function receivedAtCenter(o: ReceivedParcels): Promise<string[]> {
  const ids: string[] = [];
  for (const [c, courierId] of COURIERS.entries()) {
    const key = await o.issue({ role: 'courier', name: `${courierId} franchise`, scope: { courierId } });
    const parcels = Array.from({ length: o.perCourier }, (_, n) =>
      announced(`${courierId.toUpperCase()}${o.waybillTag}${String(n).padStart(5, '0')}`, o.slice.daily[(n + c) % o.slice.daily.length]!.villageCode, n),
    );
    const batch = await api<{ results: { parcelId: string }[] }>('POST', `${o.intakeUrl}/parcels/batch`, key, { parcels });
    if (batch.status !== 200) throw new Error(`POST /parcels/batch: ${batch.status} ${JSON.stringify(batch.body)}`);
    ids.push(...batch.body.results.map((r) => r.parcelId));
  }
  const at = new Date().toISOString();
  const scans = ids.map((parcelId) => ({ scanId: `receive-${parcelId}`, kind: 'receive', parcel: { parcelId }, occurredAt: at, stationId: 'center' }));
  const received = await api('POST', `${o.intakeUrl}/scans/batch`, o.operator, { scans });
  if (received.status !== 200) throw new Error(`POST /scans/batch: ${received.status} ${JSON.stringify(received.body)}`);
  const doc = o.slice.document as { stations: { id: string }[]; vehicles: { id: string }[] };
  const wanted = [...doc.stations.map((s) => `station:${s.id}`), ...doc.vehicles.map((v) => `vehicle:${v.id}`)];
  await waitFor(
    async () => {
      const parcels = await o.dispatchDb.query<{ n: number }>(`SELECT count(*)::int AS n FROM parcels WHERE parcel_id = ANY($1::uuid[]) AND state = 'received'`, [ids]);
      const master = await o.dispatchDb.query<{ n: number }>(`SELECT count(*)::int AS n FROM masterdata WHERE entity || ':' || id = ANY($1)`, [wanted]);
      return parcels.rows[0]!.n === ids.length && master.rows[0]!.n === wanted.length ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  return ids;
}
