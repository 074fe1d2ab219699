import type { Vehicle } from '@county/contracts';
import type { WaveContext } from './context.js';
import { depotStationOf, vehicleType } from './fleet.js';
import { replay } from './replay.js';
import type { RouteDraft } from './routes.js';
import { byAge, chunkStation, type Chunk } from './stops.js';
import { addDays, isoWeekday } from './time.js';
import type { FixedLine, PoolParcel, UnplannedParcel } from './types.js';

const UNLIMITED = { ambient: { kg: Infinity, m3: Infinity }, cold: { kg: Infinity, m3: Infinity } };
const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface LineLoad {
  readonly line: FixedLine;
  /** Undefined when the line's vehicle is not free for this wave (or already runs an earlier line of it). */
  readonly vehicle: Vehicle | undefined;
  readonly why?: string;
  readonly parcels: PoolParcel[];
  /** Per station of the line: kg, m³ and refrigerated kg delivered and collected there. */
  readonly delivered: number[][];
  readonly collected: number[][];
}

/**
 * Fixed lines (固定线路): the lines that run on the wave's weekday carry the parcels of the stations they list, in
 * the line's order, on the line's vehicle. Parcels are loaded oldest first; a station on several lines goes on the
 * first (in the county's order) with room. What does not fit the vehicle is `line_overflow`; what the vehicle
 * cannot reach in a station's hours or within its shift is `line_overflow` too, station by station from the
 * first one missed (the end of the line first when the shift is too long). A station no line serves that day is
 * `no_line`, with the next date one does. A line calls only at its stations that have parcels.
 */
export function planFixedLines(ctx: WaveContext, parcels: readonly PoolParcel[]): { routes: RouteDraft[]; unplanned: UnplannedParcel[] } {
  const { date, fixedLines, vehicles } = ctx.input;
  const weekday = isoWeekday(date);
  const running = fixedLines.filter((l) => l.weekdays.includes(weekday));
  const taken = new Map<string, string>();
  const loads: LineLoad[] = running.map((line) => {
    const vehicle = vehicles.find((v) => v.id === line.vehicleId);
    const other = taken.get(line.vehicleId);
    if (vehicle && !other) taken.set(line.vehicleId, line.id);
    const why = !vehicle ? `vehicle ${line.vehicleId} of line ${line.name} is not free for this wave` : other ? `vehicle ${line.vehicleId} already runs line ${other} in this wave` : undefined;
    const n = line.stationIds.length;
    return { line, vehicle: why ? undefined : vehicle, ...(why ? { why } : {}), parcels: [], delivered: grid(n), collected: grid(n) };
  });
  const unplanned: UnplannedParcel[] = [];
  for (const parcel of [...parcels].sort(byAge)) {
    const candidates = loads.filter((l) => l.line.stationIds.includes(parcel.stationId));
    if (candidates.length === 0) {
      unplanned.push({ parcelId: parcel.parcelId, stationId: parcel.stationId, reason: 'no_line', detail: noLineDetail(fixedLines, parcel.stationId, date) });
      continue;
    }
    const refusals: { cold: boolean; text: string }[] = [];
    const line = candidates.find((load) => {
      const why = loadParcel(load, parcel);
      if (why) refusals.push(why);
      return !why;
    });
    if (line) continue;
    const cold = refusals.every((r) => r.cold);
    unplanned.push({ parcelId: parcel.parcelId, stationId: parcel.stationId, reason: cold ? 'no_refrigerated_vehicle' : 'line_overflow', detail: refusals.map((r) => r.text).join('; ') });
  }
  const routes: RouteDraft[] = [];
  for (const load of loads) {
    if (!load.vehicle || load.parcels.length === 0) continue;
    const drafted = driveLine(ctx, load, load.vehicle);
    unplanned.push(...drafted.overflow);
    if (drafted.route) routes.push(drafted.route);
  }
  return { routes, unplanned };
}

/** Puts the parcel on the line when its vehicle can carry it at every point of the line; else says why not. */
function loadParcel(load: LineLoad, parcel: PoolParcel): { cold: boolean; text: string } | undefined {
  const { vehicle, line } = load;
  if (!vehicle) return { cold: false, text: load.why! };
  const cold = parcel.coldChainProfileId !== undefined;
  if (cold && !vehicle.refrigerated) return { cold: true, text: `line ${line.name}: cold-chain parcel, and ${vehicle.id} is not refrigerated` };
  const k = line.stationIds.indexOf(parcel.stationId);
  const amount = [parcel.weightKg, parcel.volumeM3, cold ? parcel.weightKg : 0];
  const caps = [vehicle.capacityKg, vehicle.capacityM3, vehicle.refrigerated ? (vehicle.refrigeratedCapacityKg ?? vehicle.capacityKg) : Infinity];
  const n = line.stationIds.length;
  for (let d = 0; d < 3; d++) {
    // On board after position p (0 = leaving the depot, p = after station p-1): deliveries still ahead, pickups behind.
    for (let p = 0; p <= n; p++) {
      let onBoard = 0;
      for (let j = 0; j < n; j++) onBoard += j >= p ? load.delivered[j]![d]! : load.collected[j]![d]!;
      const adds = parcel.direction === 'downstream' ? p <= k : p > k;
      if (adds && onBoard + amount[d]! > caps[d]! + 1e-9) {
        const unit = d === 1 ? 'm³' : 'kg';
        return { cold: false, text: `line ${line.name}: ${vehicle.id} is full (${Math.round(onBoard * 100) / 100} of ${caps[d]} ${unit}${d === 2 ? ' refrigerated' : ''})` };
      }
    }
  }
  const into = parcel.direction === 'downstream' ? load.delivered : load.collected;
  for (let d = 0; d < 3; d++) into[k]![d]! += amount[d]!;
  load.parcels.push(parcel);
  return undefined;
}

/** The line's route, dropping stations it cannot reach in their hours or within its shift. */
function driveLine(ctx: WaveContext, load: LineLoad, vehicle: Vehicle): { route?: RouteDraft; overflow: UnplannedParcel[] } {
  const overflow: UnplannedParcel[] = [];
  let stations = load.line.stationIds.filter((s, i, all) => all.indexOf(s) === i && load.parcels.some((p) => p.stationId === s));
  const depot = depotStationOf(ctx, vehicle);
  const type = vehicleType(ctx, vehicle, { depotStationId: depot, departure: ctx.departure });
  for (;;) {
    const chunks: Chunk[] = stations.flatMap((s) => chunkStation(s, load.parcels.filter((p) => p.stationId === s), UNLIMITED, `${load.line.id}.`));
    if (chunks.length === 0) return { overflow };
    const replayed = replay(ctx, type, depot, chunks);
    if (replayed.ok) {
      return { route: { tier: 'direct', depotStationId: depot, route: replayed.route, chunks, locked: false, lockedStations: new Set() }, overflow };
    }
    const { index, detail } = replayed.violation;
    const missed = index === 'return' || index === 'depot' ? stations[stations.length - 1]! : chunks[index]!.stationId;
    for (const p of load.parcels.filter((q) => q.stationId === missed)) {
      overflow.push({ parcelId: p.parcelId, stationId: p.stationId, reason: 'line_overflow', detail: `line ${load.line.name} (${vehicle.id}) cannot serve ${missed}: ${detail}` });
    }
    stations = stations.filter((s) => s !== missed);
  }
}

function noLineDetail(lines: readonly FixedLine[], stationId: string, date: string): string {
  const serving = lines.filter((l) => l.stationIds.includes(stationId));
  if (serving.length === 0) return `no fixed line serves ${stationId}`;
  for (let days = 1; days <= 7; days++) {
    const next = addDays(date, days);
    const line = serving.find((l) => l.weekdays.includes(isoWeekday(next)));
    if (line) return `no line serves ${stationId} on ${WEEKDAYS[isoWeekday(date)]}; next: line ${line.name} on ${next}`;
  }
  return `no line serves ${stationId} on any weekday`;
}

function grid(n: number): number[][] {
  return Array.from({ length: n }, () => [0, 0, 0]);
}
