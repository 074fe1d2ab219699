/**
 * Generates the demo county, in both import forms: demo/county/county.json and the six CSV files, and
 * what its days are made of (demo/county/demand.json, not master data: the simulator reads it).
 * Seeded, so `npx tsx demo/generate-county.ts` writes the same files every time.
 *
 * Shaped by docs/domain-figures.md like Yanling, the programme's mid-size county (120 administrative
 * villages): 1 center, 12 towns and townships with a station each, 120 villages of which 102 are covered
 * (85 %: 90 by 87 village stations, 12 by their town's station; above the demonstration counties' 80 % target
 * and below 100 %, so coverage is measurable); towns up to
 * ~35 km from the seat in the hills; 5 courier brands of different sizes; 8 center vehicles (2 of them
 * refrigerated) and 3 couriers' own vans, vans at 1.5–2.5 yuan/km and 200–300 yuan a day, refrigerated
 * vans at 3–4 yuan/km and 400–500 a day; a surveyed pre-project cost of 2.6 yuan a parcel. The county
 * code (511623) and the hills around it are Linshui's in Sichuan, the example county of the contracts;
 * the name, towns, villages and everything else are invented.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRandom } from '@county/routing';
import { countyCsvFiles } from './county-csv.js';
import type { DemoCounty, DemoDemand, DemoStation, DemoVehicle, DemoVillage, Point } from './demo-types.js';

export const SEED = 20_240_611;
const COUNTY_CODE = '511623';
const SEAT: Point = { lat: 30.334, lng: 106.93 };

/** 9 towns (镇, codes 101–) and 3 townships (乡, codes 201–); the first is the county seat. */
const TOWNS = ['城关镇', '石门镇', '双河镇', '龙潭镇', '高峰镇', '柑子镇', '坪山镇', '观音镇', '黄桷镇', '青龙乡', '九龙乡', '桃园乡'];
const TOWNSHIPS_FROM = 9;
/** Towns known for fruit (navel oranges, yellow peaches): their stations keep a cold room, their villages book produce pickups. */
const FRUIT_TOWNS = new Set(['柑子镇', '桃园乡', '九龙乡', '观音镇']);
/** Villages a town administers (the seat's 8 first): 120 in all, as Yanling. */
const VILLAGES_PER_TOWN = [8, 11, 10, 12, 9, 11, 10, 12, 9, 10, 9, 9];
/** Villages without a station of their own or a neighbour's: 120 − 18 = 102 covered (85 %), 90 of them by village stations. */
const UNCOVERED = 18;
/**
 * Villages of the seat town and the next that keep a station of their own whatever the draw:
 * tests/support/dispatch-county.ts takes a slice of six of the first's village stations and four of the second's.
 */
const ALWAYS_COVERED: Record<string, number> = { 'town-101': 7, 'town-102': 8 };

const FIRST = '青石龙凤桃李柏杨花金银双新和平安永兴红白黄马水田高松竹梨茶枫柳云'.split('');
const SECOND = '山河桥岭坪湾沟坝林溪岩塘庙垭口田园坡冲岗'.split('');

export function generateCounty(seed = SEED): DemoCounty {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const towns = TOWNS.map((name, position) => {
    const suffix = position >= TOWNSHIPS_FROM ? 201 + position - TOWNSHIPS_FROM : 101 + position;
    const location = position === 0 ? SEAT : around(random, SEAT, 8, 35);
    return { id: `town-${suffix}`, code: `${COUNTY_CODE}${suffix}`, name, location, remoteness: distanceKm(SEAT, location) / 35 };
  });

  const villageNames = new Set<string>();
  const villageName = (): string => {
    const name = `${pick(FIRST)}${pick(SECOND)}村`;
    if (villageNames.has(name)) return villageName();
    villageNames.add(name);
    return name;
  };

  const located = towns.map((town, t) =>
    Array.from({ length: VILLAGES_PER_TOWN[t]! }, (_, position): DemoVillage & { location: Point; remoteness: number } => {
      const location = around(random, town.location, 1.5, 9);
      return {
        code: `${town.code}${201 + position}`,
        name: villageName(),
        townId: town.id,
        // Formerly poverty-registered villages lie mostly in the remote hills.
        povertyRegistered: random() < 0.05 + 0.3 * town.remoteness,
        location,
        remoteness: distanceKm(SEAT, location) / 40,
      };
    }),
  );

  // The villages left without a station: drawn, the remote ones likelier, never a town's seat village (its town
  // station serves it) nor one of the first villages the dispatch tests' slice needs.
  const candidates = located.flatMap((townVillages) =>
    townVillages.slice(1 + (ALWAYS_COVERED[townVillages[0]!.townId] ?? 0)).map((village) => ({ village, weight: random() * (0.4 + village.remoteness) })),
  );
  const uncovered = new Set(candidates.sort((a, b) => b.weight - a.weight || a.village.code.localeCompare(b.village.code)).slice(0, UNCOVERED).map((c) => c.village.code));

  const villages: DemoVillage[] = [];
  const stations: DemoStation[] = [
    {
      id: 'center',
      name: '龙安县电子商务物流共配中心',
      kind: 'center',
      townId: towns[0]!.id,
      location: around(random, SEAT, 2, 4),
      address: '城关镇工业园区物流大道8号, 共配中心',
      openingHours: { daily: '05:00-22:00' },
      coldStorageM3: 300,
      villageCodes: [],
    },
  ];
  for (const [t, town] of towns.entries()) {
    const townVillages = located[t]!;
    villages.push(...townVillages.map(({ location: _location, remoteness: _remoteness, ...village }) => village));
    // The town station also serves the village it stands in; the others get village points.
    stations.push({
      id: `ts-${town.code.slice(6)}`,
      name: `${town.name}物流服务站`,
      kind: 'town',
      townId: town.id,
      location: town.location,
      address: `${town.name}中心街${between(1, 99)}号`,
      openingHours: { daily: '07:30-19:00' },
      coldStorageM3: FRUIT_TOWNS.has(town.name) ? 30 : 0,
      villageCodes: [townVillages[0]!.code],
    });
    let previous: DemoStation | undefined;
    for (const [position, village] of townVillages.slice(1).entries()) {
      if (uncovered.has(village.code)) continue;
      const keep = ALWAYS_COVERED[town.id] ?? 0;
      if (position >= keep && random() < 0.08 && previous && previous.villageCodes.length < 2) {
        previous.villageCodes.push(village.code); // a small neighbour shares the point next door
      } else {
        previous = villageStation(village, random, pick);
        stations.push(previous);
      }
    }
  }

  return {
    county: {
      id: `cn-${COUNTY_CODE}`,
      name: '龙安县',
      adminCode: COUNTY_CODE,
      timeZone: 'Asia/Shanghai',
      sla: { centerToTownHours: 12, townToVillageHours: 24, centerToVillageHours: 24, villageToCenterHours: 24 },
      baselineCostPerParcelYuan: 2.6,
      waves: [
        { id: 'am', departure: '07:00', cutoff: '05:30' },
        { id: 'pm', departure: '13:30', cutoff: '12:00' },
      ],
      defaultVehicleType: { name: '面包车', capacityKg: 1000, capacityM3: 6, costPerKmYuan: 2, costPerHourYuan: 30, fixedCostPerDayYuan: 250, maxShiftHours: 10 },
    },
    towns: towns.map(({ id, code, name }) => ({ id, code, name, active: true })),
    villages: villages.map((village) => ({ ...village, active: true })),
    stations: stations.map((station) => ({ ...station, active: true })),
    couriers: COURIERS.map(([id, brand, name]) => ({ id, brand, name: `${name}（龙安县）`, active: true })),
    vehicles: fleet(random),
  };
}

function villageStation(village: DemoVillage & { location: Point }, random: () => number, pick: <T>(items: readonly T[]) => T): DemoStation {
  const hours = random();
  const frequency = random();
  return {
    id: `vs-${village.code.slice(6)}`,
    name: `${village.name}电商服务站`,
    kind: 'village',
    townId: village.townId,
    location: village.location,
    openingHours:
      hours < 0.75
        ? { daily: pick(['08:00-18:00', '08:00-20:00', '07:30-19:30', '08:30-18:30']) }
        : { mon: '08:00-18:00', tue: '08:00-18:00', wed: '08:00-18:00', thu: '08:00-18:00', fri: '08:00-18:00', sat: '08:00-18:00', sun: '09:00-12:00' },
    coldStorageM3: random() < 0.04 ? 8 : 0,
    // DOMAIN-FIGURES: town→village every 1–2 days; ≥ 3 deliveries a week in the west.
    serviceFrequency:
      frequency < 0.55 ? { kind: 'daily' } : { kind: 'every_n_days', everyDays: 2, anchorDate: pick(['2026-01-05', '2026-01-06']) },
    villageCodes: [village.code],
  };
}

/** Five brands of different sizes (demand.json gives their volumes): the post, three of the 通达 and 极兔. */
const COURIERS = [
  ['ems', 'china_post', '中国邮政·EMS'],
  ['zto', 'zto', '中通快递'],
  ['yto', 'yto', '圆通速递'],
  ['yunda', 'yunda', '韵达快递'],
  ['jt', 'jt', '极兔速递'],
] as const;

type Spec = Omit<DemoVehicle, 'id' | 'plate' | 'owner' | 'depotStationId' | 'active'>;
const TRUCK: Spec = { name: '4.2米厢式货车', capacityKg: 3000, capacityM3: 16, refrigerated: false, costPerKmYuan: 2.8, costPerHourYuan: 35, fixedCostPerDayYuan: 350, maxShiftHours: 10 };
const VAN: Spec = { name: '面包车', capacityKg: 1000, capacityM3: 6, refrigerated: false, costPerKmYuan: 2, costPerHourYuan: 30, fixedCostPerDayYuan: 250, maxShiftHours: 10 };
const MINIVAN: Spec = { name: '微型面包车', capacityKg: 800, capacityM3: 4.5, refrigerated: false, costPerKmYuan: 1.6, costPerHourYuan: 28, fixedCostPerDayYuan: 200, maxShiftHours: 9 };
const REEFER: Spec = {
  name: '冷藏车', capacityKg: 1500, capacityM3: 8, refrigerated: true, refrigeratedCapacityKg: 1500, refrigeratedCapacityM3: 8,
  costPerKmYuan: 3.5, costPerHourYuan: 35, fixedCostPerDayYuan: 450, maxShiftHours: 10,
};
/** DOMAIN-FIGURES: an electric refrigerated truck runs about a third cheaper. */
const E_REEFER: Spec = { ...REEFER, name: '纯电冷藏车', costPerKmYuan: 2.4, fixedCostPerDayYuan: 420 };

/**
 * The center's 8 vehicles: two trunk trucks, four vans for village loops, two refrigerated vans for produce
 * (one electric); and the couriers' own vans that delivered before consolidation (the counterfactual's fleet).
 */
function fleet(random: () => number): DemoVehicle[] {
  const plates = new Set<string>();
  const plate = (): string => {
    const value = `川X·${Array.from({ length: 5 }, () => '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(random() * (random() < 0.7 ? 10 : 34))]).join('')}`;
    if (plates.has(value)) return plate();
    plates.add(value);
    return value;
  };
  const vehicle = (id: string, spec: Spec, owner: DemoVehicle['owner'] = { kind: 'center' }): DemoVehicle => ({
    id, plate: plate(), ...spec, owner, depotStationId: 'center', active: true,
  });
  const courier = (courierId: string) => ({ kind: 'courier' as const, courierId });
  return [
    vehicle('truck-01', TRUCK),
    vehicle('truck-02', TRUCK),
    ...[1, 2, 3, 4].map((n) => vehicle(`van-0${n}`, VAN)),
    vehicle('reefer-01', REEFER),
    vehicle('reefer-02', E_REEFER),
    vehicle('ems-van-01', VAN, courier('ems')),
    vehicle('zto-van-01', VAN, courier('zto')),
    vehicle('yunda-van-01', MINIVAN, courier('yunda')),
  ];
}

/**
 * What the county's days are made of (demo/county/demand.json). Volumes: 8,000 parcels a day downstream, between the
 * small network of 7 townships and 94 villages docs/domain-figures.md cites (4,000, "Volumes") and a Yanling-sized
 * day (10,000–20,000) — what this county's 8 center vehicles and 3 couriers' vans carry in two waves (about 16 t a
 * wave; the parcels weigh 2.6 kg on average): 12,000 left a third of the day on the dock, and at 4,000 the fixed
 * cost of the vehicle-days left the cost per parcel near the surveyed 2.6 yuan. Upstream 25 % of that; the shares
 * between brands, arrival times and fault counts are assumptions.
 */
export function generateDemand(county: DemoCounty, seed = SEED): DemoDemand {
  const random = createRandom(seed ^ 0x5eed);
  const shares: [string, number, 'kafka' | 'rest', number][] = [
    ['zto', 0.3, 'kafka', 6],
    ['yto', 0.24, 'kafka', 5],
    ['yunda', 0.2, 'rest', 8],
    ['jt', 0.14, 'rest', 6],
    ['ems', 0.12, 'kafka', 4],
  ];
  const downstream = 8_000;
  const fruitTowns = new Set(county.towns.filter((town) => FRUIT_TOWNS.has(town.name)).map((town) => town.id));
  const growers = county.stations.filter((station) => station.kind === 'village' && fruitTowns.has(station.townId));
  const bookings = (stationsOf: DemoStation[], min: number, max: number) =>
    stationsOf.map((station) => ({ stationId: station.id, bookingsPerDay: min + Math.floor(random() * (max - min + 1)), parcelsPerBooking: [5, 40] as [number, number] }));
  const reefers = county.vehicles.filter((vehicle) => vehicle.refrigerated && vehicle.owner.kind === 'center');
  return {
    countyId: county.county.id,
    seed,
    downstreamParcelsPerDay: downstream,
    upstreamShare: 0.25,
    couriers: shares.map(([courierId, share, channel, manifestsPerDay]) => ({ courierId, parcelsPerDay: Math.round(downstream * share), channel, manifestsPerDay })),
    parcelWeightsKg: [
      { weightKg: 0.5, share: 0.35 },
      { weightKg: 1.5, share: 0.3 },
      { weightKg: 3, share: 0.2 },
      { weightKg: 6, share: 0.1 },
      { weightKg: 15, share: 0.05 },
    ],
    arrivals: [
      { at: '03:30', share: 0.45 },
      { at: '10:30', share: 0.35 },
      { at: '16:00', share: 0.2 },
    ],
    produce: [
      {
        id: 'navel-orange', name: 'Navel orange', nameZh: '脐橙', profileId: 'navel-orange',
        season: { from: '11-01', to: '01-31' }, boxWeightsKg: [2.5, 5, 10],
        stations: bookings(growers.filter((_, n) => n % 2 === 0), 1, 3),
      },
      {
        id: 'yellow-peach', name: 'Yellow peach', nameZh: '黄桃', profileId: 'yellow-peach',
        // DOMAIN-FIGURES: Yanling yellow peach ≈ 21 Jul – 20 Aug.
        season: { from: '07-21', to: '08-20' }, boxWeightsKg: [2.5, 5],
        stations: bookings(growers.filter((_, n) => n % 2 === 1), 1, 3),
      },
    ],
    faults: {
      damagedParcels: 1,
      refusedParcels: 1,
      unknownAddresses: 1,
      manifestConflicts: 1,
      lateScanShare: 0.05,
      lateScanDelayHours: [2, 6],
      outOfOrderScanShare: 0.02,
    },
    coldChain: {
      // DOMAIN-FIGURES: one reading every 30 s to 5 min per compartment.
      readingEverySeconds: 120,
      excursion: { vehicleId: reefers[0]!.id, at: '09:30', minutes: 45, peakC: 12 },
      silentSensor: { vehicleId: reefers[1]!.id, from: '10:00' },
    },
  };
}

/** Villages covered by a station, any kind. */
export function coveredVillages(county: DemoCounty): Set<string> {
  return new Set(county.stations.flatMap((station) => station.villageCodes));
}

/** A point `min`–`max` km from `origin` (great circle), the county stretched north–south as it is. */
function around(random: () => number, origin: Point, min: number, max: number): Point {
  const km = min + random() * (max - min);
  const bearing = random() * 2 * Math.PI;
  const lat = origin.lat + (km * 1.3 * Math.cos(bearing)) / 111.2;
  const lng = origin.lng + (km * 0.7 * Math.sin(bearing)) / (111.2 * Math.cos((origin.lat * Math.PI) / 180));
  return { lat: Math.round(lat * 1e5) / 1e5, lng: Math.round(lng * 1e5) / 1e5 };
}

function distanceKm(a: Point, b: Point): number {
  const dLat = (b.lat - a.lat) * 111.2;
  const dLng = (b.lng - a.lng) * 111.2 * Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot(dLat, dLng);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = fileURLToPath(new URL('./county/', import.meta.url));
  const county = generateCounty();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}county.json`, `${JSON.stringify(county, null, 2)}\n`);
  for (const [name, text] of Object.entries(countyCsvFiles(county))) writeFileSync(`${outDir}${name}`, text);
  writeFileSync(`${outDir}demand.json`, `${JSON.stringify(generateDemand(county), null, 2)}\n`);
  const villageStations = county.stations.filter((station) => station.kind === 'village').length;
  console.log(
    `${county.towns.length} towns, ${county.villages.length} villages (${coveredVillages(county).size} covered), ` +
      `${villageStations} village stations, ${county.couriers.length} couriers, ${county.vehicles.length} vehicles → ${outDir}`,
  );
}
