/**
 * Generates the demo county, in both import forms: demo/county/county.json and the six CSV files.
 * Seeded, so `npx tsx demo/generate-county.ts` writes the same files every time.
 *
 * Shaped by docs/domain-figures.md: 1 center, 17 town stations and about 230 village points,
 * as the 2024 co-distribution network it cites; ≥ 80 % of villages covered; towns up to ~35 km from
 * the seat; 7 courier brands; vans at 1.5–2.5 yuan/km and 200–300 yuan a day, refrigerated vans at
 * 3–4 yuan/km and 400–500 a day; a surveyed pre-project cost of 2.6 yuan a parcel. The county code
 * (511623) and the hills around it are Linshui's in Sichuan, the example county of the contracts;
 * the name, towns, villages and everything else are invented.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRandom } from '@county/routing';
import { countyCsvFiles } from './county-csv.js';
import type { DemoCounty, DemoStation, DemoVehicle, DemoVillage, Point } from './demo-types.js';

const SEED = 20_240_611;
const COUNTY_CODE = '511623';
const SEAT: Point = { lat: 30.334, lng: 106.93 };

/** 13 towns (镇, codes 101–) and 4 townships (乡, codes 201–); the first is the county seat. */
const TOWNS = [
  '城关镇', '石门镇', '双河镇', '龙潭镇', '高峰镇', '柑子镇', '坪山镇', '观音镇', '黄桷镇',
  '太和镇', '复兴镇', '三汇镇', '白鹤镇', '青龙乡', '椿木乡', '九龙乡', '桃园乡',
];
/** Towns known for fruit (plums, navel oranges): their stations keep a cold room. */
const FRUIT_TOWNS = new Set(['柑子镇', '桃园乡', '九龙乡', '观音镇']);

const FIRST = '青石龙凤桃李柏杨花金银双新和平安永兴红白黄马水田高松竹梨茶枫柳云'.split('');
const SECOND = '山河桥岭坪湾沟坝林溪岩塘庙垭口田园坡冲岗'.split('');

export function generateCounty(seed = SEED): DemoCounty {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const towns = TOWNS.map((name, position) => {
    const suffix = name.endsWith('乡') ? 201 + position - 13 : 101 + position;
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
  for (const town of towns) {
    const count = town === towns[0] ? 9 : between(11, 19);
    const townVillages = Array.from({ length: count }, (_, position): DemoVillage & { location: Point } => ({
      code: `${town.code}${201 + position}`,
      name: villageName(),
      townId: town.id,
      // Formerly poverty-registered villages lie mostly in the remote hills.
      povertyRegistered: random() < 0.05 + 0.3 * town.remoteness,
      location: around(random, town.location, 1.5, 9),
    }));
    villages.push(...townVillages.map(({ location: _location, ...village }) => village));
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
    for (const village of townVillages.slice(1)) {
      const draw = random();
      if (draw < 0.09 && previous && previous.villageCodes.length < 2) {
        previous.villageCodes.push(village.code); // a small neighbour shares the point next door
      } else if (draw < 0.9) {
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
    vehicles: fleet(stations, random),
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
      frequency < 0.55
        ? { kind: 'daily' }
        : frequency < 0.9
          ? { kind: 'every_n_days', everyDays: 2, anchorDate: pick(['2026-01-05', '2026-01-06']) }
          : { kind: 'weekdays', weekdays: pick([['mon', 'wed', 'fri'], ['tue', 'thu', 'sat']]) },
    villageCodes: [village.code],
  };
}

const COURIERS = [
  ['ems', 'china_post', '中国邮政·EMS'],
  ['zto', 'zto', '中通快递'],
  ['sto', 'sto', '申通快递'],
  ['yto', 'yto', '圆通速递'],
  ['yunda', 'yunda', '韵达快递'],
  ['jt', 'jt', '极兔速递'],
  ['sf', 'sf', '顺丰速运'],
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
 * The center's trunk trucks and vans, minivans based at the larger town stations for village
 * loops, refrigerated vans for produce, and a few couriers' own vehicles.
 */
function fleet(stations: DemoStation[], random: () => number): DemoVehicle[] {
  const hubs = stations.filter((station) => station.kind === 'town').sort((a, b) => b.villageCodes.length - a.villageCodes.length || a.id.localeCompare(b.id));
  const plates = new Set<string>();
  const plate = (): string => {
    const value = `川X·${Array.from({ length: 5 }, () => '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(random() * (random() < 0.7 ? 10 : 34))]).join('')}`;
    if (plates.has(value)) return plate();
    plates.add(value);
    return value;
  };
  const vehicle = (id: string, spec: Spec, depotStationId: string, owner: DemoVehicle['owner'] = { kind: 'center' }): DemoVehicle => ({
    id, plate: plate(), ...spec, owner, depotStationId, active: true,
  });
  const courier = (courierId: string) => ({ kind: 'courier' as const, courierId });
  return [
    ...[1, 2, 3, 4].map((n) => vehicle(`truck-0${n}`, TRUCK, 'center')),
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => vehicle(`van-0${n}`, VAN, 'center')),
    ...hubs.slice(0, 6).map((hub, n) => vehicle(`minivan-0${n + 1}`, MINIVAN, hub.id)),
    vehicle('reefer-01', REEFER, 'center'),
    vehicle('reefer-02', REEFER, 'center'),
    vehicle('reefer-03', E_REEFER, 'center'),
    vehicle('ems-van-01', VAN, 'center', courier('ems')),
    vehicle('ems-van-02', MINIVAN, hubs[0]!.id, courier('ems')),
    vehicle('sf-reefer-01', REEFER, 'center', courier('sf')),
    vehicle('sf-van-01', VAN, 'center', courier('sf')),
    vehicle('zto-van-01', VAN, 'center', courier('zto')),
    vehicle('yunda-van-01', VAN, 'center', courier('yunda')),
  ];
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
  const covered = new Set(county.stations.flatMap((station) => station.villageCodes)).size;
  console.log(
    `${county.towns.length} towns, ${county.villages.length} villages (${covered} covered), ${county.stations.length} stations, ` +
      `${county.couriers.length} couriers, ${county.vehicles.length} vehicles → ${outDir}`,
  );
}
