// Issue #10's acceptance across the real services, as processes: a day at the county center. Couriers announce
// parcels to intake and the center receives them; dispatch plans the wave from what intake published, an operator
// confirms, drivers depart and hand over at each stop with their own keys, and intake applies what dispatch
// reports. Every parcel passes `sorted`, `departed`, `at_station` exactly once, in intake's timeline and on
// `parcel.events`. Then the loose ends a real day has: a cancelled route, a station closed when the driver came, a
// parcel no van can carry until the county adds a truck, a station not due that day; and dispatch killed between a
// confirm and its relay publishing.
import { randomUUID } from 'node:crypto';
import type { Envelope, ParcelEventData, TimelineEntry } from '@county/contracts';
import { createKafka, createPool, readTopic, type Kafka, type Pool } from '@county/platform';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  COUNTY_ID,
  COURIERS,
  VANS,
  addDays,
  announced,
  api,
  bigTruck,
  countySlice,
  createAdminKey,
  tomorrowInCounty,
  type Slice,
} from './support/dispatch-county.js';
import { isolation, testLogger, waitFor } from './support/harness.js';
import { killService, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';
import { TcpProxy } from './support/tcp-proxy.js';

const logger = testLogger('dispatch-e2e');
const DATE = tomorrowInCounty();
const PER_COURIER = 60;

interface PlanRoute {
  routeKey: string;
  routeId: string | null;
  vehicleId: string;
  locked: boolean;
  stops: { sequence: number; stationId: string; deliveries: string[]; pickups: string[] }[];
  parcels: { parcelId: string; courierId: string }[];
}
interface Plan {
  planId: string;
  revision: number;
  status: string;
  routes: PlanRoute[];
  unplanned: { parcelId: string; stationId: string; reason: string; detail: string }[];
  forcedNotDue: { parcelId: string; stationId: string; deadline: string; detail: string }[];
  held: { parcelId: string; reason: string }[];
  consolidated: { costPerParcel: number; parcels: number };
  counterfactual: { costPerParcel: number };
}
interface Sheet {
  routeId: string;
  vehicleId: string;
  status: string;
  stops: { sequence: number; unload: { parcelId: string; waybill: string | null; recipient: { name: string; phone: string } | null; status: string }[] }[];
}
interface ParcelBody {
  parcelId: string;
  state: string;
  timeline: TimelineEntry[];
}

const now = () => new Date().toISOString();
const plannedIds = (plan: Plan) => plan.routes.flatMap((r) => r.parcels.map((p) => p.parcelId));

/** How many entries of the timeline report `state` (inferred ones aside). */
const reported = (timeline: TimelineEntry[], state: string) => timeline.filter((e) => !e.inferred && e.state === state).length;

/** The `parcel.*` events of each parcel on `parcel.events`, once per event id (the relay publishes at least once). */
async function parcelEventsByParcel(kafka: Kafka, topic: string): Promise<Map<string, Envelope<ParcelEventData>[]>> {
  const byId = new Map<string, Envelope<ParcelEventData>>();
  for (const message of await readTopic<Envelope<ParcelEventData>>(kafka, topic)) byId.set(message.value.id, message.value);
  const byParcel = new Map<string, Envelope<ParcelEventData>[]>();
  for (const event of byId.values()) byParcel.set(event.subject, [...(byParcel.get(event.subject) ?? []), event]);
  return byParcel;
}

/** Events of one type that moved the parcel, and all of that type. */
const moves = (events: Envelope<ParcelEventData>[] | undefined, type: string) => (events ?? []).filter((e) => e.type === type && e.data.moved).length;
const ofType = (events: Envelope<ParcelEventData>[] | undefined, type: string) => (events ?? []).filter((e) => e.type === type).length;

/** Counts of the parcels in `ids` per state, in a service's schema (`parcels`: intake's `id`, dispatch's `parcel_id`). */
async function countIn(db: Pool, column: 'id' | 'parcel_id', ids: readonly string[], state: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM parcels WHERE ${column} = ANY($1::uuid[]) AND state = $2`, [ids, state]);
  return rows[0]!.n;
}

const allIn = (db: Pool, column: 'id' | 'parcel_id', ids: readonly string[], state: string, timeoutMs = 60_000) =>
  waitFor(async () => ((await countIn(db, column, ids, state)) === ids.length ? true : undefined), { timeoutMs, intervalMs: 250 });

/** Waits until dispatch's read model has every station and vehicle of the slice (its own consumer of masterdata.events). */
async function masterDataAtDispatch(db: Pool, slice: Slice): Promise<void> {
  const doc = slice.document as { stations: { id: string }[]; vehicles: { id: string }[] };
  const wanted = [...doc.stations.map((s) => `station:${s.id}`), ...doc.vehicles.map((v) => `vehicle:${v.id}`)];
  await waitFor(
    async () => {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM masterdata WHERE entity || ':' || id = ANY($1)`, [wanted]);
      return rows[0]!.n === wanted.length ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}

/** The center's receive scans of `ids`, at `at`. */
const receiveScans = (ids: readonly string[], at: string) => ({
  scans: ids.map((parcelId) => ({ scanId: `receive-${parcelId}`, kind: 'receive', parcel: { parcelId }, occurredAt: at, stationId: 'center' })),
});

describe('a day at the county center, across intake and dispatch', () => {
  let stack: Stack;
  let slice: Slice;
  let adminKey: string;
  let operator: string;
  const drivers = new Map<string, string>();
  let intakeDb: Pool;
  let dispatchDb: Pool;
  let kafka: Kafka;
  let intake: string;
  let dispatch: string;

  /** Parcels by role in the story. */
  const ids = { regular: [] as string[], heavy: '', notDueRecent: '', notDueOld: '' };
  const waybillOf = new Map<string, string>();
  let morning: Plan;
  let cancelledRoute: PlanRoute;
  let closedStop: { routeId: string; parcelIds: string[] };
  let delivered: string[];

  async function issue(body: Record<string, unknown>): Promise<string> {
    const res = await api<{ key: string }>('POST', `${intake}/keys`, adminKey, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.key;
  }

  /** Waits until dispatch knows the key (its copy comes over masterdata.events). */
  const knownAtDispatch = (key: string) => waitFor(async () => ((await api('GET', `${dispatch}/auth/whoami`, key)).status === 200 ? true : undefined), { timeoutMs: 30_000 });

  async function driverOf(vehicleId: string): Promise<string> {
    if (!drivers.has(vehicleId)) {
      const key = await issue({ role: 'driver', name: `driver of ${vehicleId}`, scope: { vehicleIds: [vehicleId] } });
      await knownAtDispatch(key);
      drivers.set(vehicleId, key);
    }
    return drivers.get(vehicleId)!;
  }

  const field = (route: string, path: string, key: string, body: Record<string, unknown> = {}) =>
    api('POST', `${dispatch}/dispatch/routes/${route}${path}`, key, { eventId: randomUUID(), occurredAt: now(), ...body });

  /** Drives a confirmed route: departs, hands everything over at every stop but those in `closed`, comes back. */
  async function drive(route: PlanRoute, closed: ReadonlySet<number> = new Set()) {
    const key = await driverOf(route.vehicleId);
    const departed = await field(route.routeId!, '/departure', key);
    expect(departed.status, JSON.stringify(departed.body)).toBe(201);
    for (const stop of route.stops) {
      expect((await field(route.routeId!, `/stops/${stop.sequence}/arrival`, key)).status).toBe(201);
      if (closed.has(stop.sequence)) {
        const closedAt = await field(route.routeId!, `/stops/${stop.sequence}/exceptions`, key, { kind: 'station_closed', reason: '站点锁门，无人交接' });
        expect(closedAt.status, JSON.stringify(closedAt.body)).toBe(201);
      } else if (stop.deliveries.length > 0) {
        const handed = await field(route.routeId!, `/stops/${stop.sequence}/handover`, key);
        expect(handed.status, JSON.stringify(handed.body)).toBe(201);
      }
    }
    const back = await field(route.routeId!, '/return', key);
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    return back.body as { event: { data: { undeliveredParcelIds: string[] } } };
  }

  async function confirm(plan: Plan): Promise<Plan> {
    const res = await api<Plan>('POST', `${dispatch}/dispatch/plans/${plan.planId}/confirm`, operator, { revision: plan.revision });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async function parcelAtIntake(parcelId: string): Promise<ParcelBody> {
    const res = await api<ParcelBody>('GET', `${intake}/parcels/${parcelId}`, operator);
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    stack = await startStack();
    ({ intake, dispatch } = stack.urls);
    slice = await countySlice(DATE);
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'));
    const infra = inject('infra');
    intakeDb = createPool({ url: infra.DATABASE_URL, schema: `${stack.iso.schema}_intake`, logger });
    dispatchDb = createPool({ url: infra.DATABASE_URL, schema: `${stack.iso.schema}_dispatch`, logger });
    kafka = createKafka({ brokers: infra.KAFKA_BROKERS.split(','), clientId: 'dispatch-e2e', logger });

    // The county through intake's REST import: its master data reaches dispatch as masterdata.events.
    const imported = await api('POST', `${intake}/import/county`, adminKey, slice.document);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    // Hundreds of look-ups below: above the operator's default rate limit.
    operator = await issue({ role: 'operator', name: 'dispatch desk', rateLimitPerMinute: 100_000 });
    await knownAtDispatch(adminKey);
    await knownAtDispatch(operator);
    // A small planning budget keeps the suite short; the county's seed stays the default.
    const settings = await api('PUT', `${dispatch}/dispatch/settings`, adminKey, { budgetSeconds: 2 });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);

    // Three couriers deliver to the same villages; one parcel of 900 kg fits no van; two go to a station not due.
    for (const [c, courierId] of COURIERS.entries()) {
      const key = await issue({ role: 'courier', name: `${courierId} franchise`, scope: { courierId } });
      const parcels = Array.from({ length: PER_COURIER }, (_, n) =>
        announced(`${courierId.toUpperCase()}E2E${String(n).padStart(6, '0')}`, slice.daily[(n + c * 3) % slice.daily.length]!.villageCode, n),
      );
      if (courierId === 'zto') parcels.push(announced('ZTOE2EHEAVY01', slice.daily[0]!.villageCode, 0, { weightKg: 900, volumeM3: 3 }));
      if (courierId === 'yto') parcels.push(announced('YTOE2ENOTDUE1', slice.notDue.villageCode, 1));
      if (courierId === 'yunda') parcels.push(announced('YUNDAE2ENOTDUE', slice.notDue.villageCode, 2));
      const batch = await api<{ counts: { created: number }; results: { parcelId: string; waybill: string }[] }>('POST', `${intake}/parcels/batch`, key, { parcels });
      expect(batch.status, JSON.stringify(batch.body)).toBe(200);
      expect(batch.body.counts.created).toBe(parcels.length);
      batch.body.results.forEach((result, i) => {
        const waybill = parcels[i]!.waybill;
        waybillOf.set(result.parcelId, waybill);
        if (waybill === 'ZTOE2EHEAVY01') ids.heavy = result.parcelId;
        else if (waybill === 'YTOE2ENOTDUE1') ids.notDueRecent = result.parcelId;
        else if (waybill === 'YUNDAE2ENOTDUE') ids.notDueOld = result.parcelId;
        else ids.regular.push(result.parcelId);
      });
    }
    // Received at the center now; the old one three days ago (71 h: its 72 h would be gone by the station's day).
    const received = await api('POST', `${intake}/scans/batch`, operator, receiveScans([...ids.regular, ids.heavy, ids.notDueRecent], now()));
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    const old = await api('POST', `${intake}/scans/batch`, operator, receiveScans([ids.notDueOld], new Date(Date.now() - 71 * 3_600_000).toISOString()));
    expect(old.status, JSON.stringify(old.body)).toBe(200);
    await allIn(dispatchDb, 'parcel_id', [...ids.regular, ids.heavy, ids.notDueRecent, ids.notDueOld], 'received');
    await masterDataAtDispatch(dispatchDb, slice);
  }, 300_000);

  afterAll(async () => {
    stack?.child.kill('SIGTERM');
    await stack?.exited;
    await Promise.allSettled([intakeDb?.end(), dispatchDb?.end()]);
  });

  it('plans the morning wave: every parcel but the one no van carries, the station not due waits unless its parcel would breach, cheaper than each courier alone', async () => {
    const res = await api<Plan>('POST', `${dispatch}/dispatch/waves/${DATE}/am/plans`, operator, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    morning = res.body;
    expect(morning.routes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(plannedIds(morning))).toEqual(new Set([...ids.regular, ids.notDueOld]));
    const unplanned = new Map(morning.unplanned.map((u) => [u.parcelId, u]));
    expect(unplanned.get(ids.heavy)).toMatchObject({ reason: 'capacity' });
    expect(unplanned.get(ids.heavy)!.detail).toMatch(/900 kg.*too heavy or bulky for every free vehicle/);
    expect(unplanned.get(ids.notDueRecent)).toMatchObject({ reason: 'not_due', stationId: slice.notDue.stationId });
    expect(unplanned.get(ids.notDueRecent)!.detail).toContain(addDays(DATE, 1));
    expect(morning.forcedNotDue.map((f) => f.parcelId)).toEqual([ids.notDueOld]);
    expect(morning.consolidated.costPerParcel).toBeLessThan(morning.counterfactual.costPerParcel);
  }, 120_000);

  it('re-plans around a locked route, which keeps its vehicle, stops in order and parcels', async () => {
    const kept = morning.routes[0]!;
    const locked = await api<Plan>('POST', `${dispatch}/dispatch/plans/${morning.planId}/locks`, operator, { routeKey: kept.routeKey, revision: morning.revision });
    expect(locked.status, JSON.stringify(locked.body)).toBe(200);
    const replanned = await api<Plan>('POST', `${dispatch}/dispatch/plans/${morning.planId}/replan`, operator, { seed: 2, revision: locked.body.revision });
    expect(replanned.status, JSON.stringify(replanned.body)).toBe(200);
    morning = replanned.body;
    const same = morning.routes.find((r) => r.routeKey === kept.routeKey)!;
    expect(same).toMatchObject({ vehicleId: kept.vehicleId, locked: true });
    expect(same.stops.map((s) => [s.stationId, [...s.deliveries].sort()])).toEqual(kept.stops.map((s) => [s.stationId, [...s.deliveries].sort()]));
    expect(new Set(plannedIds(morning))).toEqual(new Set([...ids.regular, ids.notDueOld]));
  }, 120_000);

  it('confirms: intake sorts every parcel, the wave costs less than the counterfactual, and each sheet shows waybills and masked recipients', async () => {
    morning = await confirm(morning);
    expect(morning.routes.every((r) => r.routeId)).toBe(true);
    await allIn(intakeDb, 'id', plannedIds(morning), 'sorted');

    const costs = await api<{ costPerParcel: number; parcels: number; byCourier: { courierId: string }[]; counterfactual: { costPerParcel: number } }>(
      'GET',
      `${dispatch}/dispatch/waves/${DATE}/am/costs`,
      operator,
    );
    expect(costs.status).toBe(200);
    expect(costs.body.parcels).toBe(plannedIds(morning).length);
    expect(costs.body.byCourier.map((c) => c.courierId).sort()).toEqual([...COURIERS].sort());
    expect(costs.body.costPerParcel).toBeLessThan(costs.body.counterfactual.costPerParcel);

    for (const route of morning.routes) {
      const sheet = await api<Sheet>('GET', `${dispatch}/dispatch/routes/${route.routeId}/sheet`, await driverOf(route.vehicleId));
      expect(sheet.status).toBe(200);
      const unload = sheet.body.stops.flatMap((s) => s.unload);
      expect(unload.map((u) => u.parcelId).sort()).toEqual(route.parcels.map((p) => p.parcelId).sort());
      for (const u of unload) {
        expect(u.waybill).toBe(waybillOf.get(u.parcelId));
        expect(u.recipient).toEqual({ name: '王**', phone: expect.stringMatching(/^139\*{4}\d{4}$/) });
      }
    }
  }, 120_000);

  it('refuses a driver of another vehicle, for the sheet and for every report, and nothing changes', async () => {
    const route = morning.routes[0]!;
    const other = VANS.find((v) => v !== route.vehicleId)!;
    const stranger = await driverOf(other);
    expect((await api('GET', `${dispatch}/dispatch/routes/${route.routeId}/sheet`, stranger)).status).toBe(403);
    expect((await field(route.routeId!, '/departure', stranger)).status).toBe(403);
    expect((await field(route.routeId!, '/stops/1/handover', stranger)).status).toBe(403);
    const sheet = await api<Sheet>('GET', `${dispatch}/dispatch/routes/${route.routeId}/sheet`, operator);
    expect(sheet.body.status).toBe('confirmed');
    expect(await countIn(intakeDb, 'id', route.parcels.map((p) => p.parcelId), 'sorted')).toBe(route.parcels.length);
  });

  it('a route cancelled before departure gives its parcels back to the center; the others depart and hand over, one station closed', async () => {
    cancelledRoute = morning.routes.at(-1)!;
    const cancelled = await api('POST', `${dispatch}/dispatch/routes/${cancelledRoute.routeId}/cancel`, operator, { eventId: randomUUID(), reason: '车辆故障' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(201);
    await allIn(intakeDb, 'id', cancelledRoute.parcels.map((p) => p.parcelId), 'received');

    const driven = morning.routes.slice(0, -1);
    // The first stop of the first route driven finds its station locked: its parcels come back.
    const first = driven[0]!;
    closedStop = { routeId: first.routeId!, parcelIds: first.stops[0]!.deliveries };
    for (const [i, route] of driven.entries()) {
      const back = await drive(route, i === 0 ? new Set([route.stops[0]!.sequence]) : new Set());
      expect(back.event.data.undeliveredParcelIds.sort()).toEqual(i === 0 ? [...closedStop.parcelIds].sort() : []);
    }
    const closed = new Set(closedStop.parcelIds);
    delivered = driven.flatMap((r) => r.parcels.map((p) => p.parcelId)).filter((id) => !closed.has(id));
    await allIn(intakeDb, 'id', delivered, 'at_station');
    // Intake's lifecycle has no fact for "back at the center": they stay departed there.
    expect(await countIn(intakeDb, 'id', closedStop.parcelIds, 'departed')).toBe(closedStop.parcelIds.length);
  }, 180_000);

  it('each parcel handed over passed sorted, departed and at_station exactly once, in intake and on parcel.events', async () => {
    for (const parcelId of delivered) {
      const parcel = await parcelAtIntake(parcelId);
      expect(parcel.state).toBe('at_station');
      expect([reported(parcel.timeline, 'sorted'), reported(parcel.timeline, 'departed'), reported(parcel.timeline, 'at_station')], parcelId).toEqual([1, 1, 1]);
    }
    const events = await waitFor(async () => {
      const all = await parcelEventsByParcel(kafka, `${stack.iso.topicPrefix}parcel.events`);
      return delivered.every((id) => ofType(all.get(id), 'parcel.arrived_at_station') > 0) ? all : undefined;
    });
    for (const parcelId of delivered) {
      const own = events.get(parcelId);
      const counts = ['parcel.sorted', 'parcel.departed', 'parcel.arrived_at_station'].map((type) => [ofType(own, type), moves(own, type)]);
      expect(counts, parcelId).toEqual([
        [1, 1],
        [1, 1],
        [1, 1],
      ]);
    }
  }, 120_000);

  it('the next wave plans the cancelled route’s parcels, those the closed station sent back, and the heavy parcel once a truck joins', async () => {
    const truck = await api('PUT', `${intake}/vehicles/truck-9`, adminKey, bigTruck('truck-9'));
    expect(truck.status, JSON.stringify(truck.body)).toBe(201);
    await waitFor(async () => ((await dispatchDb.query(`SELECT 1 FROM masterdata WHERE entity = 'vehicle' AND id = 'truck-9'`)).rowCount ? true : undefined));
    const back = cancelledRoute.parcels.map((p) => p.parcelId);
    await allIn(dispatchDb, 'parcel_id', back, 'received');

    const res = await api<Plan>('POST', `${dispatch}/dispatch/waves/${DATE}/pm/plans`, operator, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const afternoon = await confirm(res.body);
    expect(new Set(plannedIds(afternoon))).toEqual(new Set([...back, ...closedStop.parcelIds, ids.heavy]));
    expect(afternoon.routes.find((r) => r.parcels.some((p) => p.parcelId === ids.heavy))?.vehicleId).toBe('truck-9');
    // The station not due still waits for its day.
    expect(afternoon.unplanned.map((u) => [u.parcelId, u.reason])).toEqual([[ids.notDueRecent, 'not_due']]);

    await allIn(intakeDb, 'id', [...back, ids.heavy], 'sorted');
    for (const route of afternoon.routes) await drive(route);
    await allIn(intakeDb, 'id', plannedIds(afternoon), 'at_station');

    const events = await waitFor(async () => {
      const all = await parcelEventsByParcel(kafka, `${stack.iso.topicPrefix}parcel.events`);
      return plannedIds(afternoon).every((id) => ofType(all.get(id), 'parcel.arrived_at_station') > 0) ? all : undefined;
    });
    const kinds = (parcelId: string) =>
      ['parcel.sorted', 'parcel.sort_cancelled', 'parcel.departed', 'parcel.arrived_at_station'].map((type) => moves(events.get(parcelId), type));
    // The heavy parcel: sorted, departed, at the station, once each.
    expect(reported((await parcelAtIntake(ids.heavy)).timeline, 'at_station')).toBe(1);
    expect(kinds(ids.heavy)).toEqual([1, 0, 1, 1]);
    // The cancelled route's: sorted, back to received, sorted again; departed and at the station once.
    for (const parcelId of back) {
      const parcel = await parcelAtIntake(parcelId);
      expect([parcel.state, reported(parcel.timeline, 'departed'), reported(parcel.timeline, 'at_station')], parcelId).toEqual(['at_station', 1, 1]);
      expect(kinds(parcelId), parcelId).toEqual([2, 1, 1, 1]);
    }
    // Those the closed station sent back: the second route's confirm and departure are kept in the timeline without
    // moving them (steps already passed); the hand-over moves them to at_station, once.
    for (const parcelId of closedStop.parcelIds) {
      const parcel = await parcelAtIntake(parcelId);
      expect(parcel.state).toBe('at_station');
      expect([reported(parcel.timeline, 'sorted'), reported(parcel.timeline, 'departed'), reported(parcel.timeline, 'at_station')], parcelId).toEqual([2, 2, 1]);
      const second = parcel.timeline.filter((e) => e.state === 'departed' && !e.inferred).at(-1)!;
      expect(second.routeId).not.toBe(closedStop.routeId);
      expect(kinds(parcelId), parcelId).toEqual([1, 0, 1, 1]);
      expect([ofType(events.get(parcelId), 'parcel.sorted'), ofType(events.get(parcelId), 'parcel.departed')], parcelId).toEqual([2, 2]);
    }
  }, 240_000);
});

describe('dispatch killed between a confirm and its relay publishing', () => {
  // Intake and dispatch as their own processes (as `npm start` runs each). dispatch reaches Kafka through a TCP proxy.
  // A proxy in front of a running client cannot cut it: after bootstrapping, kafkajs connects to the broker's
  // advertised address (127.0.0.1:9092) directly. So the dispatch that builds its read model runs with the proxy open
  // and is stopped; the one that confirms starts with the proxy cut (it never reaches the broker, so its relay cannot
  // publish), and is killed with SIGKILL; a third starts once the proxy is restored.
  const iso = isolation();
  const schema = { intake: `${iso.schema}_intake`, dispatch: `${iso.schema}_dispatch` };
  const started: ServiceProcess[] = [];
  let proxy: TcpProxy;
  let brokers: string;
  let intakeDb: Pool;
  let dispatchDb: Pool;
  let kafka: Kafka;

  beforeAll(async () => {
    const infra = inject('infra');
    const [host, port] = infra.KAFKA_BROKERS.split(',')[0]!.split(':');
    proxy = new TcpProxy(host!, Number(port));
    brokers = `127.0.0.1:${await proxy.start()}`;
    intakeDb = createPool({ url: infra.DATABASE_URL, schema: schema.intake, logger });
    dispatchDb = createPool({ url: infra.DATABASE_URL, schema: schema.dispatch, logger });
    kafka = createKafka({ brokers: infra.KAFKA_BROKERS.split(','), clientId: 'dispatch-e2e-kill', logger });
  });

  afterAll(async () => {
    await Promise.all(started.map(killService));
    await proxy?.stop();
    await Promise.allSettled([intakeDb?.end(), dispatchDb?.end()]);
  });

  it('after the restart every parcel is sorted exactly once in intake and on parcel.events', async () => {
    const date = tomorrowInCounty();
    const slice = await countySlice(date);
    const infra = inject('infra');
    const intakeProcess = await startServiceProcess('intake', iso, { schema: schema.intake });
    started.push(intakeProcess);
    const intake = intakeProcess.url;
    const adminKey = await createAdminKey({ ...process.env, ...infra, DB_SCHEMA: schema.intake, TOPIC_PREFIX: iso.topicPrefix, GROUP_PREFIX: iso.groupPrefix, LOG_LEVEL: 'warn' });
    expect((await api('POST', `${intake}/import/county`, adminKey, slice.document)).status).toBe(200);
    const operator = (await api<{ key: string }>('POST', `${intake}/keys`, adminKey, { role: 'operator', name: 'desk', rateLimitPerMinute: 100_000 })).body.key;
    const courier = (await api<{ key: string }>('POST', `${intake}/keys`, adminKey, { role: 'courier', name: 'zto', scope: { courierId: 'zto' } })).body.key;
    const parcels = Array.from({ length: 80 }, (_, n) => announced(`ZTOKILL${String(n).padStart(6, '0')}`, slice.daily[n % slice.daily.length]!.villageCode, n));
    const batch = await api<{ results: { parcelId: string }[] }>('POST', `${intake}/parcels/batch`, courier, { parcels });
    expect(batch.status).toBe(200);
    const parcelIds = batch.body.results.map((r) => r.parcelId);
    expect((await api('POST', `${intake}/scans/batch`, operator, receiveScans(parcelIds, now()))).status).toBe(200);

    // The first dispatch builds its read model and its copy of the keys, through the open proxy; then stops.
    const first = await startServiceProcess('dispatch', iso, { schema: schema.dispatch, brokers });
    started.push(first);
    for (const key of [adminKey, operator]) {
      await waitFor(async () => ((await api('GET', `${first.url}/auth/whoami`, key)).status === 200 ? true : undefined), { timeoutMs: 30_000 });
    }
    expect((await api('PUT', `${first.url}/dispatch/settings`, adminKey, { budgetSeconds: 1 })).status).toBe(200);
    await allIn(dispatchDb, 'parcel_id', parcelIds, 'received');
    await masterDataAtDispatch(dispatchDb, slice);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // The broker cut off: the second confirms, and its events wait in the outbox.
    proxy.cut();
    const second = await startServiceProcess('dispatch', iso, { schema: schema.dispatch, brokers });
    started.push(second);
    const planned = await api<Plan>('POST', `${second.url}/dispatch/waves/${date}/am/plans`, operator, {});
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    expect(plannedIds(planned.body).sort(), JSON.stringify({ unplanned: planned.body.unplanned.slice(0, 3), held: planned.body.held.slice(0, 3) })).toEqual([...parcelIds].sort());
    const confirmed = await api<Plan>('POST', `${second.url}/dispatch/plans/${planned.body.planId}/confirm`, operator, { revision: planned.body.revision });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const unsent = await dispatchDb.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL');
    expect(unsent.rows[0]!.n).toBe(confirmed.body.routes.length + 1);
    second.child.kill('SIGKILL');
    expect(await second.exited).toBe('SIGKILL');
    expect(await countIn(intakeDb, 'id', parcelIds, 'received')).toBe(parcelIds.length);

    // Back: a fresh process publishes the confirm; intake sorts each parcel once.
    proxy.restore();
    const third = await startServiceProcess('dispatch', iso, { schema: schema.dispatch, brokers });
    started.push(third);
    await allIn(intakeDb, 'id', parcelIds, 'sorted');
    await waitFor(async () => ((await dispatchDb.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL')).rows[0]!.n === 0 ? true : undefined));
    for (const parcelId of parcelIds) {
      const parcel = await api<ParcelBody>('GET', `${intake}/parcels/${parcelId}`, operator);
      expect([parcel.body.state, reported(parcel.body.timeline, 'sorted')], parcelId).toEqual(['sorted', 1]);
    }
    const events = await waitFor(async () => {
      const all = await parcelEventsByParcel(kafka, `${iso.topicPrefix}parcel.events`);
      return parcelIds.every((id) => ofType(all.get(id), 'parcel.sorted') > 0) ? all : undefined;
    });
    expect(parcelIds.filter((id) => ofType(events.get(id), 'parcel.sorted') !== 1 || moves(events.get(id), 'parcel.sorted') !== 1)).toEqual([]);
    const routeEvents = (await readTopic<Envelope>(kafka, `${iso.topicPrefix}dispatch.events`)).map((m) => m.value).filter((e) => e.type === 'dispatch.route_confirmed');
    expect(new Set(routeEvents.map((e) => e.id)).size).toBe(confirmed.body.routes.length);
  }, 240_000);
});
