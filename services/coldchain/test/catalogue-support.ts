import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  buildEvent,
  routeConfirmedSchema,
  topics,
  type EventType,
  type KeyScope,
  type ParcelEventData,
  type Principal,
  type RouteParcel,
  type Station,
  type Vehicle,
} from '@county/contracts';
import { consume, createKafka, createProducer, issueKey, openRuntime, publish, withTransaction, type BaseConfig, type Clock, type Producer, type Runtime } from '@county/platform';
import { testLogger, waitFor } from '../../../tests/support/harness.js';
import { masterDataEvent, stationRecord, vehicleRecord, type TestParcel } from '../../dispatch/test/readmodel-events.js';
import { buildApp, type AppDeps } from '../src/app.js';
import { createComplianceReviser } from '../src/compliance/index.js';
import { compliancePorts } from '../src/compliance/ports.js';
import { consumers } from '../src/consumers.js';
import { knownContainers, parcelsInContainer, profileOfContainer } from '../src/catalogue/index.js';
import { openMonitoring, runMonitoring } from '../src/monitoring/index.js';
import { openReadings, readingsBetween, runReadings, type ReadingsListener } from '../src/readings/index.js';
import { readingsConfig } from './readings-support.js';

export const coldchainMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

/**
 * coldchain as main.ts runs it over the suite's own schema and topics: runtime (relay included), monitoring, the
 * readings ingest (MQTT off), the app and the consumers.
 */
export async function runningColdchain(config: BaseConfig, options: { clock?: Clock; compliancePorts?: AppDeps['compliancePorts'] } = {}) {
  const runtime = openRuntime({ service: 'coldchain', config, migrationsDir: coldchainMigrationsDir, logger: testLogger('coldchain'), ...(options.clock ? { clock: options.clock } : {}) });
  await runtime.migrated;
  const ports = options.compliancePorts ?? compliancePorts;
  // As main.ts wires it, with the catalogue answering the tracker: the ingest tells the tracker, then compliance
  // (late readings revise records), of every stored batch.
  const monitoring = openMonitoring(runtime, { ports: { profileOfContainer, parcelsInContainer, readingsBetween } });
  runMonitoring(runtime, monitoring, { intervalMs: 3_600_000 });
  const reviser = createComplianceReviser({ pool: runtime.pool, outbox: runtime.outbox, source: 'coldchain', now: runtime.clock, ports });
  const listener: ReadingsListener = {
    async onReadings(countyId, containerId, stored) {
      await monitoring.tracker.onReadings(countyId, containerId, stored);
      await reviser.onReadings(countyId, containerId, stored);
    },
  };
  const readings = openReadings(runtime, config, { listener, ports: { knownContainers } });
  runReadings(runtime, readings, readingsConfig(config, { MQTT_ENABLED: false }));
  const deps = { ...runtime, readings: readings.ingest, monitoring, compliancePorts: ports };
  const app = await buildApp(deps);
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  for (const spec of consumers(deps)) await consume(runtime, spec);
  const issue = async (countyId: string, role: Principal['role'], scope?: KeyScope) =>
    (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, { countyId, role, name: `${role} test key`, ...(scope ? { scope } : {}) }, new Date()))).key;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, key: string | undefined, payload?: unknown) =>
    app.inject({ method, url, headers: key ? { 'x-api-key': key } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { runtime, app, issue, call, readings: readings.ingest };
}

export type RunningColdchain = Awaited<ReturnType<typeof runningColdchain>>;

export const freshId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** What stands in for intake: a producer of master-data and parcel events as intake's relay publishes them. */
export async function intakeStandIn(config: BaseConfig) {
  const producer: Producer = createProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'intake-stand-in', logger: testLogger('intake') }));
  await producer.connect();
  const topic = (name: string) => `${config.TOPIC_PREFIX}${name}`;
  return {
    producer,
    async masterData(...records: ({ vehicle: Vehicle } | { station: Station })[]) {
      const messages = records.map((r) => ('vehicle' in r ? masterDataEvent('vehicle', r.vehicle) : masterDataEvent('station', r.station)));
      await publish(producer, topic(topics.masterdata.name), messages.map((m) => ({ key: m.key, value: JSON.stringify(m.event) })));
      return messages.map((m) => m.event);
    },
    async parcelEvents(...events: ReturnType<typeof parcelEvent>[]) {
      await publish(producer, topic(topics.parcelEvents.name), events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
      return events;
    },
    close: () => producer.disconnect(),
  };
}

export const reefer = (countyId: string, id: string, overrides: Partial<Vehicle> = {}) =>
  vehicleRecord(countyId, id, { refrigerated: true, refrigeratedCapacityKg: 300, refrigeratedCapacityM3: 2, ...overrides });
export const station = (countyId: string, id: string, kind: Station['kind'], coldStorageM3 = 0, overrides: Partial<Station> = {}) =>
  stationRecord(countyId, id, kind, { coldStorageM3, ...overrides });

type ParcelStep = { type: EventType; kind: ParcelEventData['fact']['kind']; state: ParcelEventData['state']; stationId?: string; content?: boolean };

/** One `parcel.*` event of a test parcel, as intake publishes it. */
export function parcelEvent(parcel: TestParcel, step: ParcelStep, at: string) {
  const downstream = parcel.direction === 'downstream';
  const data: ParcelEventData = {
    parcelId: parcel.id,
    courierId: parcel.courierId,
    waybill: parcel.waybill,
    direction: parcel.direction,
    state: step.state,
    progress: step.state === 'returned' || step.state === 'lost' ? null : step.state,
    exception: null,
    destinationStationId: downstream ? parcel.stationId : null,
    originStationId: downstream ? null : parcel.stationId,
    moved: true,
    confirming: false,
    fact: {
      id: randomUUID(),
      kind: step.kind,
      occurredAt: at,
      receivedAt: at,
      actor: { keyId: 'k-station', role: step.kind === 'manifested' || step.kind === 'booked' ? 'courier' : 'station' },
      ...(step.stationId ? { stationId: step.stationId } : {}),
    },
    supersedes: [],
    ...(step.content
      ? { parcel: { weightKg: parcel.weightKg, volumeM3: parcel.volumeM3, serviceType: 'cold_chain', ...(parcel.coldChainProfileId ? { coldChainProfileId: parcel.coldChainProfileId } : {}) } }
      : {}),
  };
  return buildEvent({ type: step.type as 'parcel.manifested', countyId: parcel.countyId, subject: parcel.id, source: 'intake', data, occurredAt: new Date(at) });
}

export const parcelSteps = {
  manifested: (p: TestParcel, at: string) => parcelEvent(p, { type: 'parcel.manifested', kind: 'manifested', state: 'manifested', content: true }, at),
  booked: (p: TestParcel, at: string) => parcelEvent(p, { type: 'parcel.booked', kind: 'booked', state: 'booked', content: true }, at),
  delivered: (p: TestParcel, at: string) => parcelEvent(p, { type: 'parcel.delivered', kind: 'deliver', state: 'delivered', stationId: p.stationId }, at),
  handedOver: (p: TestParcel, at: string, center: string) => parcelEvent(p, { type: 'parcel.handed_over', kind: 'linehaul_handover', state: 'handed_over', stationId: center }, at),
};

export interface RouteSpec {
  countyId: string;
  vehicleId: string;
  depotStationId: string;
  /** When the route was planned to leave. */
  departure: string;
  stops: { stationId: string; deliveries?: TestParcel[]; pickups?: TestParcel[] }[];
}

/**
 * What dispatch's plans feature writes when an operator confirms a route (as dispatch's own field suites do): the
 * `routes` and `route_parcels` rows and the `dispatch.route_confirmed` event through dispatch's outbox, in one
 * transaction. A parcel with a profile rides the refrigerated compartment.
 */
export async function confirmRoute(dispatch: Runtime, spec: RouteSpec): Promise<{ routeId: string }> {
  const routeId = freshId('rt');
  const minutes = (m: number) => new Date(Date.parse(spec.departure) + m * 60_000).toISOString();
  const parcels: RouteParcel[] = [];
  const stops = spec.stops.map((stop, index) => {
    const sequence = index + 1;
    const ride = (p: TestParcel): RouteParcel => ({
      parcelId: p.id,
      courierId: p.courierId,
      direction: p.direction,
      compartment: p.coldChainProfileId ? 'refrigerated' : 'ambient',
      stopSequence: sequence,
      ...(p.coldChainProfileId ? { coldChainProfileId: p.coldChainProfileId } : {}),
      waybill: p.waybill,
    });
    parcels.push(...(stop.deliveries ?? []).map(ride), ...(stop.pickups ?? []).map(ride));
    return {
      sequence,
      stationId: stop.stationId,
      plannedArrival: minutes(40 * sequence),
      plannedDeparture: minutes(40 * sequence + 10),
      deliveries: (stop.deliveries ?? []).map((p) => p.id),
      pickups: (stop.pickups ?? []).map((p) => p.id),
      loadKgAfter: 100,
      loadM3After: 0.4,
    };
  });
  const data = routeConfirmedSchema.parse({
    routeId,
    planId: freshId('plan'),
    date: spec.departure.slice(0, 10),
    waveId: 'am',
    vehicleId: spec.vehicleId,
    tier: 'direct',
    depotStationId: spec.depotStationId,
    plannedDeparture: new Date(spec.departure).toISOString(),
    plannedReturn: minutes(40 * (stops.length + 1)),
    distanceKm: 42.5,
    durationMinutes: 40 * (stops.length + 1),
    cost: { total: 180, fixed: 120, distance: 40, time: 20 },
    stops,
    parcels,
  });
  await withTransaction(dispatch.pool, async (tx) => {
    await tx.query(
      `INSERT INTO routes (route_id, county_id, plan_id, date, wave_id, vehicle_id, tier, status, data, confirmed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'confirmed', $8, now())`,
      [routeId, spec.countyId, data.planId, data.date, data.waveId, spec.vehicleId, data.tier, JSON.stringify(data)],
    );
    await tx.query(
      `INSERT INTO route_parcels (route_id, parcel_id, county_id, direction, stop_sequence, compartment)
       SELECT $1, p.parcel_id, $2, p.direction, p.stop_sequence, p.compartment
         FROM unnest($3::uuid[], $4::text[], $5::int[], $6::text[]) AS p (parcel_id, direction, stop_sequence, compartment)`,
      [routeId, spec.countyId, parcels.map((p) => p.parcelId), parcels.map((p) => p.direction), parcels.map((p) => p.stopSequence), parcels.map((p) => p.compartment)],
    );
    await dispatch.outbox.add(tx, {
      topic: topics.dispatchEvents.name,
      key: routeId,
      event: buildEvent({ type: 'dispatch.route_confirmed', countyId: spec.countyId, subject: routeId, source: 'dispatch', data }),
    });
  });
  return { routeId };
}

/** A driver's handheld on dispatch's field routes: each call one field event, answered 201. */
export function handheld(dispatch: { call: (method: 'GET' | 'POST', url: string, key: string | undefined, payload?: unknown) => Promise<{ statusCode: number; body: string }> }, key: string, routeId: string) {
  const post = async (path: string, body: Record<string, unknown>) => {
    const res = await dispatch.call('POST', `/dispatch/routes/${routeId}${path}`, key, { eventId: randomUUID(), ...body });
    if (res.statusCode !== 201) throw new Error(`dispatch refused ${path}: ${res.statusCode} ${res.body}`);
  };
  return {
    depart: (occurredAt: string) => post('/departure', { occurredAt }),
    arrive: (sequence: number, occurredAt: string) => post(`/stops/${sequence}/arrival`, { occurredAt }),
    handOver: (sequence: number, occurredAt: string, parcelIds?: string[]) => post(`/stops/${sequence}/handover`, { occurredAt, ...(parcelIds ? { parcelIds } : {}) }),
    collect: (sequence: number, occurredAt: string) => post(`/stops/${sequence}/pickups`, { occurredAt }),
    returnToDepot: (occurredAt: string) => post('/return', { occurredAt }),
  };
}

/** Waits until the consumer named has applied (or skipped as a duplicate) the events. */
export async function applied(run: RunningColdchain, consumer: string, ...eventIds: string[]): Promise<void> {
  await waitFor(async () => {
    const { rows } = await run.runtime.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])`, [consumer, eventIds]);
    return rows[0]!.n === eventIds.length ? true : undefined;
  });
}

/** Waits until the catalogue has applied these master-data events (each key its own partition: in any order). */
export const masterDataApplied = (run: RunningColdchain, events: readonly { id: string }[]) => applied(run, 'coldchain.catalogue-masterdata', ...events.map((e) => e.id));

/** The instant `minutes` after `base`, ISO-8601 UTC. */
export const after = (base: string, minutes: number) => new Date(Date.parse(base) + minutes * 60_000).toISOString();
