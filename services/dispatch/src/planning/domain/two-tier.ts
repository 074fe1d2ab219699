import type { Station, Vehicle } from '@county/contracts';
import type { WaveContext } from './context.js';
import type { TierResult } from './direct.js';
import { depotStationOf, vehicleType, type Start } from './fleet.js';
import { checkLockedRoutes, checkStopLocksHonoured, freezeRoute, lockStops } from './locks.js';
import { PlanRefusal } from './refusal.js';
import { replay } from './replay.js';
import { compare, type RouteDraft } from './routes.js';
import { runCall, type SearchOptions } from './solve-call.js';
import { chunkLimits, chunksOf, chunkStation, type Chunk } from './stops.js';
import type { PlanLocks, PlannedRoute, PoolParcel, SolverCall, UnplannedParcel } from './types.js';
import { unplannedOf } from './unplanned.js';

/**
 * Two tiers (docs/architecture.md "Dispatch", packages/routing README): trunk routes from the center hand each town
 * station the parcels of the town and of its villages, then village loops from each town station deliver to its
 * villages and collect their produce (which they bring to the town station).
 *
 * - Trunk: one solver call over the vehicles not based at a town station; a stop per town station (chunked),
 *   carrying the town's parcels, its villages' downstream parcels and the town's own pickups. A village whose town
 *   has no town station is served on the trunk tier directly.
 * - Loops: one call per town station, departing when the trunk has handed its parcels over (the latest trunk
 *   departure from that station; the wave's departure when no trunk stops there), with the vehicles based at that
 *   town station, or, when it has none, the center's vehicles the trunk did not use (taken town by town, in id
 *   order, and priced as if based at the town).
 * - A village parcel its loop cannot serve is taken off the trunk too (the trunk route is re-priced), so no parcel
 *   waits at a town station without a loop to carry it on.
 * - Parcels already at a town station (`atStationId`, README "The pool"): produce a loop brought there is a trunk
 *   pickup at that station (context.ts makes it the parcel's station); a downstream parcel a loop brought back is
 *   in that town station's loops only, with no trunk leg.
 * - The budget is shared between the calls in proportion to the stations each serves.
 */
export function planTwoTier(ctx: WaveContext, parcels: readonly PoolParcel[], options: { locks?: PlanLocks; budgetSeconds: number; search: SearchOptions }): TierResult {
  const { locks } = options;
  checkLockedRoutes(locks);
  (locks?.routes ?? []).forEach((r, i) => {
    if (r.tier === 'direct') throw new PlanRefusal(`locks.routes[${i}].tier`, 'a direct route cannot be kept in two-tier mode');
  });
  const townStation = townStations(ctx);
  const viaTown = (stationId: string): string | undefined => {
    const station = ctx.stations.get(stationId);
    return station?.kind === 'village' && station.townId !== undefined ? townStation.get(station.townId)?.id : undefined;
  };
  // A downstream parcel a loop brought back waits at its town station: that town's loops only, no trunk leg.
  // (Produce a loop brought there is a pickup at the town station already: context.ts, so the trunk's.)
  const atTown = (p: PoolParcel) => (p.direction === 'downstream' ? p.atStationId : undefined);
  const trunkParcels = parcels.filter((p) => atTown(p) === undefined && (viaTown(p.stationId) === undefined || p.direction === 'downstream'));
  const loopParcels = new Map<string, PoolParcel[]>();
  for (const p of parcels) {
    const town = atTown(p) ?? viaTown(p.stationId);
    if (town) push(loopParcels, town, p);
  }
  const towns = [...new Set([...loopParcels.keys(), ...(locks?.routes ?? []).filter((r) => r.tier === 'village').map((r) => r.depotStationId)])].sort(compare);
  // The budget is shared by stations served.
  const trunkStations = new Set(trunkParcels.map((p) => viaTown(p.stationId) ?? p.stationId)).size;
  const loopStations = new Map(towns.map((t) => [t, new Set((loopParcels.get(t) ?? []).map((p) => p.stationId)).size]));
  const allStations = trunkStations + [...loopStations.values()].reduce((a, b) => a + b, 0);
  const tier: TierState = {
    ctx,
    locks,
    search: options.search,
    viaTown,
    share: (stations) => (allStations > 0 ? (options.budgetSeconds * stations) / allStations : 0),
    calls: [],
    unplanned: [],
    honoured: new Set(),
  };
  const trunkFleet = ctx.input.vehicles.filter((v) => ctx.stations.get(v.depotStationId)?.kind !== 'town');
  let trunkRoutes = planTrunk(tier, trunkParcels, trunkFleet, trunkStations);
  const onTrunk = new Set(trunkRoutes.flatMap((d) => d.chunks.flatMap((c) => c.deliveries.map((p) => p.parcelId))));
  const spare = trunkFleet.filter((v) => !trunkRoutes.some((d) => d.route.vehicleId === v.id));
  const loopRoutes: RouteDraft[] = [];
  const dropped = new Set<string>();
  for (const town of towns) {
    const handedOver = trunkRoutes.flatMap((d) => d.route.visits.filter((_, i) => d.chunks[i]!.stationId === town).map((v) => v.departure));
    const start = { depotStationId: town, departure: Math.max(ctx.departure, ...handedOver) };
    const local = ctx.input.vehicles.filter((v) => v.depotStationId === town);
    const fleet = local.length > 0 ? local : spare.filter((v) => !loopRoutes.some((d) => d.route.vehicleId === v.id));
    const mine = (loopParcels.get(town) ?? []).filter((p) => p.direction === 'upstream' || atTown(p) === town || onTrunk.has(p.parcelId));
    const loops = planLoops(tier, town, start, mine, fleet, loopStations.get(town) ?? 0);
    loopRoutes.push(...loops.routes);
    for (const id of loops.undelivered) dropped.add(id);
  }
  checkStopLocksHonoured(locks, tier.honoured);
  if (dropped.size > 0) trunkRoutes = trunkRoutes.flatMap((d) => withoutParcels(ctx, d, dropped));
  return { routes: [...trunkRoutes, ...loopRoutes], unplanned: tier.unplanned, calls: tier.calls };
}

/** What the trunk and the loops of one plan share as they are planned in turn. */
interface TierState {
  readonly ctx: WaveContext;
  readonly locks: PlanLocks | undefined;
  readonly search: SearchOptions;
  readonly viaTown: (stationId: string) => string | undefined;
  readonly share: (stations: number) => number;
  readonly calls: SolverCall[];
  readonly unplanned: UnplannedParcel[];
  readonly honoured: Set<number>;
}

/** The trunk: one call from the center over the vehicles not based at a town station, stops by hand-over station. */
function planTrunk(tier: TierState, parcels: readonly PoolParcel[], fleet: readonly Vehicle[], stations: number): RouteDraft[] {
  const { ctx, locks } = tier;
  const handover = (p: PoolParcel) => tier.viaTown(p.stationId) ?? p.stationId;
  const pool = new Map(parcels.map((p) => [p.parcelId, p]));
  const frozen = frozenOf(ctx, locks, 'trunk', pool, fleet, (v) => ({ depotStationId: depotStationOf(ctx, v), departure: ctx.departure }));
  const free = fleet.filter((v) => !frozen.some((d) => d.route.vehicleId === v.id));
  const stopLocks = lockStops(locks, [...pool.values()], { stationOf: handover, fleet: free, frozen, belongs: (s) => tier.viaTown(s) === undefined });
  stopLocks.honoured.forEach((j) => tier.honoured.add(j));
  const result = runCall(
    ctx,
    {
      call: 'trunk',
      tier: 'trunk',
      depotStationId: ctx.center.id,
      chunks: [...stopLocks.chunks, ...chunksBy(stopLocks.rest, handover, chunkLimits(free))],
      fleet: free.map((vehicle) => ({ type: vehicleType(ctx, vehicle), depotStationId: depotStationOf(ctx, vehicle), vehicle })),
      locks: stopLocks.locks,
      budgetSeconds: tier.share(stations),
    },
    tier.search,
  );
  tier.calls.push(result.record);
  for (const { chunk, reason } of result.unassigned) tier.unplanned.push(...unplannedOf(ctx, chunk, reason, viaTownPrefix(chunk, ctx)));
  return [...frozen, ...result.routes];
}

/** One town station's village loops; `undelivered` are the downstream parcels they could not take. */
function planLoops(
  tier: TierState,
  town: string,
  start: Start,
  parcels: readonly PoolParcel[],
  fleet: readonly Vehicle[],
  stations: number,
): { routes: RouteDraft[]; undelivered: string[] } {
  const { ctx, locks } = tier;
  const pool = new Map(parcels.map((p) => [p.parcelId, p]));
  const frozen = frozenOf(ctx, locks, 'village', pool, fleet, () => start, town);
  const free = fleet.filter((v) => !frozen.some((d) => d.route.vehicleId === v.id));
  const stopLocks = lockStops(locks, [...pool.values()], { stationOf: (p) => p.stationId, fleet: free, frozen, belongs: (s) => tier.viaTown(s) === town });
  stopLocks.honoured.forEach((j) => tier.honoured.add(j));
  const result = runCall(
    ctx,
    {
      call: `village:${town}`,
      tier: 'village',
      depotStationId: town,
      chunks: [...stopLocks.chunks, ...chunksOf(stopLocks.rest, chunkLimits(free))],
      fleet: free.map((vehicle) => ({ type: vehicleType(ctx, vehicle, start), depotStationId: town, vehicle })),
      locks: stopLocks.locks,
      budgetSeconds: tier.share(stations),
    },
    tier.search,
  );
  tier.calls.push(result.record);
  const undelivered: string[] = [];
  for (const { chunk, reason } of result.unassigned) {
    tier.unplanned.push(...unplannedOf(ctx, chunk, reason, `village loop from ${town}: `));
    undelivered.push(...chunk.deliveries.map((p) => p.parcelId));
  }
  return { routes: [...frozen, ...result.routes], undelivered };
}

/** The town station of each town (the first by id when a town has several). */
function townStations(ctx: WaveContext): Map<string, Station> {
  const out = new Map<string, Station>();
  const towns = ctx.input.stations.filter((s) => s.kind === 'town' && s.townId !== undefined).sort((a, b) => compare(a.id, b.id));
  for (const s of towns) if (!out.has(s.townId!)) out.set(s.townId!, s);
  return out;
}

function frozenOf(
  ctx: WaveContext,
  locks: PlanLocks | undefined,
  tier: 'trunk' | 'village',
  pool: Map<string, PoolParcel>,
  fleet: readonly Vehicle[],
  startOf: (v: Vehicle) => { depotStationId: string; departure: number },
  town?: string,
): RouteDraft[] {
  const out: RouteDraft[] = [];
  (locks?.routes ?? []).forEach((route: PlannedRoute, i) => {
    if (route.tier !== tier || (town !== undefined && route.depotStationId !== town)) return;
    const vehicle = fleet.find((v) => v.id === route.vehicleId);
    const start = vehicle ? startOf(vehicle) : { depotStationId: town ?? ctx.center.id, departure: ctx.departure };
    const draft = freezeRoute(ctx, route, i, pool, fleet, start);
    for (const chunk of draft.chunks) for (const p of [...chunk.deliveries, ...chunk.pickups]) pool.delete(p.parcelId);
    out.push(draft);
  });
  return out;
}

/** Chunks by hand-over station: a town station's trunk stop carries its villages' parcels too. */
function chunksBy(parcels: readonly PoolParcel[], stationOf: (p: PoolParcel) => string, limits: ReturnType<typeof chunkLimits>): Chunk[] {
  const groups = new Map<string, PoolParcel[]>();
  for (const p of parcels) push(groups, stationOf(p), p);
  return [...groups.keys()].sort(compare).flatMap((station) => chunkStation(station, groups.get(station)!, limits));
}

function viaTownPrefix(chunk: Chunk, ctx: WaveContext): string {
  return ctx.stations.get(chunk.stationId)?.kind === 'town' ? `trunk to ${chunk.stationId}: ` : '';
}

/** A trunk route without parcels its village loops could not take: re-priced in the same order, or gone if empty. */
function withoutParcels(ctx: WaveContext, draft: RouteDraft, dropped: ReadonlySet<string>): RouteDraft[] {
  if (!draft.chunks.some((c) => c.deliveries.some((p) => dropped.has(p.parcelId)))) return [draft];
  const chunks = draft.chunks
    .map((c) => ({ ...c, deliveries: c.deliveries.filter((p) => !dropped.has(p.parcelId)) }))
    .filter((c) => c.deliveries.length + c.pickups.length > 0);
  if (chunks.length === 0) return [];
  const vehicle = ctx.input.vehicles.find((v) => v.id === draft.route.vehicleId)!;
  const replayed = replay(ctx, vehicleType(ctx, vehicle, { depotStationId: draft.depotStationId, departure: draft.route.departure }), draft.depotStationId, chunks);
  return replayed.ok ? [{ ...draft, route: replayed.route, chunks }] : [draft];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
