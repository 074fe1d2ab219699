import { describe, expect, it } from 'vitest';
import {
  decideFact,
  deriveParcel,
  downstreamStates,
  factFromScan,
  factKinds,
  isTerminalState,
  parcelEventTypeOf,
  parcelEventTypes,
  parcelFactSchema,
  progressChain,
  scanKinds,
  scanSchema,
  stateRank,
  statesByDirection,
  timelineEntrySchema,
  upstreamStates,
  type Actor,
  type FactDecision,
  type LifecycleParcel,
  type ParcelFact,
  type ScanKind,
} from '../src/lifecycle/index.js';

const T0 = Date.parse('2026-06-10T00:00:00.000Z');
/** Minutes after 08:00 Beijing time on the test day, as UTC ISO-8601. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const operator: Actor = { keyId: 'op-1', role: 'operator' };
const keeper: Actor = { keyId: 'keeper-7', role: 'station' };
const driver: Actor = { keyId: 'driver-3', role: 'driver' };
const courier: Actor = { keyId: 'zto-511623', role: 'courier' };

const direct: LifecycleParcel = { direction: 'downstream', destinationStationId: 'st-lijia', townStationId: null };
const twoTier: LifecycleParcel = { direction: 'downstream', destinationStationId: 'st-lijia', townStationId: 'st-town-qq' };
const produce: LifecycleParcel = { direction: 'upstream', originStationId: 'st-lijia' };

const f = {
  manifested: (id: string, min: number): ParcelFact => ({ id, kind: 'manifested', occurredAt: at(min), receivedAt: at(min), actor: courier }),
  booked: (id: string, min: number): ParcelFact => ({ id, kind: 'booked', occurredAt: at(min), receivedAt: at(min), actor: courier }),
  scan: (id: string, kind: ScanKind, min: number, stationId = 'center', actor = operator, reason?: string): ParcelFact => ({
    id,
    kind,
    occurredAt: at(min),
    // Handhelds in the hills upload late: received a while after it happened.
    receivedAt: at(min + 30),
    actor,
    stationId,
    ...(reason === undefined ? {} : { reason }),
  }),
  route: (id: string, kind: 'route_confirmed' | 'route_departed' | 'route_cancelled', routeId: string, min: number): ParcelFact => ({
    id,
    kind,
    routeId,
    occurredAt: at(min),
    receivedAt: at(min),
    actor: kind === 'route_departed' ? driver : operator,
  }),
  stop: (id: string, routeId: string, stationId: string, min: number): ParcelFact => ({
    id,
    kind: 'stop_handed_over',
    routeId,
    stationId,
    occurredAt: at(min),
    receivedAt: at(min + 1),
    actor: driver,
  }),
  corrected: (id: string, min: number): ParcelFact => ({ id, kind: 'address_corrected', occurredAt: at(min), receivedAt: at(min), actor: operator }),
};

/** Applies facts one by one as intake would: keep what is accepted (not a duplicate), derive from it. */
function applyAll(parcel: LifecycleParcel, facts: readonly ParcelFact[]) {
  const accepted: ParcelFact[] = [];
  const decisions: FactDecision[] = [];
  for (const fact of facts) {
    const decision = decideFact(parcel, accepted, fact);
    decisions.push(decision);
    if (decision.accepted && decision.kind !== 'duplicate') accepted.push(fact);
  }
  return { accepted, decisions, derived: deriveParcel(parcel, accepted) };
}

const kinds = (decisions: FactDecision[]) => decisions.map((d) => (d.accepted ? d.kind : d.code));
const summary = (timeline: { event: string; factId: string; inferred: boolean; confirming: boolean }[]) =>
  timeline.map((e) => `${e.event}:${e.factId}${e.inferred ? ' inferred' : ''}${e.confirming ? ' confirming' : ''}`);

describe('states and the transition table', () => {
  it('ranks each direction in lifecycle order and marks the terminal states', () => {
    expect(downstreamStates.map(stateRank)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(upstreamStates.map(stateRank)).toEqual([0, 1, 2, 3]);
    expect(statesByDirection.downstream.filter(isTerminalState)).toEqual(['delivered', 'returned', 'lost']);
    expect(statesByDirection.upstream.filter(isTerminalState)).toEqual(['handed_over', 'lost']);
  });

  it('passes through at_town only on two-tier routes', () => {
    expect(progressChain(direct)).not.toContain('at_town');
    expect(progressChain(twoTier)).toContain('at_town');
  });

  it('maps every fact to a past-tense parcel event, and every event type is produced by some fact', () => {
    const produced = new Set<string>();
    for (const kind of factKinds) {
      const parcel = kind === 'booked' || kind === 'collect' || kind === 'center_arrival' || kind === 'linehaul_handover' ? produce : twoTier;
      for (const stationId of ['st-lijia', 'st-town-qq']) {
        const where =
          kind === 'stop_handed_over' ? { routeId: 'r1', stationId }
          : kind.startsWith('route_') ? { routeId: 'r1' }
          : (scanKinds as readonly string[]).includes(kind) ? { stationId }
          : {};
        const fact = parcelFactSchema.parse({ id: 'x', kind, occurredAt: at(0), receivedAt: at(0), actor: operator, ...where });
        produced.add(parcelEventTypeOf(parcel, fact));
      }
    }
    expect([...produced].sort()).toEqual([...parcelEventTypes].sort());
    expect(parcelEventTypeOf(twoTier, f.scan('h', 'handover', 0, 'st-town-qq'))).toBe('parcel.arrived_at_town');
    expect(parcelEventTypeOf(twoTier, f.stop('h', 'r1', 'st-lijia', 0))).toBe('parcel.arrived_at_station');
  });
});

describe('happy paths', () => {
  it('a direct parcel goes from manifest to delivery, one move per fact', () => {
    const { decisions, derived } = applyAll(direct, [
      f.manifested('m', 0),
      f.scan('rcv', 'receive', 60),
      f.route('plan', 'route_confirmed', 'r1', 120),
      f.route('dep', 'route_departed', 'r1', 180),
      f.stop('hand', 'r1', 'st-lijia', 300),
      f.scan('dlv', 'deliver', 600, 'st-lijia', keeper),
    ]);
    expect(kinds(decisions)).toEqual(['move', 'move', 'move', 'move', 'move', 'move']);
    expect(derived).toMatchObject({ state: 'delivered', progress: 'delivered', exception: null });
    expect(summary(derived.timeline)).toEqual([
      'parcel.manifested:m',
      'parcel.received:rcv',
      'parcel.sorted:plan',
      'parcel.departed:dep',
      'parcel.arrived_at_station:hand',
      'parcel.delivered:dlv',
    ]);
    expect(derived.timeline[1]).toEqual({
      event: 'parcel.received',
      fact: 'receive',
      factId: 'rcv',
      state: 'received',
      exception: null,
      occurredAt: at(60),
      receivedAt: at(90),
      actor: operator,
      stationId: 'center',
      routeId: null,
      reason: null,
      inferred: false,
      confirming: false,
    });
    for (const entry of derived.timeline) expect(timelineEntrySchema.parse(entry)).toEqual(entry);
  });

  it('a two-tier parcel is handed over at its town station before its village station', () => {
    const { derived } = applyAll(twoTier, [
      f.manifested('m', 0),
      f.scan('rcv', 'receive', 60),
      f.route('plan', 'route_confirmed', 'trunk-1', 120),
      f.route('dep', 'route_departed', 'trunk-1', 180),
      f.stop('town', 'trunk-1', 'st-town-qq', 240),
      f.scan('village', 'handover', 400, 'st-lijia', keeper),
      f.scan('dlv', 'deliver', 600, 'st-lijia', keeper),
    ]);
    expect(derived.timeline.map((e) => e.state)).toEqual([...downstreamStates]);
    expect(derived.state).toBe('delivered');
  });

  it('produce goes from booking to the courier’s line-haul', () => {
    const { decisions, derived } = applyAll(produce, [
      f.booked('b', 0),
      f.scan('col', 'collect', 200, 'st-lijia', driver),
      f.scan('arr', 'center_arrival', 400),
      f.scan('lh', 'linehaul_handover', 500),
    ]);
    expect(kinds(decisions)).toEqual(['move', 'move', 'move', 'move']);
    expect(derived.timeline.map((e) => e.state)).toEqual([...upstreamStates]);
    expect(derived.state).toBe('handed_over');
  });
});

describe('out-of-order scans', () => {
  it('a forward move that skips states marks them inferred, at the time of the move', () => {
    const { decisions, derived } = applyAll(twoTier, [f.scan('rcv', 'receive', 60), f.stop('hand', 'r1', 'st-lijia', 300)]);
    expect(kinds(decisions)).toEqual(['move', 'move']);
    expect(derived.state).toBe('at_station');
    expect(summary(derived.timeline)).toEqual([
      'parcel.manifested:rcv inferred',
      'parcel.received:rcv',
      'parcel.sorted:hand inferred',
      'parcel.departed:hand inferred',
      'parcel.arrived_at_town:hand inferred',
      'parcel.arrived_at_station:hand',
    ]);
    const inferred = derived.timeline.filter((e) => e.inferred && e.factId === 'hand');
    expect(inferred.every((e) => e.occurredAt === at(300) && e.actor === driver && e.reason === null)).toBe(true);
  });

  it('never infers at_town for a parcel on a direct route', () => {
    const { derived } = applyAll(direct, [f.scan('rcv', 'receive', 60), f.scan('dlv', 'deliver', 600, 'st-lijia', keeper)]);
    expect(derived.timeline.map((e) => e.state)).toEqual(['manifested', 'received', 'sorted', 'departed', 'at_station', 'delivered']);
  });

  it('a late real scan of a skipped state replaces its inferred entry without moving the parcel', () => {
    const { decisions, derived } = applyAll(direct, [
      f.scan('rcv', 'receive', 60),
      f.stop('hand', 'r1', 'st-lijia', 300),
      f.scan('sort', 'sort', 120),
    ]);
    expect(kinds(decisions)).toEqual(['move', 'move', 'recorded']);
    expect(derived.state).toBe('at_station');
    expect(summary(derived.timeline)).toEqual([
      'parcel.manifested:rcv inferred',
      'parcel.received:rcv',
      'parcel.sorted:sort',
      'parcel.departed:hand inferred',
      'parcel.arrived_at_station:hand',
    ]);
  });

  it('a scan of an earlier state is recorded in time order without moving the parcel back', () => {
    const { decisions, derived } = applyAll(direct, [
      f.manifested('m', 0),
      f.route('dep', 'route_departed', 'r1', 180),
      // A handheld whose clock runs late: the receive scan is stamped after the departure.
      f.scan('rcv', 'receive', 200),
    ]);
    expect(kinds(decisions)).toEqual(['move', 'move', 'recorded']);
    expect(derived.state).toBe('departed');
    expect(summary(derived.timeline)).toEqual([
      'parcel.manifested:m',
      'parcel.sorted:dep inferred',
      'parcel.departed:dep',
      'parcel.received:rcv',
    ]);
  });
});

describe('refusals (409)', () => {
  it('refuses an upstream fact on a downstream parcel, and the reverse', () => {
    const onDownstream = decideFact(direct, [], f.scan('c', 'collect', 10, 'st-lijia', driver));
    expect(onDownstream).toEqual({
      accepted: false,
      code: 'WRONG_DIRECTION',
      reason: 'collect applies to upstream parcels; this parcel is downstream',
      reasonZh: '揽收扫描只适用于上行件，该包裹为下行件',
    });
    expect(decideFact(produce, [], f.scan('r', 'receive', 10))).toMatchObject({ accepted: false, code: 'WRONG_DIRECTION' });
    expect(decideFact(produce, [], f.scan('d', 'damaged', 10))).toMatchObject({ accepted: true, kind: 'move' });
  });

  it('refuses a hand-over at a station that is not the parcel’s destination (or its town station)', () => {
    expect(decideFact(direct, [], f.scan('h', 'handover', 10, 'st-wangjia', keeper))).toEqual({
      accepted: false,
      code: 'WRONG_STATION',
      reason: "handover at station st-wangjia, but this parcel's station is st-lijia",
      reasonZh: '站点交接扫描的站点 st-wangjia 不是该包裹的站点（st-lijia）',
    });
    expect(decideFact(direct, [], f.stop('h', 'r1', 'st-town-qq', 10))).toMatchObject({ accepted: false, code: 'WRONG_STATION' });
    expect(decideFact(twoTier, [], f.stop('h', 'r1', 'st-town-qq', 10))).toMatchObject({ accepted: true, kind: 'move' });
    expect(decideFact(produce, [], f.scan('c', 'collect', 10, 'st-wangjia', driver))).toMatchObject({
      accepted: false,
      code: 'WRONG_STATION',
      reason: "collect at station st-wangjia, but this parcel's station is st-lijia",
    });
  });

  it('refuses a delivery away from the parcel’s destination, its town station included', () => {
    expect(decideFact(direct, [], f.scan('d', 'deliver', 10, 'st-wangjia', keeper))).toEqual({
      accepted: false,
      code: 'WRONG_STATION',
      reason: "deliver at station st-wangjia, but this parcel's station is st-lijia",
      reasonZh: '签收扫描的站点 st-wangjia 不是该包裹的站点（st-lijia）',
    });
    expect(decideFact(twoTier, [], f.scan('d', 'deliver', 10, 'st-town-qq', keeper))).toMatchObject({ accepted: false, code: 'WRONG_STATION' });
    expect(decideFact(twoTier, [], f.scan('d', 'deliver', 10, 'st-lijia', keeper))).toMatchObject({ accepted: true, kind: 'move' });
  });

  it('refuses a terminal end that happened after another one', () => {
    const delivered = [f.scan('dlv', 'deliver', 600, 'st-lijia', keeper)];
    expect(decideFact(direct, delivered, f.scan('lost', 'lost', 900, 'center', operator, 'not found at station'))).toEqual({
      accepted: false,
      code: 'TERMINAL_CONFLICT',
      reason: `the parcel was delivered at ${at(600)} (fact dlv), before this lost; it cannot be both`,
      reasonZh: `该包裹已于 ${at(600)} 签收（记录 dlv），不能再登记为丢失`,
    });
    expect(decideFact(direct, delivered, f.scan('ret', 'return', 700))).toMatchObject({ code: 'TERMINAL_CONFLICT' });
    expect(decideFact(produce, [f.scan('lh', 'linehaul_handover', 500)], f.scan('lost', 'lost', 600))).toMatchObject({
      code: 'TERMINAL_CONFLICT',
    });
  });

  it('a terminal end that happened first overrules one accepted before it arrived: both orders end alike', () => {
    // The operator declares the parcel lost while the delivery scan is still on a handheld in the hills.
    const lost = f.scan('lost', 'lost', 900);
    const delivered = f.scan('dlv', 'deliver', 600, 'st-lijia', keeper);
    const lostFirst = applyAll(direct, [lost, delivered]);
    expect(lostFirst.decisions[1]).toMatchObject({ accepted: true, kind: 'move', supersedes: ['lost'] });
    const deliveredFirst = applyAll(direct, [delivered, lost]);
    expect(deliveredFirst.decisions[1]).toMatchObject({ accepted: false, code: 'TERMINAL_CONFLICT' });
    expect(lostFirst.derived).toEqual(deliveredFirst.derived);
    expect(lostFirst.derived.state).toBe('delivered');
  });

  it('known limit: a repeat of the winning end refused before the earliest end arrived is not restored', () => {
    const repeat = f.scan('dlv-again', 'deliver', 1000, 'st-lijia', keeper);
    const facts = [f.scan('lost', 'lost', 900), repeat, f.scan('dlv', 'deliver', 600, 'st-lijia', keeper)];
    const shuffled = applyAll(direct, facts);
    expect(kinds(shuffled.decisions)).toEqual(['move', 'TERMINAL_CONFLICT', 'move']);
    const inOrder = applyAll(direct, [facts[2]!, facts[0]!, repeat]);
    expect(shuffled.derived.state).toBe(inOrder.derived.state);
    expect(inOrder.derived.timeline.map((e) => e.factId)).toContain('dlv-again');
    expect(shuffled.derived.timeline.map((e) => e.factId)).not.toContain('dlv-again');
  });
});

describe('route cancellation', () => {
  const planned = [f.scan('rcv', 'receive', 60), f.route('plan-1', 'route_confirmed', 'r1', 120)];

  it('a route cancelled before departure returns its parcels to received, to be planned again', () => {
    const { decisions, derived } = applyAll(direct, [
      ...planned,
      f.route('cancel-1', 'route_cancelled', 'r1', 150),
      f.route('plan-2', 'route_confirmed', 'r2', 200),
      f.route('dep-2', 'route_departed', 'r2', 240),
    ]);
    expect(kinds(decisions)).toEqual(['move', 'move', 'move', 'move', 'move']);
    expect(deriveParcel(direct, [...planned, f.route('cancel-1', 'route_cancelled', 'r1', 150)]).state).toBe('received');
    expect(derived.state).toBe('departed');
    expect(summary(derived.timeline)).toContain('parcel.sort_cancelled:cancel-1');
  });

  it('a route cancelled after it departed is refused', () => {
    const departed = [...planned, f.route('dep-1', 'route_departed', 'r1', 180)];
    expect(decideFact(direct, departed, f.route('cancel-1', 'route_cancelled', 'r1', 200))).toEqual({
      accepted: false,
      code: 'ROUTE_ALREADY_DEPARTED',
      reason: `route r1 left the center (route_departed at ${at(180)}, fact dep-1); a route can only be cancelled before it departs`,
      reasonZh: `线路 r1 已发车（发车，${at(180)}，记录 dep-1），发车后不能取消`,
    });
    const handedOver = [...planned, f.stop('hand-1', 'r1', 'st-lijia', 300)];
    expect(decideFact(direct, handedOver, f.route('cancel-1', 'route_cancelled', 'r1', 200))).toMatchObject({
      code: 'ROUTE_ALREADY_DEPARTED',
    });
  });

  it('evidence that the route left overrules a cancellation accepted before it arrived', () => {
    const cancel = f.route('cancel-1', 'route_cancelled', 'r1', 200);
    const departure = f.route('dep-1', 'route_departed', 'r1', 180);
    const cancelFirst = applyAll(direct, [...planned, cancel, departure]);
    expect(cancelFirst.decisions[3]).toMatchObject({ accepted: true, kind: 'move', supersedes: ['cancel-1'] });
    expect(cancelFirst.derived).toEqual(applyAll(direct, [...planned, departure, cancel]).derived);
    expect(cancelFirst.derived.state).toBe('departed');
  });

  it('a cancellation that happened after the parcel left on another route does not move it back', () => {
    const { decisions, derived } = applyAll(direct, [
      ...planned,
      f.route('plan-2', 'route_confirmed', 'r2', 130),
      f.route('dep-2', 'route_departed', 'r2', 180),
      f.route('cancel-1', 'route_cancelled', 'r1', 200),
    ]);
    expect(kinds(decisions).at(-1)).toBe('recorded');
    expect(derived.state).toBe('departed');
  });
});

describe('confirming and duplicate reports', () => {
  const upToDeparture = [f.scan('rcv', 'receive', 60), f.route('plan', 'route_confirmed', 'r1', 120), f.route('dep', 'route_departed', 'r1', 180)];
  const driverReport = f.stop('driver', 'r1', 'st-lijia', 300);
  const keeperScan = f.scan('keeper', 'handover', 302, 'st-lijia', keeper);

  it('whichever of the driver’s report and the keeper’s scan arrives second confirms the hand-over', () => {
    const driverFirst = applyAll(direct, [...upToDeparture, driverReport, keeperScan]);
    const keeperFirst = applyAll(direct, [...upToDeparture, keeperScan, driverReport]);
    expect(kinds(driverFirst.decisions).slice(-2)).toEqual(['move', 'confirming']);
    expect(kinds(keeperFirst.decisions).slice(-2)).toEqual(['move', 'confirming']);
    // The timeline is by when things happened: the earlier report is the move in both orders.
    expect(keeperFirst.derived).toEqual(driverFirst.derived);
    expect(summary(driverFirst.derived.timeline).slice(-2)).toEqual([
      'parcel.arrived_at_station:driver',
      'parcel.arrived_at_station:keeper confirming',
    ]);
  });

  it('a fact received again is a duplicate and changes nothing', () => {
    const { accepted, decisions, derived } = applyAll(direct, [...upToDeparture, driverReport, driverReport]);
    expect(kinds(decisions).at(-1)).toBe('duplicate');
    expect(accepted).toHaveLength(4);
    expect(decisions.at(-1)).toMatchObject({ derived });
  });

  it('a re-uploaded batch of scans makes the same facts, with or without scan ids', () => {
    const scan = scanSchema.parse({
      scanId: 'h7-000123',
      kind: 'deliver',
      parcel: { courierId: 'zto-511623', waybill: 'ZT7810002231' },
      occurredAt: '2026-06-10T18:05:00+08:00',
      stationId: 'st-lijia',
    });
    const first = factFromScan(scan, keeper, '2026-06-10T12:00:00.000Z');
    const again = factFromScan(scan, keeper, '2026-06-10T13:00:00.000Z');
    expect(first).toEqual({
      id: 'scan:keeper-7:id:h7-000123',
      kind: 'deliver',
      occurredAt: '2026-06-10T10:05:00.000Z',
      receivedAt: '2026-06-10T12:00:00.000Z',
      actor: keeper,
      stationId: 'st-lijia',
    });
    expect(again.id).toBe(first.id);
    const { scanId: _, ...withoutId } = scan;
    expect(factFromScan(withoutId, keeper, at(0)).id).toBe(factFromScan(withoutId, keeper, at(5)).id);
    expect(parcelFactSchema.parse(first)).toEqual(first);
  });

  it('the scan schema names what is wrong', () => {
    const result = scanSchema.safeParse({ kind: 'teleport', parcel: { waybill: 'ZT1' }, occurredAt: 'today', stationId: 'st-lijia' });
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['kind', 'occurredAt', 'parcel']);
  });
});

describe('exceptions', () => {
  const received = [f.manifested('m', 0), f.scan('rcv', 'receive', 60)];

  it('an exception shows beside the progress, which goes on', () => {
    const damaged = applyAll(direct, [...received, f.scan('dmg', 'damaged', 70, 'center', operator, 'carton crushed')]);
    expect(damaged.derived).toMatchObject({ state: 'received', exception: { kind: 'damaged', since: at(70) } });
    const delivered = applyAll(direct, [...damaged.accepted, f.scan('dlv', 'deliver', 600, 'st-lijia', keeper)]);
    expect(delivered.derived).toMatchObject({ state: 'delivered', exception: { kind: 'damaged' } });
  });

  it('an address correction clears address_unknown, and the earlier exception shows again', () => {
    const { decisions, derived } = applyAll(direct, [
      ...received,
      f.scan('dmg', 'damaged', 70),
      f.scan('unk', 'address_unknown', 400, 'st-lijia', keeper),
      f.corrected('fix', 450),
      f.corrected('fix-again', 460),
    ]);
    expect(kinds(decisions).slice(-3)).toEqual(['move', 'move', 'recorded']);
    expect(derived.exception).toEqual({ kind: 'damaged', since: at(70) });
  });

  it('a refused parcel is returned: returned is terminal and keeps the refusal as its reason', () => {
    const { derived } = applyAll(direct, [
      ...received,
      f.stop('hand', 'r1', 'st-lijia', 300),
      f.scan('ref', 'refused', 500, 'st-lijia', keeper, 'recipient refused'),
      f.scan('ret', 'return', 900),
    ]);
    expect(derived).toMatchObject({ state: 'returned', progress: 'at_station', exception: { kind: 'refused' } });
  });

  it('a lost parcel keeps where it was last seen, and nothing after the loss moves it', () => {
    const { decisions, derived } = applyAll(direct, [
      ...received,
      f.route('dep', 'route_departed', 'r1', 180),
      f.scan('lost', 'lost', 900),
      f.scan('late-hand', 'handover', 1000, 'st-lijia', keeper),
      f.scan('late-dmg', 'damaged', 1001, 'st-lijia', keeper),
    ]);
    expect(kinds(decisions).slice(-2)).toEqual(['recorded', 'recorded']);
    expect(derived).toMatchObject({ state: 'lost', progress: 'departed', exception: null });
  });
});
