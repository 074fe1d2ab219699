import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { buildEvent, routeConfirmedSchema, topics, type Envelope, type KeyScope, type Principal } from '@county/contracts';
import { issueKey, openRuntime, readTopic, withTransaction, type BaseConfig, type Runtime } from '@county/platform';
import { testLogger, waitFor } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import type { RouteConfirmed } from '../src/field/domain/route.js';

export const dispatchMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

/** Dispatch as main.ts runs it (the relay included) over the suite's own schema and topics, with its HTTP app. */
export async function runningDispatch(config: BaseConfig) {
  const runtime = openRuntime({ service: 'dispatch', config, migrationsDir: dispatchMigrationsDir, logger: testLogger('dispatch') });
  await runtime.migrated;
  const app = await buildApp(runtime);
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  /** A key in dispatch's own copy, as the key consumer would have stored it from intake's event. */
  const issue = async (countyId: string, role: Principal['role'], scope?: KeyScope) =>
    (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, { countyId, role, name: `${role} test key`, ...(scope ? { scope } : {}) }, new Date()))).key;
  const call = (method: 'GET' | 'POST', url: string, key: string | undefined, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, headers: { ...(key ? { 'x-api-key': key } : {}), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { runtime, app, issue, call };
}

export type RunningDispatch = Awaited<ReturnType<typeof runningDispatch>>;

export const freshId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export interface StopSpec {
  stationId?: string;
  deliveries?: number;
  pickups?: number;
  /** Deliveries of this stop that ride refrigerated (the first n). */
  refrigerated?: number;
}

export interface ConfirmedRoute {
  routeId: string;
  vehicleId: string;
  data: RouteConfirmed;
  /** Per stop sequence: its downstream and upstream parcel ids. */
  stops: { sequence: number; stationId: string; deliveries: string[]; pickups: string[] }[];
}

const minutes = (base: number, m: number) => new Date(base + m * 60_000).toISOString();

/**
 * What the plans feature writes when an operator confirms a draft: the `routes` row, one `route_parcels` row per
 * parcel, and the `dispatch.route_confirmed` event through the outbox — in one transaction. The route was
 * planned to leave `hoursAgo` hours before now, so the handheld's times are in the past.
 */
export async function confirmRoute(
  runtime: Runtime,
  { countyId, vehicleId = freshId('veh'), stops, hoursAgo = 6 }: { countyId: string; vehicleId?: string; stops: StopSpec[]; hoursAgo?: number },
): Promise<ConfirmedRoute> {
  const routeId = freshId('rt');
  const depart = Date.now() - hoursAgo * 3600_000;
  const parcels: RouteConfirmed['parcels'] = [];
  let load = 0;
  const routeStops = stops.map((spec, index) => {
    const sequence = index + 1;
    const stationId = spec.stationId ?? `st-v${sequence}`;
    const deliveries = Array.from({ length: spec.deliveries ?? 0 }, () => randomUUID());
    const pickups = Array.from({ length: spec.pickups ?? 0 }, () => randomUUID());
    deliveries.forEach((parcelId, i) =>
      parcels.push({
        parcelId,
        courierId: i % 2 === 0 ? 'zto' : 'yunda',
        direction: 'downstream',
        compartment: i < (spec.refrigerated ?? 0) ? 'refrigerated' : 'ambient',
        stopSequence: sequence,
        ...(i < (spec.refrigerated ?? 0) ? { coldChainProfileId: 'chilled-2-8' } : {}),
        waybill: `ZT78${randomBytes(4).toString('hex')}`,
        recipient: { name: '王**', phone: '138****1111' },
      }),
    );
    pickups.forEach((parcelId) =>
      parcels.push({ parcelId, courierId: 'zto', direction: 'upstream', compartment: 'ambient', stopSequence: sequence, waybill: `ZTUP${randomBytes(4).toString('hex')}` }),
    );
    load += 2.5 * (pickups.length - deliveries.length);
    return {
      sequence,
      stationId,
      plannedArrival: minutes(depart, 40 * sequence),
      plannedDeparture: minutes(depart, 40 * sequence + 10),
      deliveries,
      pickups,
      loadKgAfter: Math.max(0, load + 100),
      loadM3After: 0.4,
    };
  });
  const data = routeConfirmedSchema.parse({
    routeId,
    planId: freshId('plan'),
    date: new Date(depart).toISOString().slice(0, 10),
    waveId: 'am',
    vehicleId,
    tier: 'direct',
    depotStationId: 'st-center',
    plannedDeparture: new Date(depart).toISOString(),
    plannedReturn: minutes(depart, 40 * (stops.length + 1)),
    distanceKm: 42.5,
    durationMinutes: 40 * (stops.length + 1),
    cost: { total: 180, fixed: 120, distance: 40, time: 20 },
    stops: routeStops,
    parcels,
  });
  await withTransaction(runtime.pool, async (tx) => {
    await tx.query(
      `INSERT INTO routes (route_id, county_id, plan_id, date, wave_id, vehicle_id, tier, status, data, confirmed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'confirmed', $8, now())`,
      [routeId, countyId, data.planId, data.date, data.waveId, vehicleId, data.tier, JSON.stringify(data)],
    );
    await tx.query(
      `INSERT INTO route_parcels (route_id, parcel_id, county_id, direction, stop_sequence, compartment)
       SELECT $1, p.parcel_id, $2, p.direction, p.stop_sequence, p.compartment
         FROM unnest($3::uuid[], $4::text[], $5::int[], $6::text[]) AS p (parcel_id, direction, stop_sequence, compartment)`,
      [routeId, countyId, parcels.map((p) => p.parcelId), parcels.map((p) => p.direction), parcels.map((p) => p.stopSequence), parcels.map((p) => p.compartment)],
    );
    await runtime.outbox.add(tx, {
      topic: topics.dispatchEvents.name,
      key: routeId,
      event: buildEvent({ type: 'dispatch.route_confirmed', countyId, subject: routeId, source: 'dispatch', data }),
    });
  });
  return { routeId, vehicleId, data, stops: routeStops.map(({ sequence, stationId, deliveries, pickups }) => ({ sequence, stationId, deliveries, pickups })) };
}

/** A handheld's event id. */
export const eventId = () => randomUUID();

/** An instant `m` minutes after the route's planned departure. */
export const atMinute = (route: ConfirmedRoute, m: number) => minutes(Date.parse(route.data.plannedDeparture), m);

/** The events on dispatch.events keyed by this route, once `found` holds for them. */
export async function routeEvents(run: RunningDispatch, config: BaseConfig, routeId: string, found: (events: Envelope[]) => boolean): Promise<Envelope[]> {
  const topic = `${config.TOPIC_PREFIX}${topics.dispatchEvents.name}`;
  return waitFor(async () => {
    const events = (await readTopic<Envelope>(run.runtime.kafka, topic)).filter((m) => m.key === routeId).map((m) => m.value);
    return found(events) ? events : undefined;
  });
}

/** The route's outbox rows not yet published plus those published: every event dispatch wrote for it. */
export async function outboxTypes(run: RunningDispatch, routeId: string): Promise<string[]> {
  const { rows } = await run.runtime.pool.query<{ type: string }>(
    `SELECT payload->>'type' AS type FROM outbox WHERE key = $1 ORDER BY seq`,
    [routeId],
  );
  return rows.map((r) => r.type);
}
