import type { Vehicle } from '@county/contracts';
import type { Lock, Stop } from '@county/routing';
import { windowOn, type WaveContext } from './context.js';
import type { PoolParcel } from './types.js';

/**
 * A solver stop: some parcels of one station, delivered and collected in one visit. A station's cold-chain parcels
 * form their own (refrigerated) stops, so its ambient parcels may ride any vehicle and count nowhere against a
 * refrigerated compartment; and a station whose parcels exceed one vehicle is cut, parcel by parcel (oldest
 * first), into chunks that each fit the largest vehicle able to carry them, since the solver serves a stop once.
 */
export interface Chunk {
  readonly id: string;
  readonly stationId: string;
  readonly cold: boolean;
  readonly deliveries: readonly PoolParcel[];
  readonly pickups: readonly PoolParcel[];
}

export interface Capacity {
  readonly kg: number;
  readonly m3: number;
}

export interface ChunkLimits {
  readonly ambient: Capacity;
  readonly cold: Capacity;
}

const UNLIMITED: Capacity = { kg: Infinity, m3: Infinity };

/** The largest vehicle (by kg) of a fleet, and its largest refrigerated one (by refrigerated kg). */
export function chunkLimits(vehicles: readonly Pick<Vehicle, 'capacityKg' | 'capacityM3' | 'refrigerated' | 'refrigeratedCapacityKg'>[]): ChunkLimits {
  const largest = (list: typeof vehicles, kg: (v: (typeof vehicles)[number]) => number): Capacity => {
    let best: Capacity | undefined;
    for (const v of list) if (!best || kg(v) > best.kg) best = { kg: kg(v), m3: v.capacityM3 };
    return best ?? UNLIMITED;
  };
  const cold = vehicles.filter((v) => v.refrigerated);
  return {
    ambient: largest(vehicles, (v) => v.capacityKg),
    cold: cold.length > 0 ? largest(cold, (v) => Math.min(v.capacityKg, v.refrigeratedCapacityKg ?? v.capacityKg)) : largest(vehicles, (v) => v.capacityKg),
  };
}

export function byAge(a: PoolParcel, b: PoolParcel): number {
  return a.since < b.since ? -1 : a.since > b.since ? 1 : a.parcelId < b.parcelId ? -1 : a.parcelId > b.parcelId ? 1 : 0;
}

/** Groups parcels by station (in first-seen order of the sorted station ids), then cuts each station into chunks. */
export function chunksOf(parcels: readonly PoolParcel[], limits: ChunkLimits, tag = ''): Chunk[] {
  const byStation = new Map<string, PoolParcel[]>();
  for (const parcel of parcels) {
    const list = byStation.get(parcel.stationId) ?? [];
    list.push(parcel);
    byStation.set(parcel.stationId, list);
  }
  const stations = [...byStation.keys()].sort();
  return stations.flatMap((stationId) => chunkStation(stationId, byStation.get(stationId)!, limits, tag));
}

export function chunkStation(stationId: string, parcels: readonly PoolParcel[], limits: ChunkLimits, tag = ''): Chunk[] {
  const sorted = [...parcels].sort(byAge);
  const chunks: Chunk[] = [];
  for (const cold of [false, true]) {
    const mine = sorted.filter((p) => (p.coldChainProfileId !== undefined) === cold);
    const limit = cold ? limits.cold : limits.ambient;
    const deliveries = pack(mine.filter((p) => p.direction === 'downstream'), limit);
    const pickups = pack(mine.filter((p) => p.direction === 'upstream'), limit);
    for (let i = 0; i < Math.max(deliveries.length, pickups.length); i++) {
      chunks.push({ id: `${stationId}|${tag}${cold ? 'c' : 'a'}${i + 1}`, stationId, cold, deliveries: deliveries[i] ?? [], pickups: pickups[i] ?? [] });
    }
  }
  return chunks;
}

/** Parcels in order into bins of at most `limit` (a parcel larger than the limit gets a bin of its own). */
function pack(parcels: readonly PoolParcel[], limit: Capacity): PoolParcel[][] {
  const bins: PoolParcel[][] = [];
  let current: PoolParcel[] = [];
  let kg = 0;
  let m3 = 0;
  for (const parcel of parcels) {
    if (current.length > 0 && (kg + parcel.weightKg > limit.kg || m3 + parcel.volumeM3 > limit.m3)) {
      bins.push(current);
      current = [];
      kg = 0;
      m3 = 0;
    }
    current.push(parcel);
    kg += parcel.weightKg;
    m3 += parcel.volumeM3;
  }
  if (current.length > 0) bins.push(current);
  return bins;
}

/** The solver stop of a chunk: its loads, the station's hours on the wave's date, the county's service minutes. */
export function routingStop(ctx: WaveContext, chunk: Chunk, lock?: Lock): Stop {
  const station = ctx.stations.get(chunk.stationId);
  const window = station && station.kind !== 'center' ? windowOn(station, ctx.input.date) : undefined;
  const sum = (list: readonly PoolParcel[], pick: (p: PoolParcel) => number) => list.reduce((total, p) => total + pick(p), 0);
  return {
    id: chunk.id,
    location: ctx.travel.location(chunk.stationId),
    deliveryKg: sum(chunk.deliveries, (p) => p.weightKg),
    deliveryM3: sum(chunk.deliveries, (p) => p.volumeM3),
    pickupKg: sum(chunk.pickups, (p) => p.weightKg),
    pickupM3: sum(chunk.pickups, (p) => p.volumeM3),
    serviceMinutes: ctx.input.settings.serviceMinutes,
    ...(window ? { timeWindow: window } : {}),
    ...(chunk.cold ? { refrigerated: true } : {}),
    ...(lock ? { lock } : {}),
  };
}
