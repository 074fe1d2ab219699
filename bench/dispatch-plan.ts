// The plan part of `npm run bench:dispatch`: one wave of a generated county (300 stations, 20,000 parcels,
// 5 couriers, 30 vehicles) planned by dispatch's planner at the default budget, counterfactual included. Pure: no
// infrastructure. Prints JSON lines {"bench", "value", "unit"}: dispatch.plan.seconds,
// dispatch.plan.cost_per_parcel, dispatch.reduction_vs_counterfactual_pct (and, as `extra`, what the figures rest
// on). BENCH_SEED picks another county; BENCH_BUDGET_SECONDS another budget.
import { pathToFileURL } from 'node:url';
import type { County, Station, Vehicle } from '@county/contracts';
import { createRandom, type Random } from '@county/routing';
import { DEFAULT_PLAN_BUDGET_SECONDS, planWave } from '../services/dispatch/src/planning/domain/index.js';
import type { PoolParcel, WaveInput } from '../services/dispatch/src/planning/domain/types.js';

const SEED = Number(process.env.BENCH_SEED ?? 1);
const BUDGET = Number(process.env.BENCH_BUDGET_SECONDS ?? DEFAULT_PLAN_BUDGET_SECONDS);
const STATIONS = 300;
const PARCELS = 20_000;
const COURIERS = ['china_post', 'zto', 'yunda', 'jt', 'sto'];

const COUNTY_ID = 'cn-430225';
const SEAT = { lat: 26.49, lng: 113.77 };
const VILLAGE_HOURS = ['08:00-12:00', '09:00-17:00', '08:00-18:00', '14:00-18:00'];
/** The planning day; the wave leaves at 07:00 Beijing time. */
const DATE = '2025-07-15';

function emit(bench: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Math.round(value * 100) / 100, unit, ...extra })}\n`);
}

/**
 * A hilly county shaped like Yanling (as packages/routing `generateCountyProblem`): a county seat, 17 town stations
 * 8–35 km out, villages 2–12 km around their town. Parcels per docs/domain-figures.md: 80 % downstream (0.3–4 kg,
 * 0.006 m³ a kg), 20 % upstream produce (2.5 kg boxes), chilled fruit from one village in twelve.
 */
export function generateWave(seed: number): WaveInput {
  const random = createRandom(seed);
  const stations: Station[] = [station('center', 'center', undefined, SEAT, '06:00-22:00')];
  const towns = 17;
  for (let t = 0; t < towns; t++) {
    const town = around(random, SEAT, 8, 35);
    stations.push(station(`town-${t + 1}`, 'town', `t${t + 1}`, town, '08:00-18:00'));
    const villages = Math.floor((STATIONS - 1 - towns) / towns) + (t < (STATIONS - 1 - towns) % towns ? 1 : 0);
    for (let v = 0; v < villages; v++) {
      const hours = VILLAGE_HOURS[Math.floor(random() * VILLAGE_HOURS.length)]!;
      stations.push(station(`village-${t + 1}-${v + 1}`, 'village', `t${t + 1}`, around(random, town, 2, 12), hours));
    }
  }
  const served = stations.filter((s) => s.kind !== 'center');
  const fruit = new Set(served.filter((s) => s.kind === 'village' && random() < 1 / 12).map((s) => s.id));
  const parcels: PoolParcel[] = [];
  for (let i = 0; i < PARCELS; i++) {
    const courierId = COURIERS[Math.floor(random() * COURIERS.length)]!;
    // Towns take more than villages: a town station serves its own town and is a village's bigger neighbour.
    const pick = random() < 0.25 ? stations.filter((s) => s.kind === 'town') : served;
    const at = pick[Math.floor(random() * pick.length)]!;
    const upstream = random() < 0.2 && at.kind === 'village';
    const cold = upstream && fruit.has(at.id) && random() < 0.7;
    const weightKg = upstream ? 2.5 : Math.round((0.3 + random() ** 2 * 3.7) * 100) / 100;
    parcels.push({
      parcelId: uuid(random),
      courierId,
      direction: upstream ? 'upstream' : 'downstream',
      stationId: at.id,
      weightKg,
      volumeM3: Math.round(weightKg * 0.006 * 1e6) / 1e6,
      ...(cold ? { coldChainProfileId: 'stone-fruit' } : {}),
      since: '2025-07-14T12:00:00.000Z',
    });
  }
  return {
    county: county(),
    date: DATE,
    waveId: 'am',
    departureAt: '2025-07-14T23:00:00.000Z',
    cutoffAt: '2025-07-14T14:00:00.000Z',
    settings: { mode: 'direct', autoPlan: false, roadFactor: 1.6, averageSpeedKmh: 35, budgetSeconds: BUDGET, seed, serviceMinutes: 10 },
    stations,
    centerStationId: 'center',
    vehicles: fleet(),
    vehiclesUsedToday: [],
    courierIds: COURIERS,
    parcels,
    fixedLines: [],
  };
}

function county(): County {
  return {
    id: COUNTY_ID,
    name: '炎陵县',
    timeZone: 'Asia/Shanghai',
    sla: { centerToTownHours: 12, townToVillageHours: 24, centerToVillageHours: 24, villageToCenterHours: 24 },
    baselineCostPerParcelYuan: 2.5,
    waves: [{ id: 'am', departure: '07:00', cutoff: '22:00' }],
    defaultVehicleType: { capacityKg: 1000, capacityM3: 6, costPerKmYuan: 2, costPerHourYuan: 30, fixedCostPerDayYuan: 250, maxShiftHours: 11 },
  };
}

/** 30 vehicles: the center's 13 vans, 6 trucks and 3 refrigerated trucks; 8 vans of three couriers. */
function fleet(): Vehicle[] {
  const base = { countyId: COUNTY_ID, costPerHourYuan: 30, maxShiftHours: 11, depotStationId: 'center', active: true, refrigerated: false };
  const van = { ...base, capacityKg: 1000, capacityM3: 6, costPerKmYuan: 2, fixedCostPerDayYuan: 250 };
  const vehicles: Vehicle[] = [];
  for (let i = 1; i <= 13; i++) vehicles.push({ ...van, id: `van-${i}`, owner: { kind: 'center' } });
  for (let i = 1; i <= 6; i++) vehicles.push({ ...base, id: `truck-${i}`, capacityKg: 3000, capacityM3: 16, costPerKmYuan: 2.8, fixedCostPerDayYuan: 350, owner: { kind: 'center' } });
  for (let i = 1; i <= 3; i++) {
    vehicles.push({ ...base, id: `reefer-${i}`, capacityKg: 1500, capacityM3: 8, refrigerated: true, refrigeratedCapacityKg: 1000, refrigeratedCapacityM3: 5, costPerKmYuan: 3.5, fixedCostPerDayYuan: 450, owner: { kind: 'center' } });
  }
  const owned: [string, number][] = [['zto', 3], ['yunda', 3], ['jt', 2]];
  for (const [courierId, count] of owned) {
    for (let i = 1; i <= count; i++) vehicles.push({ ...van, id: `${courierId}-van-${i}`, owner: { kind: 'courier', courierId } });
  }
  return vehicles;
}

function station(id: string, kind: Station['kind'], townId: string | undefined, location: { lat: number; lng: number }, hours: string): Station {
  return {
    countyId: COUNTY_ID,
    id,
    name: id,
    kind,
    ...(townId ? { townId } : {}),
    location,
    openingHours: { daily: hours },
    coldStorageM3: 0,
    serviceFrequency: { kind: 'daily' },
    villageCodes: [],
    active: true,
  } as Station;
}

function around(random: Random, origin: { lat: number; lng: number }, min: number, max: number): { lat: number; lng: number } {
  const km = min + random() * (max - min);
  const bearing = random() * 2 * Math.PI;
  const lat = origin.lat + (km / 111.2) * Math.cos(bearing);
  const lng = origin.lng + (km / (111.2 * Math.cos((origin.lat * Math.PI) / 180))) * Math.sin(bearing);
  return { lat: Math.round(lat * 1e5) / 1e5, lng: Math.round(lng * 1e5) / 1e5 };
}

function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Plans the generated wave and prints the figures. */
function main(): void {
  const input = generateWave(SEED);
  const started = performance.now();
  const plan = planWave(input, { seed: SEED, budgetSeconds: BUDGET });
  const seconds = (performance.now() - started) / 1000;
  const reasons: Record<string, number> = {};
  for (const u of plan.unplanned) reasons[u.reason] = (reasons[u.reason] ?? 0) + 1;
  const capped = (plan.search ?? []).filter((c) => c.iterationsRun < c.iterations).map((c) => c.call);
  emit('dispatch.plan.seconds', seconds, 's', { budgetSeconds: BUDGET, stations: input.stations.length, parcels: input.parcels.length, vehicles: input.vehicles.length, cappedCalls: capped });
  emit('dispatch.plan.cost_per_parcel', plan.consolidated.costPerParcel, 'yuan', {
    parcels: plan.consolidated.parcels,
    routes: plan.consolidated.routes,
    cost: Math.round(plan.consolidated.cost.total),
    unplanned: reasons,
  });
  emit('dispatch.reduction_vs_counterfactual_pct', plan.reductionVsCounterfactualPct, '%', {
    counterfactualCostPerParcel: Math.round(plan.counterfactual.costPerParcel * 100) / 100,
    counterfactualRoutes: plan.counterfactual.routes,
    counterfactualUnplanned: plan.counterfactual.unplannedParcels ?? 0,
    reductionVsSurveyedPct: Math.round(plan.reductionVsSurveyedPct * 100) / 100,
  });
}

// Run when executed (`tsx bench/dispatch-plan.ts`), not when another bench imports the generator.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
