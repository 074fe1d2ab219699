/**
 * The day's demand as events in simulated time, decided up front from the county, the day and the seed (pure, no
 * I/O, no clock): the couriers' manifests and when their line-haul reaches the center, the village stations'
 * bookings, and the faults fixed in advance (an unknown address, a manifest conflict). What happens on the road
 * (routes, hand-overs, the excursion) follows from dispatch's plans at run time.
 */
import { isServiceDue, type ServiceFrequency } from '@county/contracts';
import { createRandom } from '@county/routing';
import type { DemoCounty, DemoStation } from '../demo-types.js';
import type { Demand } from './demand.js';
import { waveInstants, zonedInstant } from './time.js';

export interface PlannedParcel {
  waybill: string;
  direction: 'downstream';
  destination: { villageCode: string } | { stationId: string };
  weightKg: number;
  volumeM3: number;
  declaredValueYuan: number;
  coldChainProfileId?: string;
  recipient: { name: string; phone: string };
  sender: { name: string };
  serviceType: 'standard' | 'cold_chain';
}

export interface PlannedManifest {
  courierId: string;
  manifestId: string;
  /** When the courier publishes it (before its truck leaves for the center). */
  publishAt: Date;
  /** When the truck reaches the center: the operator's receive scans. */
  arriveAt: Date;
  parcels: PlannedParcel[];
}

export interface PlannedBooking {
  stationId: string;
  courierId: string;
  bookingId: string;
  at: Date;
  product: string;
  coldChainProfileId?: string;
  weightKg: number;
  count: number;
}

export interface DayPlan {
  dayStart: Date;
  dayEnd: Date;
  manifests: PlannedManifest[];
  bookings: PlannedBooking[];
  /** Every waybill announced, once each, by courier. */
  waybills: { courierId: string; waybill: string }[];
  /** A parcel addressed to a village no station serves, and the station an operator corrects it to. */
  unknownAddress: { courierId: string; waybill: string; correctedStationId: string };
  /** A waybill announced twice with other content; the first is kept. */
  conflict: { courierId: string; waybill: string };
  /** The cold room whose only sensor falls silent, and when. */
  silentColdRoom: { stationId: string; silentFrom: Date };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'.split('');
const GIVEN = ['小明', '建国', '秀英', '桂兰', '志强', '海燕', '春梅', '德华', '玉兰', '国平', '红霞', '文军'];
const SHOPS = ['县城电商仓', '某某旗舰店', '拼好货仓', '城市优选仓', '家电专营店'];

const MINUTE = 60_000;

interface Target {
  destination: { villageCode: string } | { stationId: string };
  station: DemoStation;
}

/** Whether a station is due on `day` (no frequency: daily). */
export function dueOn(station: DemoStation, day: string): boolean {
  return isServiceDue((station.serviceFrequency ?? { kind: 'daily' }) as ServiceFrequency, day);
}

export function planDay(county: DemoCounty, demand: Demand, day: string, seed: number, scale: number): DayPlan {
  const random = createRandom(seed);
  const between = (min: number, max: number) => min + random() * (max - min);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tz = county.county.timeZone;
  const dayStart = zonedInstant(day, '00:00', tz);
  const dayEnd = new Date(dayStart.getTime() + 24 * 60 * MINUTE);
  const stations = county.stations.filter((s) => s.active !== false);
  const townStations = stations.filter((s) => s.kind === 'town');
  const villageStations = stations.filter((s) => s.kind === 'village');

  // The cold room that falls silent: a town station's (never the center's, where chilled parcels wait).
  const coldRooms = stations.filter((s) => s.kind !== 'center' && s.coldStorageM3 > 0).sort((a, b) => a.id.localeCompare(b.id));
  const silent = coldRooms[0];
  if (!silent) throw new Error('the county has no station with a cold room but the center: the silent sensor needs one');

  // Destinations: every village code an active village station lists (a code resolves to its village station only),
  // and the town stations themselves, by id.
  const served: Target[] = [
    ...villageStations.flatMap((s) => s.villageCodes.map((code) => ({ destination: { villageCode: code }, station: s }))),
    ...townStations.map((s) => ({ destination: { stationId: s.id }, station: s })),
  ];
  // Chilled parcels go to stations due that day without a cold room of their own: handed over, they leave any
  // container (only the center's cold room, the silent one and the trucks have gateways reporting).
  const chilledTargets = served.filter((d) => d.station.coldStorageM3 === 0 && dueOn(d.station, day));
  if (served.length === 0 || chilledTargets.length === 0) throw new Error('the county has no served village due on the day');

  // Arrival windows: before each wave's cut-off, an hour clear of it; the first from just after midnight.
  const waves = [...county.county.waves]
    .map((w) => ({ id: w.id, ...waveInstants(county.county, w, day) }))
    .filter((w) => w.cutoffAt > dayStart)
    .sort((a, b) => a.cutoffAt.getTime() - b.cutoffAt.getTime());
  if (waves.length === 0) throw new Error(`no wave of ${day} has its cut-off within the day`);
  const windows: { from: number; to: number }[] = [];
  let from = dayStart.getTime() + 20 * MINUTE;
  for (const wave of waves) {
    const to = wave.cutoffAt.getTime() - 60 * MINUTE;
    if (to - from >= 30 * MINUTE) windows.push({ from, to });
    from = wave.cutoffAt.getTime() + 45 * MINUTE;
  }
  if (windows.length === 0) throw new Error('no time before the waves’ cut-offs for parcels to arrive');
  const windowShare = (i: number) => (windows.length === 1 ? 1 : i === 0 ? demand.nightShare : (1 - demand.nightShare) / (windows.length - 1));

  const manifests: PlannedManifest[] = [];
  const waybills: { courierId: string; waybill: string }[] = [];
  let phoneSeq = 0;
  const compact = day.replaceAll('-', '');
  for (const courier of demand.couriers) {
    const total = Math.max(1, Math.round(courier.parcelsPerDay * scale));
    let seq = 0;
    windows.forEach((window, w) => {
      const count = w === windows.length - 1 ? total - seq : Math.round(total * windowShare(w));
      // Two trucks per window (line-haul), each manifest at most 1,000 parcels.
      const trucks = [Math.ceil(count / 2), Math.floor(count / 2)].filter((n) => n > 0);
      trucks.forEach((n, t) => {
        const arriveAt = new Date(window.from + ((t + 0.5) / trucks.length) * (window.to - window.from) * between(0.85, 1.0));
        for (let start = 0; start < n; start += 1000) {
          const parcels: PlannedParcel[] = [];
          for (let k = start; k < Math.min(n, start + 1000); k++) {
            const chilled = random() < demand.chilledShare;
            const target = chilled ? pick(chilledTargets) : pick(served);
            const weightKg = Math.round(between(demand.downstreamWeightKg.min, demand.downstreamWeightKg.max) * 10) / 10;
            const waybill = `${courier.courierId.toUpperCase().slice(0, 4)}${compact}${String(seq++).padStart(6, '0')}`;
            parcels.push({
              waybill,
              direction: 'downstream',
              destination: target.destination,
              weightKg,
              volumeM3: Math.round(weightKg * 0.006 * 1000) / 1000,
              declaredValueYuan: Math.round(between(20, 400)),
              ...(chilled ? { coldChainProfileId: 'chilled' } : {}),
              recipient: { name: `${pick(SURNAMES)}${pick(GIVEN)}`, phone: `1${pick(['39', '58', '37', '86'])}${String(10_000_000 + phoneSeq++).slice(-8)}` },
              sender: { name: pick(SHOPS) },
              serviceType: chilled ? 'cold_chain' : 'standard',
            });
            waybills.push({ courierId: courier.courierId, waybill });
          }
          manifests.push({
            courierId: courier.courierId,
            manifestId: `${courier.courierId}-${compact}-w${w + 1}-t${t + 1}-${start / 1000 + 1}`,
            publishAt: new Date(arriveAt.getTime() - 45 * MINUTE),
            arriveAt,
            parcels,
          });
        }
      });
    });
  }
  manifests.sort((a, b) => a.publishAt.getTime() - b.publishAt.getTime() || a.manifestId.localeCompare(b.manifestId));

  // An unknown address: a village no active station lists (or a code the county does not have).
  const listed = new Set(villageStations.flatMap((s) => s.villageCodes));
  const unlisted = county.villages.find((v) => v.active !== false && !listed.has(v.code));
  const first = manifests[0]!;
  const lost = first.parcels[0]!;
  lost.destination = { villageCode: unlisted?.code ?? `${county.county.adminCode}999999` };
  const correctedTo = (unlisted && townStations.find((s) => s.townId === unlisted.townId)) ?? townStations[0] ?? villageStations[0]!;
  const unknownAddress = { courierId: first.courierId, waybill: lost.waybill, correctedStationId: correctedTo.id };

  // A manifest conflict: a later manifest of another courier's… no — of the same courier repeats a waybill with other content.
  const original = manifests.find((m) => m !== first && m.parcels.length > 1)!;
  const later = manifests.filter((m) => m.courierId === original.courierId && m.publishAt > original.publishAt).at(0) ?? original;
  const repeated = original.parcels[1]!;
  later.parcels.push({ ...repeated, weightKg: Math.round((repeated.weightKg + 1.5) * 10) / 10, volumeM3: Math.round((repeated.weightKg + 1.5) * 0.006 * 1000) / 1000 });
  const conflict = { courierId: original.courierId, waybill: repeated.waybill };

  // Bookings at village stations due on the day, before each cut-off; at least two of produce in each window.
  const dueVillageStations = villageStations.filter((s) => dueOn(s, day)).sort((a, b) => a.id.localeCompare(b.id));
  if (dueVillageStations.length === 0) throw new Error(`no village station is due on ${day}`);
  const downstreamTotal = manifests.reduce((n, m) => n + m.parcels.length, 0);
  const upstream = Math.max(4 * windows.length, Math.round(downstreamTotal * demand.upstreamShare));
  const bookings: PlannedBooking[] = [];
  for (let i = 0; i < upstream; i++) {
    const w = i < 2 * windows.length ? i % windows.length : windowOf(random(), windows.length, demand.nightShare);
    const window = windows[w]!;
    const cold = i < 2 * windows.length || random() < demand.coldProduceShare;
    const station = pick(dueVillageStations);
    const at = new Date(window.from + random() * (window.to - window.from));
    const courierId = pick(demand.couriers).courierId;
    if (cold) {
      const box = pick(demand.produce.boxKg);
      const count = 1 + Math.floor(random() * 4);
      bookings.push({ stationId: station.id, courierId, bookingId: `bk-${compact}-${String(i).padStart(5, '0')}`, at, product: demand.produce.product, coldChainProfileId: demand.produce.coldChainProfileId, weightKg: box * count, count });
    } else {
      const count = 1 + Math.floor(random() * 3);
      bookings.push({ stationId: station.id, courierId, bookingId: `bk-${compact}-${String(i).padStart(5, '0')}`, at, product: pick(demand.ambientProducts), weightKg: Math.round(between(2, 8) * count * 10) / 10, count });
    }
  }
  bookings.sort((a, b) => a.at.getTime() - b.at.getTime() || a.bookingId.localeCompare(b.bookingId));

  return {
    dayStart,
    dayEnd,
    manifests,
    bookings,
    waybills,
    unknownAddress,
    conflict,
    silentColdRoom: { stationId: silent.id, silentFrom: new Date(dayStart.getTime() + 9 * 60 * MINUTE) },
  };
}

function windowOf(r: number, windows: number, nightShare: number): number {
  if (windows === 1 || r < nightShare) return 0;
  return 1 + Math.floor(((r - nightShare) / (1 - nightShare)) * (windows - 1));
}
