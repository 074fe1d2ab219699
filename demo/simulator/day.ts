/**
 * One county day driven through the real interfaces, as its actors would (issue #13 "The simulator"):
 *
 * - couriers publish `courier.manifest_submitted` on Kafka before their line-haul leaves for the center;
 * - the center's operator scans each truck in (`receive`, REST), corrects an unknown address, plans each wave at its
 *   cut-off, confirms it and bags its parcels (`sort`), and hands produce back to the couriers' line-haul;
 * - village station keepers book produce pickups, and scan deliveries as recipients collect (some keepers upload
 *   hours late), a refusal too;
 * - each route's driver reads the sheet and reports departure, arrivals, hand-overs, pickups, a damaged parcel and
 *   the return (one driver's handheld is offline and uploads its stops at the return: out of order with the
 *   keepers' deliveries);
 * - gateways publish readings over MQTT every 5 simulated minutes: one refrigerated compartment goes out of range
 *   beyond its tolerance on its way back with produce, one cold room's sensor falls silent.
 *
 * Every action waits (in real time) for its simulated instant on the services' shared clock.
 */
import { buildEvent } from '@county/contracts';
import { createKafka, createLogger, createProducer, publish, topicName, type Producer } from '@county/platform';
import { createRandom } from '@county/routing';
import mqtt, { type MqttClient } from 'mqtt';
import type { DemoCounty, DemoVehicle } from '../demo-types.js';
import { demandOf } from './demand.js';
import { planDay, type PlannedManifest } from './day-plan.js';
import { demoGateways, readingsTopic } from './gateways.js';
import { call, must, until } from './http.js';
import { localHour, SimTime, sleep, waveInstants } from './time.js';
import type { DayResult, HourProgress, SimulateOptions } from './index.js';

const MINUTE = 60_000;
const READING_EVERY_MINUTES = 5;
const EXCURSION_MINUTES = 45;

interface SheetParcel {
  parcelId: string;
  waybill: string | null;
  compartment: 'refrigerated' | 'ambient';
  coldChainProfileId: string | null;
}
interface Sheet {
  routeId: string;
  vehicleId: string;
  plannedDeparture: string;
  plannedReturn: string;
  stops: { sequence: number; stationId: string; plannedArrival: string; plannedDeparture: string; unload: SheetParcel[]; collect: SheetParcel[] }[];
}
interface Plan {
  planId: string;
  revision: number;
  routes: { routeId: string | null; vehicleId: string; parcels: { parcelId: string; direction: string }[] }[];
  unplanned: { parcelId: string }[];
  held: { parcelId: string }[];
}
interface ScanResult {
  index: number;
  parcelId?: string;
  result: 'applied' | 'recorded' | 'confirming' | 'duplicate' | 'rejected';
  code?: string;
  reason?: string;
}
interface Scan {
  scanId: string;
  kind: string;
  parcel: { parcelId: string } | { courierId: string; waybill: string };
  occurredAt: string;
  stationId: string;
  reason?: string;
}
interface Deferred {
  uploadAt: number;
  key: string;
  scan: Scan;
}

export async function runDay(options: SimulateOptions): Promise<DayResult> {
  const { county, endpoints, adminKey, day, seed, signal } = options;
  const sim = new SimTime(options.clock);
  const tz = county.county.timeZone;
  const countyId = county.county.id;
  const urls = endpoints.urls;
  const jitter = createRandom(seed ^ 0x5eed);
  const between = (min: number, max: number) => min + jitter() * (max - min);
  const demand = demandOf(county, options.demand, day);
  const plan = planDay(county, demand, day, seed, options.scale ?? 1);
  // The refrigerated compartments run in the middle of the produce's range; the excursion 2–3 °C above its top.
  const reefer = await must<{ minC: number; maxC: number }>('GET', `${urls.coldchain}/coldchain/profiles/${encodeURIComponent(demand.produce.coldChainProfileId)}`, adminKey, undefined, [200], signal);
  const band = reefer.maxC - reefer.minC;
  const inBand = (r: number) => round1(reefer.minC + band * (0.3 + 0.3 * r));
  const center = county.stations.find((s) => s.kind === 'center' && s.active !== false);
  if (!center) throw new Error('the county has no active center');
  const notes: string[] = [];
  const counters = { parcelsAnnounced: 0, parcelsDelivered: 0, routesConfirmed: 0, readingsSent: 0 };
  const iso = (t: number | Date) => new Date(t).toISOString();
  const opt = signal ? { signal } : {};

  // ---- the actors' keys, issued by the county's admin at intake ----
  const issue = async (body: Record<string, unknown>) => (await must<{ key: string }>('POST', `${urls.intake}/keys`, adminKey, body, [201], signal)).key;
  const operator = await issue({ role: 'operator', name: 'center desk (simulator)', rateLimitPerMinute: 100_000 });
  const courierKeys = new Map<string, string>();
  for (const c of county.couriers.filter((c) => c.active)) courierKeys.set(c.id, await issue({ role: 'courier', name: `${c.id} system`, scope: { courierId: c.id } }));
  const stationKeys = new Map<string, string>();
  for (const s of county.stations.filter((s) => s.active !== false && s.kind !== 'center')) {
    stationKeys.set(s.id, await issue({ role: 'station', name: `keeper of ${s.id}`, scope: { stationId: s.id }, rateLimitPerMinute: 6000 }));
  }
  const driverKeys = new Map<string, string>();
  for (const v of county.vehicles.filter((v) => v.active)) driverKeys.set(v.id, await issue({ role: 'driver', name: `driver of ${v.id}`, scope: { vehicleIds: [v.id] }, rateLimitPerMinute: 6000 }));
  for (const key of [operator, ...driverKeys.values()]) {
    await until('a key at dispatch', async () => ((await call('GET', `${urls.dispatch}/auth/whoami`, key, undefined, opt)).status === 200 ? true : undefined), opt);
  }

  // ---- Kafka for the couriers, MQTT for the gateways ----
  const logger = createLogger({ service: 'simulator', level: 'warn' });
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: `county-simulator-${seed}`, logger });
  const producer: Producer = createProducer(kafka);
  await producer.connect();
  const gateways: MqttClient = await mqtt.connectAsync(endpoints.mqttUrl, { clientId: `county-sim-gateways-${seed}-${process.pid}-${Date.now()}`, clean: true, reconnectPeriod: 1000 });

  // ---- the deferred scans: handhelds that upload later than they scan, and the keepers' day ----
  const deferred: Deferred[] = [];
  let producersDone = false;
  const defer = (uploadAt: number, key: string, scan: Scan) => deferred.push({ uploadAt, key, scan });

  async function postScans(key: string, scans: Scan[], what: string): Promise<ScanResult[]> {
    const results: ScanResult[] = [];
    for (let start = 0; start < scans.length; start += 5000) {
      const body = await must<{ results: ScanResult[] }>('POST', `${urls.intake}/scans/batch`, key, { scans: scans.slice(start, start + 5000) }, [200], signal);
      results.push(...body.results.map((r) => ({ ...r, index: r.index + start })));
    }
    for (const r of results.filter((r) => r.result === 'rejected')) notes.push(`${what}: ${scans[r.index]!.kind} refused ${r.code}: ${r.reason}`);
    return results;
  }

  async function uploads(): Promise<void> {
    for (;;) {
      const now = sim.now().getTime();
      const due = deferred.filter((d) => d.uploadAt <= now);
      if (due.length > 0) {
        const rest = deferred.filter((d) => d.uploadAt > now);
        deferred.length = 0;
        deferred.push(...rest);
        const byKey = new Map<string, Scan[]>();
        for (const d of due) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d.scan]);
        await Promise.all(
          [...byKey].map(async ([key, scans]) => {
            scans.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
            const results = await postScans(key, scans, 'upload');
            counters.parcelsDelivered += results.filter((r, i) => scans[i]!.kind === 'deliver' && r.result !== 'rejected' && r.result !== 'duplicate').length;
          }),
        );
      }
      if (producersDone && deferred.length === 0) return;
      await sleep(150, signal);
    }
  }

  /** Parcels received at the center or booked, with when: what the operator expects each wave to see. */
  const waiting: { parcelId: string; at: number }[] = [];
  const routed = new Set<string>();

  // ---- couriers: manifests on Kafka ----
  const seen = new Set<string>();
  async function couriers(): Promise<void> {
    const topic = topicName(endpoints.topicPrefix, 'courier.manifests');
    for (const m of plan.manifests) {
      await sim.until(m.publishAt, signal);
      const event = buildEvent(
        { type: 'courier.manifest_submitted', countyId, subject: m.manifestId, source: m.courierId, data: { courierId: m.courierId, manifestId: m.manifestId, parcels: m.parcels } },
        sim.now,
      );
      await publish(producer, topic, [{ key: m.courierId, value: JSON.stringify(event) }]);
      for (const p of m.parcels) {
        const id = `${m.courierId}/${p.waybill}`;
        if (!seen.has(id)) counters.parcelsAnnounced += 1;
        seen.add(id);
      }
    }
  }

  // ---- the center: trucks scanned in, the unknown address corrected, the conflict seen by the courier ----
  async function receiving(): Promise<void> {
    const byArrival = [...plan.manifests].sort((a, b) => a.arriveAt.getTime() - b.arriveAt.getTime());
    const received = new Set<string>();
    for (const m of byArrival) {
      await sim.until(m.arriveAt, signal);
      await receiveTruck(m, received);
      if (m.parcels.some((p) => p.waybill === plan.unknownAddress.waybill && m.courierId === plan.unknownAddress.courierId)) void correctAddress(m.arriveAt.getTime());
    }
  }

  async function receiveTruck(m: PlannedManifest, received: Set<string>): Promise<void> {
    // The same waybill twice (the conflict) is one parcel, scanned once.
    const parcels = m.parcels.filter((p) => !received.has(`${m.courierId}/${p.waybill}`));
    parcels.forEach((p) => received.add(`${m.courierId}/${p.waybill}`));
    let scans: Scan[] = parcels.map((p, i) => ({
      scanId: `rcv-${m.courierId}-${p.waybill}`,
      kind: 'receive',
      parcel: { courierId: m.courierId, waybill: p.waybill },
      occurredAt: iso(m.arriveAt.getTime() + Math.floor(i / 50) * MINUTE),
      stationId: center!.id,
    }));
    // A parcel intake has not registered yet (its manifest still on its way through Kafka) is scanned again, then.
    for (let attempt = 0; scans.length > 0; attempt++) {
      if (attempt > 0) scans = scans.map((scan) => ({ ...scan, occurredAt: iso(sim.now()) }));
      const body = await must<{ results: ScanResult[] }>('POST', `${urls.intake}/scans/batch`, operator, { scans }, [200], signal);
      for (const r of body.results) if (r.result !== 'rejected' && r.parcelId) waiting.push({ parcelId: r.parcelId, at: Date.parse(scans[r.index]!.occurredAt) });
      const again = body.results.filter((r) => r.result === 'rejected' && r.code === 'PARCEL_NOT_FOUND').map((r) => scans[r.index]!);
      for (const r of body.results.filter((r) => r.result === 'rejected' && r.code !== 'PARCEL_NOT_FOUND')) notes.push(`receive refused ${r.code}: ${r.reason}`);
      if (again.length === 0) return;
      if (attempt >= 120) throw new Error(`${again.length} parcels of manifest ${m.manifestId} never reached intake`);
      scans = again;
      await sleep(500, signal);
    }
  }

  async function correctAddress(arrivedAt: number): Promise<void> {
    const { courierId, waybill, correctedStationId } = plan.unknownAddress;
    await sim.until(new Date(arrivedAt + 20 * MINUTE), signal);
    const parcel = await until(
      'the unknown-address parcel at intake',
      async () => {
        const answer = await call<{ parcelId: string; exception: { kind: string } | null }>('GET', `${urls.intake}/parcels/by-waybill/${courierId}/${waybill}`, operator, undefined, opt);
        return answer.status === 200 ? answer.body : undefined;
      },
      opt,
    );
    const corrected = await call('POST', `${urls.intake}/parcels/${parcel.parcelId}/address`, operator, { destination: { stationId: correctedStationId }, reason: '电话联系收件人核实地址' }, opt);
    if (corrected.status !== 200) notes.push(`address correction answered ${corrected.status}: ${JSON.stringify(corrected.body).slice(0, 300)}`);
  }

  async function courierSeesConflict(): Promise<void> {
    const { courierId, waybill } = plan.conflict;
    const later = plan.manifests.filter((m) => m.courierId === courierId && m.parcels.some((p) => p.waybill === waybill)).at(-1)!;
    await sim.until(new Date(later.publishAt.getTime() + 10 * MINUTE), signal);
    const key = courierKeys.get(courierId)!;
    try {
      await until(
        'the manifest conflict at intake',
        async () => {
          const answer = await call<{ items?: { waybill: string }[] }>('GET', `${urls.intake}/parcels/conflicts`, key, undefined, opt);
          return answer.status === 200 && JSON.stringify(answer.body).includes(waybill) ? true : undefined;
        },
        { ...opt, timeoutMs: 60_000 },
      );
    } catch (err) {
      notes.push(`the courier did not see its conflict: ${(err as Error).message}`);
    }
  }

  // ---- village stations book produce pickups ----
  async function bookings(): Promise<void> {
    for (const b of plan.bookings) {
      await sim.until(b.at, signal);
      const key = stationKeys.get(b.stationId)!;
      const body = { courierId: b.courierId, bookingId: b.bookingId, product: b.product, weightKg: b.weightKg, count: b.count, ...(b.coldChainProfileId ? { coldChainProfileId: b.coldChainProfileId } : {}) };
      const answer = await call<{ parcelId: string }>('POST', `${urls.intake}/bookings`, key, body, opt);
      if (answer.status === 201 || answer.status === 200) waiting.push({ parcelId: answer.body.parcelId, at: b.at.getTime() });
      else notes.push(`booking ${b.bookingId} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
  }

  // ---- waves: planned at the cut-off, confirmed, bagged; each route driven ----
  const vehicles = new Map<string, DemoVehicle>(county.vehicles.map((v) => [v.id, v]));
  const drives: Promise<void>[] = [];
  const roles = { excursion: undefined as string | undefined, faulty: undefined as string | undefined, offline: undefined as string | undefined };
  let excursion: DayResult['injected']['excursion'] | undefined;

  async function waves(): Promise<void> {
    const ordered = county.county.waves
      .map((w) => ({ id: w.id, ...waveInstants(county.county, w, day) }))
      .sort((a, b) => a.cutoffAt.getTime() - b.cutoffAt.getTime());
    for (const wave of ordered) {
      await sim.until(new Date(Math.max(wave.cutoffAt.getTime() + 2 * MINUTE, sim.now().getTime())), signal);
      // The operator plans, and looks whether every parcel received (or booked) before the cut-off is in the plan —
      // on a route, left with its reason or held. dispatch learns parcels from intake's events: while some have not
      // reached it yet, the draft is dropped and the wave planned again (for up to a minute of real time).
      const expected = waiting.filter((w) => w.at <= wave.cutoffAt.getTime() && !routed.has(w.parcelId)).map((w) => w.parcelId);
      let created: Awaited<ReturnType<typeof call<Plan>>> | undefined;
      const deadline = Date.now() + 60_000;
      for (;;) {
        created = await call<Plan>('POST', `${urls.dispatch}/dispatch/waves/${day}/${wave.id}/plans`, operator, {}, opt);
        if (created.status !== 201) break;
        const seenInPlan = new Set([...created.body.routes.flatMap((r) => r.parcels.map((p) => p.parcelId)), ...created.body.unplanned.map((p) => p.parcelId), ...created.body.held.map((p) => p.parcelId)]);
        const missing = expected.filter((id) => !seenInPlan.has(id)).length;
        if (missing === 0) break;
        if (Date.now() > deadline) {
          notes.push(`wave ${wave.id}: ${missing} parcels received before the cut-off never reached dispatch's plan; confirmed without them`);
          break;
        }
        await call('POST', `${urls.dispatch}/dispatch/plans/${created.body.planId}/cancel`, operator, { reason: 'parcels still arriving' }, opt);
        await sleep(1000, signal);
      }
      if (created.status !== 201) {
        notes.push(`wave ${wave.id}: plan answered ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`);
        continue;
      }
      const confirmed = await call<Plan>('POST', `${urls.dispatch}/dispatch/plans/${created.body.planId}/confirm`, operator, { revision: created.body.revision }, opt);
      if (confirmed.status !== 200) {
        notes.push(`wave ${wave.id}: confirm answered ${confirmed.status}: ${JSON.stringify(confirmed.body).slice(0, 300)}`);
        continue;
      }
      const routes = confirmed.body.routes.filter((r) => r.routeId);
      for (const r of routes) for (const p of r.parcels) routed.add(p.parcelId);
      counters.routesConfirmed += routes.length;
      // Bagging: the operator's sort scans of the wave's downstream parcels.
      const sorts: Scan[] = routes.flatMap((r) =>
        r.parcels.filter((p) => p.direction === 'downstream').map((p) => ({ scanId: `sort-${p.parcelId}`, kind: 'sort', parcel: { parcelId: p.parcelId }, occurredAt: iso(sim.now()), stationId: center!.id })),
      );
      if (sorts.length > 0) await postScans(operator, sorts, `wave ${wave.id} sort`);
      for (const route of routes) {
        const driving = drive(route.routeId!, route.vehicleId, wave.departureAt.getTime());
        driving.catch(() => undefined); // awaited with the others below
        drives.push(driving);
      }
    }
  }

  async function drive(routeId: string, vehicleId: string, waveDeparture: number): Promise<void> {
    const key = driverKeys.get(vehicleId)!;
    const sheet = await must<Sheet>('GET', `${urls.dispatch}/dispatch/routes/${routeId}/sheet`, key, undefined, [200], signal);
    const refrigerated = vehicles.get(vehicleId)?.refrigerated === true;
    const coldPickups = sheet.stops.some((s) => s.collect.some((p) => p.compartment === 'refrigerated'));
    let role: 'excursion' | 'faulty' | 'offline' | 'plain' = 'plain';
    if (refrigerated && coldPickups && !roles.excursion) role = 'excursion';
    else if (!refrigerated && !roles.faulty && sheet.stops.some((s) => s.unload.filter((p) => p.compartment === 'ambient').length >= 3)) role = 'faulty';
    else if (!refrigerated && !roles.offline && sheet.stops.length >= 2) role = 'offline';
    if (role !== 'plain') roles[role] = routeId;

    const planned = Date.parse(sheet.plannedDeparture);
    const departAt = Math.max(planned, waveDeparture, sim.now().getTime()) + Math.round(between(0, 6)) * MINUTE;
    const delay = departAt - planned;
    const field = (path: string, at: number, body: Record<string, unknown> = {}) =>
      must('POST', `${urls.dispatch}/dispatch/routes/${routeId}${path}`, key, { eventId: `sim${path.replaceAll('/', '.')}`, occurredAt: iso(at), ...body }, [201], signal);
    await sim.until(new Date(departAt), signal);
    await field('/departure', departAt);

    const offline: (() => Promise<unknown>)[] = [];
    const report = async (path: string, at: number, body: Record<string, unknown> = {}) => {
      if (role === 'offline') offline.push(() => field(path, at, body));
      else {
        await sim.until(new Date(at), signal);
        await field(path, at, body);
      }
    };
    const lastStopEnd = Math.max(departAt, ...sheet.stops.map((s) => Date.parse(s.plannedArrival) + delay + 10 * MINUTE));
    const coldCollected: string[] = [];
    let returnAt = Date.parse(sheet.plannedReturn) + delay;
    if (role === 'excursion') {
      // On the way back with the produce, the reefer unit fails: the rear probe warms beyond the tolerance. Decided
      // at the departure, half an hour clear of the last stop, so the gateway's readings never run ahead of it.
      const from = lastStopEnd + 30 * MINUTE;
      const to = from + EXCURSION_MINUTES * MINUTE;
      excursion = { containerId: `${vehicleId}/refrigerated`, from: iso(from), to: iso(to), parcelIds: [] };
      returnAt = Math.max(returnAt, to + 20 * MINUTE);
    }
    let damagedDone = false;
    let refusedDone = false;
    for (const stop of sheet.stops) {
      const arriveAt = Date.parse(stop.plannedArrival) + delay;
      await sim.until(new Date(arriveAt), signal);
      await report(`/stops/${stop.sequence}/arrival`, arriveAt);
      const station = stop.stationId;
      let handed = stop.unload;
      if (role === 'faulty' && !damagedDone) {
        const ambient = stop.unload.filter((p) => p.compartment === 'ambient');
        if (ambient.length >= 3) {
          damagedDone = true;
          const damaged = ambient[0]!.parcelId;
          await report(`/stops/${stop.sequence}/exceptions`, arriveAt + 2 * MINUTE, { kind: 'damaged', parcelIds: [damaged], reason: '外包装破损，内件受损' });
          handed = stop.unload.filter((p) => p.parcelId !== damaged);
          if (!refusedDone) {
            refusedDone = true;
            const refused = ambient[1]!.parcelId;
            handed = handed.filter((p) => p.parcelId !== refused);
            defer(arriveAt + 90 * MINUTE, stationKeys.get(station)!, { scanId: `refused-${refused}`, kind: 'refused', parcel: { parcelId: refused }, occurredAt: iso(arriveAt + 90 * MINUTE), stationId: station, reason: '收件人拒收' });
          }
        }
      }
      if (stop.unload.length > 0) {
        const handedAt = arriveAt + 4 * MINUTE;
        await report(`/stops/${stop.sequence}/handover`, handedAt);
        keepersDeliver(station, handed, handedAt);
      }
      if (stop.collect.length > 0) {
        const pickedAt = arriveAt + 7 * MINUTE;
        if (role === 'offline') await report(`/stops/${stop.sequence}/pickups`, pickedAt);
        else {
          await sim.until(new Date(pickedAt), signal);
          const answer = await field(`/stops/${stop.sequence}/pickups`, pickedAt);
          const collected = new Set<string>(answer?.event?.data?.parcelIds ?? stop.collect.map((p) => p.parcelId));
          coldCollected.push(...stop.collect.filter((p) => p.compartment === 'refrigerated' && collected.has(p.parcelId)).map((p) => p.parcelId));
        }
      }
    }
    if (role === 'excursion') excursion!.parcelIds = [...coldCollected].sort();
    if (role === 'offline') {
      // The handheld had no signal all round: its stops go up at the return, after the keepers' deliveries.
      await sim.until(new Date(returnAt), signal);
      for (const send of offline) await send();
    }
    await sim.until(new Date(returnAt), signal);
    await field('/return', returnAt);
    // Produce to the couriers' line-haul, half an hour after the truck is back.
    const produce = sheet.stops.flatMap((s) => s.collect.map((p) => p.parcelId));
    const handAt = returnAt + 30 * MINUTE;
    for (const parcelId of produce) defer(handAt, operator, { scanId: `linehaul-${parcelId}`, kind: 'linehaul_handover', parcel: { parcelId }, occurredAt: iso(handAt), stationId: center!.id });
  }

  /** Recipients collect at the station: the keeper's delivery scans, some uploaded hours late. */
  const lateKeepers = new Set([...stationKeys.keys()].filter((_, i) => i % 5 === 2));
  const collectBy = plan.dayStart.getTime() + 21 * 60 * MINUTE;
  const collectedSameDay = demand.collectedSameDay;
  function keepersDeliver(stationId: string, parcels: SheetParcel[], handedAt: number): void {
    const key = stationKeys.get(stationId);
    if (!key) return;
    for (const p of parcels) {
      // Each parcel's own draw (by its waybill), so the routes' interleaving does not change who collects when.
      const draw = createRandom(seed ^ hashOf(p.waybill ?? p.parcelId));
      if (draw() >= collectedSameDay) continue;
      const at = Math.min(handedAt + Math.round(20 + draw() * 280) * MINUTE, Math.max(collectBy, handedAt + 20 * MINUTE));
      const uploadAt = lateKeepers.has(stationId) ? Math.max(at + 3 * 60 * MINUTE, Math.min(at + 4 * 60 * MINUTE, plan.dayStart.getTime() + 22.5 * 60 * MINUTE)) : at;
      defer(uploadAt, key, { scanId: `deliver-${p.parcelId}`, kind: 'deliver', parcel: { parcelId: p.parcelId }, occurredAt: iso(at), stationId });
    }
  }

  // ---- gateways: readings over MQTT ----
  // Gateways report from the trucks, the center's cold room and the cold room that falls silent (gateways.ts).
  const sources = demoGateways(county, plan.silentColdRoom.stationId);
  const silentSensor = { containerId: `${plan.silentColdRoom.stationId}/cold-room`, sensorId: `${plan.silentColdRoom.stationId}-t1` };
  let finished = false;
  let readingsUntil = Number.POSITIVE_INFINITY;
  async function gatewaysLoop(): Promise<void> {
    const noise = createRandom(seed ^ 0x7e39);
    for (let t = plan.dayStart.getTime(); t <= readingsUntil; t += READING_EVERY_MINUTES * MINUTE) {
      await sim.until(new Date(t), signal);
      if (finished && t > readingsUntil) break;
      const messages: { containerId: string; gatewayId: string; readings: Record<string, unknown>[] }[] = [];
      for (const g of sources) {
        const { containerId } = g;
        if (g.kind === 'vehicle_compartment') {
          // The rear probe is the one the excursion warms.
          const inExcursion = excursion?.containerId === containerId && t >= Date.parse(excursion.from) && t < Date.parse(excursion.to);
          const readings = g.sensors.map((s, i) => ({
            containerId,
            sensorId: s.sensorId,
            temperatureC: inExcursion && i === g.sensors.length - 1 ? round1(reefer.maxC + 2 + noise()) : inBand(noise()),
            humidityPct: s.humidityPct,
            measuredAt: iso(t),
          }));
          messages.push({ containerId, gatewayId: g.gatewayId, readings });
        } else {
          if (containerId === silentSensor.containerId && t >= plan.silentColdRoom.silentFrom.getTime()) continue;
          messages.push({
            containerId,
            gatewayId: g.gatewayId,
            readings: g.sensors.map((s) => ({ containerId, sensorId: s.sensorId, temperatureC: round1(1.5 + noise() * 1.5), humidityPct: s.humidityPct, measuredAt: iso(t) })),
          });
        }
      }
      await Promise.all(
        messages.map(async (m) => {
          await gateways.publishAsync(readingsTopic(endpoints.topicPrefix, countyId, m.containerId), JSON.stringify({ gatewayId: m.gatewayId, readings: m.readings }), { qos: 1 });
          counters.readingsSent += m.readings.length;
        }),
      );
    }
  }

  // ---- progress, once per simulated hour ----
  async function progress(): Promise<void> {
    if (!options.onHour) return;
    let next = plan.dayStart.getTime() + 60 * MINUTE;
    while (!finished) {
      const now = sim.now().getTime();
      if (now >= next) {
        const report: HourProgress = { hour: (localHour(new Date(next), tz) + 23) % 24, simulatedTime: iso(next), ...counters };
        options.onHour(report);
        next += 60 * MINUTE;
        continue;
      }
      await sleep(Math.min(500, Math.max(20, (next - now) / sim.settings.rate)), signal).catch(() => undefined);
    }
  }

  const readings = gatewaysLoop();
  const hours = progress();
  const queue = uploads();
  try {
    await Promise.all([couriers(), receiving(), bookings(), courierSeesConflict(), waves()]);
    await Promise.all(drives);
    producersDone = true;
    await queue;
    // The gateways report until the last record's readings are in, and past the silence's detection.
    readingsUntil = sim.now().getTime() + 15 * MINUTE;
    await readings;
  } finally {
    finished = true;
    producersDone = true;
    readingsUntil = Math.min(readingsUntil, sim.now().getTime());
    await Promise.allSettled([hours, queue, readings]);
    await producer.disconnect().catch(() => undefined);
    await gateways.endAsync().catch(() => undefined);
  }
  if (!excursion) throw new Error('no refrigerated route collected produce: the excursion could not be injected (see notes)\n' + notes.join('\n'));
  return {
    waybills: plan.waybills.map((w) => w.waybill),
    injected: { excursion, silentSensor },
    notes,
    faults: { ...roles, unknownAddress: plan.unknownAddress, conflict: plan.conflict },
  };
}

/** FNV-1a of a string: a per-item seed. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
