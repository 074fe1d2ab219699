// Issue #11's acceptance across the real services, as processes (`npm start`): a simulated trip with one excursion
// beyond tolerance yields exactly one alarm and non-compliant records for exactly the parcels in that container
// during it, compliant for the others. The county is imported at intake (two refrigerated trucks, one van); couriers
// announce cold-chain parcels (profile `chilled`, 0–4 °C, 30 min tolerated) and ordinary ones; the center receives
// them; dispatch plans and an operator confirms the wave; drivers depart and hand over with their handhelds; the
// trucks' gateways publish their readings over real MQTT (QoS 1) — one truck's compartment out of range for 46 min
// after its first stop. What coldchain publishes on `coldchain.events` is read with the test's own Kafka consumer.
//
// The trip happened in the last three hours (handhelds and gateways upload what they recorded, with its times): the
// services run on the real clock, nothing is in the future, and no silence can fall within the test.
import { randomUUID } from 'node:crypto';
import type { Envelope } from '@county/contracts';
import { createKafka, createPool, readDeadLetters, readTopic, type Kafka, type Pool } from '@county/platform';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY_ID, announced, api, bigTruck, countySlice, createAdminKey, tomorrowInCounty } from './support/dispatch-county.js';
import { testLogger, waitFor } from './support/harness.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';

const logger = testLogger('coldchain-trip-e2e');
const DATE = tomorrowInCounty();
const PROFILE = 'chilled';
const MINUTE = 60_000;

/** Two refrigerated trucks whose compartments hold 50 kg each (five 10 kg parcels): the cold parcels need both. */
const reefer = (id: string) => ({ ...bigTruck(id), name: '冷藏车', capacityKg: 800, capacityM3: 6, refrigerated: true, refrigeratedCapacityKg: 50, refrigeratedCapacityM3: 1 });
const REEFERS = ['reefer-1', 'reefer-2'] as const;
const compartment = (vehicleId: string) => `${vehicleId}/refrigerated`;

interface PlanRoute {
  routeKey: string;
  routeId: string | null;
  vehicleId: string;
  stops: { sequence: number; stationId: string; deliveries: string[]; pickups: string[] }[];
  parcels: { parcelId: string }[];
}
interface Plan {
  planId: string;
  revision: number;
  routes: PlanRoute[];
  unplanned: { parcelId: string; reason: string; detail: string }[];
}
interface ComplianceRecord {
  parcelId: string;
  revision: number;
  containers: { containerId: string; from: string; to: string }[];
  readings: number;
  minutesOutOfRange: number;
  excursions: { excursionId: string; minutes: number }[];
  compliant: boolean;
  reasons: string[];
}

/** The trip's minutes, counted from its departure `t0` (three hours before the test drove it). */
const at = (t0: number, minutes: number) => new Date(t0 + minutes * MINUTE).toISOString();

/** The excursion: the truck's compartment reads 8 °C from 30 minutes after departure until 76 (46 min > 30 tolerated). */
const EXCURSION = { from: 30, to: 76, temperatureC: 8 };
/** Readings every 2 minutes from 10 minutes before departure until 2 minutes before the test drove the trip. */
const READ_FROM = -10;
const READ_EVERY = 2;

describe('a cold-chain trip across intake, dispatch and coldchain', () => {
  let stack: Stack;
  let adminKey: string;
  let operator: string;
  let kafka: Kafka;
  let dispatchDb: Pool;
  let coldchainDb: Pool;
  let gateway: MqttClient;
  let intake: string;
  let dispatch: string;
  let coldchain: string;
  /** The trip's departure, epoch ms; the trip's last reading is `readUntil` minutes after it. */
  let t0: number;
  let readUntil: number;
  const cold: string[] = [];
  const ambient: string[] = [];
  let plan: Plan;
  /** The truck whose compartment goes out of range, and the other. */
  let warm: PlanRoute;
  let other: PlanRoute;
  /** The parcels in the warm truck's compartment during the excursion: those not handed over at its first stop. */
  let exposed: Set<string>;
  const drivers = new Map<string, string>();

  async function issue(body: Record<string, unknown>): Promise<string> {
    const res = await api<{ key: string }>('POST', `${intake}/keys`, adminKey, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.key;
  }
  /** Waits until a service knows the key (its copy comes over masterdata.events). */
  const knownAt = (url: string, key: string) => waitFor(async () => ((await api('GET', `${url}/auth/whoami`, key)).status === 200 ? true : undefined), { timeoutMs: 30_000 });

  async function driverOf(vehicleId: string): Promise<string> {
    if (!drivers.has(vehicleId)) {
      const key = await issue({ role: 'driver', name: `driver of ${vehicleId}`, scope: { vehicleIds: [vehicleId] } });
      await knownAt(dispatch, key);
      drivers.set(vehicleId, key);
    }
    return drivers.get(vehicleId)!;
  }

  /** The driver's handheld: one field event, answered 201. */
  async function report(route: PlanRoute, path: string, occurredAt: string) {
    const res = await api('POST', `${dispatch}/dispatch/routes/${route.routeId}${path}`, await driverOf(route.vehicleId), { eventId: randomUUID(), occurredAt });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
  }

  /** Arrives and hands over at the stop, `minutes` after departure (arrival five minutes before). */
  async function handOver(route: PlanRoute, sequence: number, minutes: number) {
    await report(route, `/stops/${sequence}/arrival`, at(t0, minutes - 5));
    await report(route, `/stops/${sequence}/handover`, at(t0, minutes));
  }

  const deliveryStops = (route: PlanRoute) => route.stops.filter((s) => s.deliveries.length > 0);

  /** The readings of a compartment's gateway, one sensor, every 2 minutes. */
  function readingsOf(containerId: string, outOfRange: boolean): { containerId: string; sensorId: string; measuredAt: string; temperatureC: number }[] {
    const readings = [];
    for (let m = READ_FROM; m <= readUntil; m += READ_EVERY) {
      const out = outOfRange && m >= EXCURSION.from && m < EXCURSION.to;
      readings.push({ containerId, sensorId: `${containerId.split('/')[0]}-probe-1`, measuredAt: at(t0, m), temperatureC: out ? EXCURSION.temperatureC : 2.5 });
    }
    return readings;
  }

  const topicOf = (containerId: string) => `${stack.iso.topicPrefix}county/${COUNTY_ID}/coldchain/${containerId}/readings`;

  async function storedReadings(containerId: string): Promise<number> {
    const q = new URLSearchParams({ containerId, from: at(t0, READ_FROM - 1), to: at(t0, readUntil + 1) });
    const res = await api<{ readings: unknown[] }>('GET', `${coldchain}/coldchain/readings?${q}`, operator);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.readings.length;
  }

  /** The gateway streams its readings as it would live: 10 at a time (20 minutes), each message stored before the next. */
  async function stream(containerId: string, readings: ReturnType<typeof readingsOf>) {
    for (let i = 0; i < readings.length; i += 10) {
      await gateway.publishAsync(topicOf(containerId), JSON.stringify({ gatewayId: `gw-${containerId.split('/')[0]}`, readings: readings.slice(i, i + 10) }), { qos: 1 });
      const expected = Math.min(i + 10, readings.length);
      await waitFor(async () => ((await storedReadings(containerId)) === expected ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });
    }
  }

  /** Every event coldchain published, once per event id (the relay publishes at least once). */
  async function coldchainEvents(): Promise<Envelope<Record<string, unknown>>[]> {
    const byId = new Map<string, Envelope<Record<string, unknown>>>();
    for (const message of await readTopic<Envelope<Record<string, unknown>>>(kafka, `${stack.iso.topicPrefix}coldchain.events`)) byId.set(message.value.id, message.value);
    return [...byId.values()];
  }

  const compliance = (parcelId: string) => api<{ record: ComplianceRecord; revisions: unknown[] }>('GET', `${coldchain}/coldchain/parcels/${parcelId}/compliance`, operator);

  beforeAll(async () => {
    stack = await startStack();
    ({ intake, dispatch, coldchain } = stack.urls);
    const infra = inject('infra');
    kafka = createKafka({ brokers: infra.KAFKA_BROKERS.split(','), clientId: 'coldchain-trip-e2e', logger });
    dispatchDb = createPool({ url: infra.DATABASE_URL, schema: `${stack.iso.schema}_dispatch`, logger });
    coldchainDb = createPool({ url: infra.DATABASE_URL, schema: `${stack.iso.schema}_coldchain`, logger });
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'));

    // The slice of the demo county with two refrigerated trucks and one van; no station keeps a cold room, so the
    // only containers are the trucks' compartments.
    const slice = await countySlice(DATE);
    const doc = slice.document as { stations: Record<string, unknown>[]; vehicles: Record<string, unknown>[] };
    const document = { ...slice.document, stations: doc.stations.map((s) => ({ ...s, coldStorageM3: 0 })), vehicles: [doc.vehicles[0]!, ...REEFERS.map(reefer)] };
    const imported = await api('POST', `${intake}/import/county`, adminKey, document);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    operator = await issue({ role: 'operator', name: 'cold-chain desk', rateLimitPerMinute: 100_000 });
    await Promise.all([knownAt(dispatch, adminKey), knownAt(dispatch, operator), knownAt(coldchain, operator)]);
    expect((await api('PUT', `${dispatch}/dispatch/settings`, adminKey, { budgetSeconds: 2 })).status).toBe(200);

    // Every master-data event applied where it is used: the fleet and stations at dispatch, both compartments at
    // coldchain (which also seeded the county's profiles then).
    const wanted = [...doc.stations.map((s) => `station:${s.id as string}`), 'vehicle:van-1', ...REEFERS.map((v) => `vehicle:${v}`)];
    await waitFor(
      async () => {
        const { rows } = await dispatchDb.query<{ n: number }>(`SELECT count(*)::int AS n FROM masterdata WHERE entity || ':' || id = ANY($1)`, [wanted]);
        return rows[0]!.n === wanted.length ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // coldchain's catalogue reads the county, station and vehicle events: every one of them published by intake's
    // relay (1 + stations + vehicles) and then in its inbox.
    const read = new Set(['masterdata.county_upserted', 'masterdata.station_upserted', 'masterdata.station_deactivated', 'masterdata.vehicle_upserted', 'masterdata.vehicle_deactivated']);
    const published = await waitFor(
      async () => {
        const ids = new Set(
          (await readTopic<Envelope>(kafka, `${stack.iso.topicPrefix}masterdata.events`))
            .map((m) => m.value)
            .filter((e) => e.countyId === COUNTY_ID && read.has(e.type))
            .map((e) => e.id),
        );
        return ids.size === 1 + doc.stations.length + 1 + REEFERS.length ? [...ids] : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    await waitFor(
      async () => {
        const { rows } = await coldchainDb.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'coldchain.catalogue-masterdata' AND event_id = ANY($1::uuid[])`, [published]);
        return rows[0]!.n === published.length ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const containers = await api<{ items: { containerId: string }[] }>('GET', `${coldchain}/coldchain/containers`, operator);
    expect(containers.body.items.map((c) => c.containerId).sort()).toEqual(REEFERS.map(compartment));

    // Two couriers: 8 cold-chain parcels of 10 kg (two for each of four stations) and 4 ordinary ones.
    const stations = slice.daily.slice(0, 4);
    for (const [c, courierId] of (['zto', 'yto'] as const).entries()) {
      const key = await issue({ role: 'courier', name: `${courierId} franchise`, scope: { courierId } });
      const parcels = [
        ...stations.map((s, n) =>
          announced(`${courierId.toUpperCase()}COLD${n}${c}`, s.villageCode, n, { weightKg: 10, volumeM3: 0.04, coldChainProfileId: PROFILE, serviceType: 'cold_chain' }),
        ),
        ...stations.slice(0, 2).map((s, n) => announced(`${courierId.toUpperCase()}DRY${n}${c}`, s.villageCode, n)),
      ];
      const batch = await api<{ counts: { created: number }; results: { parcelId: string }[] }>('POST', `${intake}/parcels/batch`, key, { parcels });
      expect(batch.status, JSON.stringify(batch.body)).toBe(200);
      expect(batch.body.counts.created).toBe(parcels.length);
      batch.body.results.forEach((r, i) => (i < stations.length ? cold : ambient).push(r.parcelId));
    }

    // The trip: departure three hours ago; received at the center half an hour before it.
    t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 180 * MINUTE;
    readUntil = 178;
    const receivedAt = at(t0, -30);
    const scans = [...cold, ...ambient].map((parcelId) => ({ scanId: `receive-${parcelId}`, kind: 'receive', parcel: { parcelId }, occurredAt: receivedAt, stationId: 'center' }));
    const received = await api('POST', `${intake}/scans/batch`, operator, { scans });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    // Dispatch knows them as received (its read model, from intake's parcel.events) before it plans.
    await waitFor(
      async () => {
        const { rows } = await dispatchDb.query<{ n: number }>(`SELECT count(*)::int AS n FROM parcels WHERE parcel_id = ANY($1::uuid[]) AND state = 'received'`, [[...cold, ...ambient]]);
        return rows[0]!.n === cold.length + ambient.length ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const planned = await api<Plan>('POST', `${dispatch}/dispatch/waves/${DATE}/am/plans`, operator, {});
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    plan = planned.body;

    gateway = await mqtt.connectAsync(infra.MQTT_URL, { protocolVersion: 5, clientId: `gateway-${stack.iso.id}`, reconnectPeriod: 500 });
    // coldchain reads MQTT once its session subscribed: a reading for a container it does not have is dead-lettered.
    const probe = `probe-${stack.iso.id}/refrigerated`;
    await waitFor(
      async () => {
        await gateway.publishAsync(topicOf(probe), JSON.stringify({ sensorId: 'p', measuredAt: new Date().toISOString(), temperatureC: 3 }), { qos: 1 });
        const letters = await readDeadLetters(kafka, `${stack.iso.topicPrefix}coldchain.readings.dlq`);
        return letters.some((l) => l.record.original.topic === topicOf(probe)) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  }, 420_000);

  afterAll(async () => {
    await gateway?.endAsync();
    stack?.child.kill('SIGTERM');
    await stack?.exited;
    await Promise.allSettled([dispatchDb?.end(), coldchainDb?.end()]);
  });

  it('plans the cold-chain parcels on both refrigerated compartments and confirms', async () => {
    expect(plan.unplanned).toEqual([]);
    const byVehicle = new Map(plan.routes.map((r) => [r.vehicleId, r]));
    for (const v of REEFERS) expect(byVehicle.get(v)?.parcels.some((p) => cold.includes(p.parcelId)), `${v} carries cold-chain parcels`).toBe(true);
    const res = await api<Plan>('POST', `${dispatch}/dispatch/plans/${plan.planId}/confirm`, operator, { revision: plan.revision });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    plan = res.body;
    const reefers = plan.routes.filter((r) => (REEFERS as readonly string[]).includes(r.vehicleId));
    // The truck that goes warm: the one with more stops, so parcels handed over before the excursion are in it too.
    [warm, other] = [...reefers].sort((a, b) => deliveryStops(b).length - deliveryStops(a).length) as [PlanRoute, PlanRoute];
    const coldOf = (route: PlanRoute) => route.parcels.map((p) => p.parcelId).filter((id) => cold.includes(id));
    const first = deliveryStops(warm)[0]!;
    // With one stop only, it is handed over after the excursion: everything on board was in it.
    const beforeExcursion = deliveryStops(warm).length > 1 ? new Set(first.deliveries) : new Set<string>();
    exposed = new Set(coldOf(warm).filter((id) => !beforeExcursion.has(id)));
    expect(exposed.size).toBeGreaterThan(0);
    expect(new Set([...coldOf(warm), ...coldOf(other)])).toEqual(new Set(cold));
  }, 120_000);

  it('drives the trip: the gateways’ readings over MQTT, one excursion beyond tolerance on one compartment, hand-overs at every stop', async () => {
    const routes = plan.routes.filter((r) => r.routeId);
    for (const route of routes) await report(route, '/departure', at(t0, 0));
    // coldchain has bound every cold-chain parcel to its truck's compartment from the departure.
    for (const parcelId of cold) {
      await waitFor(
        async () => {
          const res = await api<{ items: { containerId: string; from: string }[] }>('GET', `${coldchain}/coldchain/bindings?parcelId=${parcelId}`, operator);
          return res.status === 200 && res.body.items.some((b) => b.containerId.endsWith('/refrigerated') && b.from === at(t0, 0)) ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
    }
    // The warm truck's first stop, 20 minutes out, reported as it happened: before the compartment warmed up.
    const warmStops = deliveryStops(warm);
    if (warmStops.length > 1) {
      await handOver(warm, warmStops[0]!.sequence, 20);
      // The gateways upload after the handheld's report has reached coldchain (dispatch's outbox, then its consumer):
      // the alarm names the parcels coldchain knows aboard when it is raised, so this makes the order the trip's.
      for (const parcelId of warmStops[0]!.deliveries.filter((id) => cold.includes(id))) {
        await waitFor(
          async () => {
            const res = await api<{ items: { containerId: string; to: string | null }[] }>('GET', `${coldchain}/coldchain/bindings?parcelId=${parcelId}`, operator);
            return res.status === 200 && res.body.items.some((b) => b.containerId === compartment(warm.vehicleId) && b.to !== null) ? true : undefined;
          },
          { timeoutMs: 30_000, intervalMs: 250 },
        );
      }
    }

    await stream(compartment(other.vehicleId), readingsOf(compartment(other.vehicleId), false));
    await stream(compartment(warm.vehicleId), readingsOf(compartment(warm.vehicleId), true));

    // The rest of the warm truck's stops after the excursion; the other truck's every 10 minutes from 20 on; the van's.
    const later = warmStops.length > 1 ? warmStops.slice(1) : warmStops;
    for (const [i, stop] of later.entries()) await handOver(warm, stop.sequence, 90 + 10 * i);
    for (const [i, stop] of deliveryStops(other).entries()) await handOver(other, stop.sequence, 20 + 10 * i);
    for (const route of routes.filter((r) => r !== warm && r !== other)) {
      for (const [i, stop] of deliveryStops(route).entries()) await handOver(route, stop.sequence, 20 + 10 * i);
    }
    for (const route of routes) await report(route, '/return', at(t0, 170));
  }, 300_000);

  it('yields exactly one alarm, on the warm compartment, naming the parcels that were in it', async () => {
    const excursionId = await waitFor(
      async () => (await coldchainEvents()).find((e) => e.type === 'coldchain.alarm_raised')?.data.excursionId as string | undefined,
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    // Every compliance record of the trip is in (hand-overs processed), so nothing more is coming for this trip.
    await waitFor(
      async () => {
        const records = await Promise.all(cold.map(compliance));
        return records.every((r) => r.status === 200 && r.body.record.readings > 0) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const events = await coldchainEvents();
    const alarms = events.filter((e) => e.type === 'coldchain.alarm_raised');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.data).toMatchObject({ containerId: compartment(warm.vehicleId), kind: 'tolerance_exceeded', severity: 'critical', excursionId });
    expect(new Set(alarms[0]!.data.parcelIds as string[])).toEqual(exposed);
    // Raised when more than the 30 tolerated minutes were out: by the reading 32 minutes into the excursion.
    expect(Date.parse(alarms[0]!.data.raisedAt as string)).toBeGreaterThan(t0 + (EXCURSION.from + 30) * MINUTE);
    expect(Date.parse(alarms[0]!.data.raisedAt as string)).toBeLessThanOrEqual(t0 + (EXCURSION.from + 32) * MINUTE);
    // The excursion opened and closed once, on that compartment only.
    const opened = events.filter((e) => e.type === 'coldchain.excursion_opened');
    expect(opened.map((e) => e.data.containerId)).toEqual([compartment(warm.vehicleId)]);
    const listed = await api<{ alarms: { alarmId: string; containerId: string }[] }>('GET', `${coldchain}/coldchain/alarms`, operator);
    expect(listed.body.alarms.map((a) => a.containerId)).toEqual([compartment(warm.vehicleId)]);
  }, 120_000);

  it('records non-compliance for exactly the parcels in that compartment during the excursion, compliance for the others', async () => {
    const excursion = (await coldchainEvents()).find((e) => e.type === 'coldchain.excursion_opened')!.data.excursionId as string;
    for (const parcelId of cold) {
      const res = await compliance(parcelId);
      expect(res.status).toBe(200);
      const record = res.body.record;
      if (exposed.has(parcelId)) {
        expect(record, parcelId).toMatchObject({ compliant: false, excursions: [{ excursionId: excursion }] });
        expect(record.minutesOutOfRange).toBeGreaterThan(30);
        expect(record.reasons.some((r) => r.startsWith('tolerance_exceeded'))).toBe(true);
      } else {
        expect(record, parcelId).toMatchObject({ compliant: true, excursions: [], minutesOutOfRange: 0, reasons: [] });
      }
    }
    // The events say the same: each parcel's latest revision on coldchain.events.
    const latest = new Map<string, ComplianceRecord>();
    for (const e of (await coldchainEvents()).filter((e) => e.type === 'coldchain.compliance_recorded')) {
      const record = e.data as unknown as ComplianceRecord;
      if ((latest.get(record.parcelId)?.revision ?? 0) < record.revision) latest.set(record.parcelId, record);
    }
    expect(new Set(latest.keys())).toEqual(new Set(cold));
    expect(new Set([...latest.values()].filter((r) => !r.compliant).map((r) => r.parcelId))).toEqual(exposed);
    // The ordinary parcels rode no refrigerated compartment: no record.
    for (const parcelId of ambient) expect((await compliance(parcelId)).status).toBe(404);
  }, 120_000);
});
