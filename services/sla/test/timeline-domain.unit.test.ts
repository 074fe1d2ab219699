import { describe, expect, it } from 'vitest';
import { parcelAlerts, legTargets } from '../src/alerts/domain/alerts.js';
import { rateFigures, rateVerdict } from '../src/alerts/domain/rate.js';
import { applyParcelEvent, type SlaParcel } from '../src/timeline/domain/fold.js';
import { measure, type MeasureContext } from '../src/timeline/domain/measure.js';
import { nextDeparture } from '../src/timeline/domain/waves.js';
import { countyRecord, stepEvent, testParcel } from './timeline-events.js';

const county = countyRecord('cn-511623');
// Beijing time: 22:00 on June 1st is 14:00 UTC
const bj = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 5, day, hour - 8, minute));

function ctx(overrides: Partial<MeasureContext> = {}): MeasureContext {
  return {
    county: { timeZone: county.timeZone, sla: county.sla, waves: county.waves },
    station: { kind: 'village', townId: 'town-1', villageCodes: ['511623100001'] },
    travelMinutes: null,
    route: undefined,
    ...overrides,
  };
}

const fold = (events: ReturnType<typeof stepEvent>[]) => events.reduce<SlaParcel | undefined>((p, e) => applyParcelEvent(p, e), undefined) as SlaParcel;

describe('the timeline fold', () => {
  const p = testParcel('cn-511623', 'st-v1');
  const events = [
    stepEvent(p, 'manifested', bj(1, 18)),
    stepEvent(p, 'received', bj(1, 22)),
    stepEvent(p, 'sorted', bj(2, 6)),
    stepEvent(p, 'departed', bj(2, 7)),
    stepEvent(p, 'at_station', bj(2, 11, 30)),
  ];

  it('gives the same parcel whatever order the events come in, and the same again with duplicates', () => {
    const inOrder = fold(events);
    const reversed = fold([...events].reverse());
    const shuffled = fold([events[3]!, events[0]!, events[4]!, events[1]!, events[2]!, events[4]!, events[1]!]);
    expect(reversed).toEqual(inOrder);
    expect(shuffled).toEqual(inOrder);
    expect(inOrder.state).toBe('at_station');
    expect(inOrder.steps).toEqual({
      manifested: bj(1, 18).toISOString(),
      received: bj(1, 22).toISOString(),
      sorted: bj(2, 6).toISOString(),
      departed: bj(2, 7).toISOString(),
      at_station: bj(2, 11, 30).toISOString(),
    });
  });

  it('fills a step from a late event without moving the state back', () => {
    const withoutReceive = fold([events[0]!, events[2]!, events[3]!]);
    expect(withoutReceive.steps.received).toBeUndefined();
    const late = applyParcelEvent(withoutReceive, stepEvent(p, 'received', bj(1, 22), { state: 'departed' }));
    expect(late.state).toBe('departed');
    expect(late.steps.received).toBe(bj(1, 22).toISOString());
  });

  it('takes the state of the fact intake applied last, not of the one that happened last', () => {
    // The keeper's refusal (11:50) reached intake before the driver's hand-over report (11:30, uploaded at 13:00):
    // intake applied the refusal to a departed parcel, then the hand-over moved it to at_station.
    const applied = (event: ReturnType<typeof stepEvent>, at: Date) => ({ ...event, data: { ...event.data, fact: { ...event.data.fact, receivedAt: at.toISOString() } } });
    const refusal = applied(stepEvent(p, 'departed', bj(2, 11, 50), { state: 'departed' }), bj(2, 11, 55));
    const handover = applied(events[4]!, bj(2, 13));
    const folded = fold([...events.slice(0, 4), refusal, handover]);
    expect(folded.state).toBe('at_station');
    expect(fold([handover, refusal, ...events.slice(0, 4)])).toEqual(folded);
  });
});

describe('legs, deadline and ETA', () => {
  it('measures center→village end to end against the policy, in whole minutes', () => {
    const p = testParcel('cn-511623', 'st-v1');
    const parcel = fold([stepEvent(p, 'received', bj(1, 22)), stepEvent(p, 'at_station', bj(2, 22, 1))]);
    const m = measure(parcel, ctx(), bj(3, 0).getTime());
    expect(m.legs.center_to_village).toEqual({ minutes: 24 * 60 + 1, onTime: false, endedAt: bj(2, 22, 1).toISOString() });
    expect(m.deadline).toBe(bj(2, 22).toISOString());
    expect(m.open).toBe(false);
  });

  it('splits a two-tier parcel into center→town and town→village', () => {
    const p = testParcel('cn-511623', 'st-v1');
    const parcel = fold([stepEvent(p, 'received', bj(1, 22)), stepEvent(p, 'at_town', bj(2, 9)), stepEvent(p, 'at_station', bj(2, 15))]);
    const m = measure(parcel, ctx(), bj(3, 0).getTime());
    expect(m.legs.center_to_town).toMatchObject({ minutes: 11 * 60, onTime: true });
    expect(m.legs.town_to_village).toMatchObject({ minutes: 6 * 60, onTime: true });
    expect(m.legs.center_to_village).toMatchObject({ minutes: 17 * 60, onTime: true });
  });

  it('the issue’s example: received 22:00, next wave 07:00, ETA past the 12 h deadline → at risk at 22:00', () => {
    const p = testParcel('cn-511623', 'st-town');
    const parcel = fold([stepEvent(p, 'received', bj(1, 22))]);
    const town = ctx({ station: { kind: 'town', townId: 'town-1', villageCodes: [] }, travelMinutes: 4 * 60 });
    const m = measure(parcel, town, bj(1, 22).getTime());
    expect(m.deadlineLeg).toBe('center_to_town');
    expect(m.deadline).toBe(bj(2, 10).toISOString());
    expect(m.eta).toBe(bj(2, 11).toISOString()); // 07:00 + 4 h
    expect(m.etaSource).toBe('wave');
    const alerts = parcelAlerts(parcel, undefined, m, bj(1, 22).getTime(), legTargets(county.sla));
    expect(alerts.map((a) => a.kind)).toEqual(['at_risk']);
    expect(alerts[0]!.details).toMatchObject({ detectedAt: bj(1, 22).toISOString(), deadline: bj(2, 10).toISOString() });
  });

  it('a parcel on a confirmed route takes its stop’s planned arrival; past the deadline while open it is a breach, not at risk', () => {
    const p = testParcel('cn-511623', 'st-v1');
    const parcel = fold([stepEvent(p, 'received', bj(1, 22)), stepEvent(p, 'sorted', bj(2, 6))]);
    const route = { routeId: 'r-1', tier: 'direct', plannedArrival: bj(2, 12).toISOString(), plannedReturn: bj(2, 16).toISOString() };
    const onTime = measure(parcel, ctx({ route }), bj(2, 6).getTime());
    expect(onTime).toMatchObject({ eta: bj(2, 12).toISOString(), etaSource: 'route', open: true });
    expect(parcelAlerts(parcel, undefined, onTime, bj(2, 6).getTime(), legTargets(county.sla))).toEqual([]);
    const late = measure(parcel, ctx({ route }), bj(2, 23).getTime());
    expect(parcelAlerts(parcel, { eta: onTime.eta, deadline: onTime.deadline }, late, bj(2, 23).getTime(), legTargets(county.sla)).map((a) => a.kind)).toEqual(['breach']);
    // folding (null) never breaches an open parcel; the scanner only up to the consumer's watermark
    expect(parcelAlerts(parcel, { eta: onTime.eta, deadline: onTime.deadline }, late, bj(2, 23).getTime(), legTargets(county.sla), null)).toEqual([]);
    expect(parcelAlerts(parcel, { eta: onTime.eta, deadline: onTime.deadline }, late, bj(2, 23).getTime(), legTargets(county.sla), Date.parse(late.deadline!) - 1)).toEqual([]);
    expect(parcelAlerts(parcel, { eta: onTime.eta, deadline: onTime.deadline }, late, bj(2, 23).getTime(), legTargets(county.sla), Date.parse(late.deadline!)).map((a) => a.kind)).toEqual(['breach']);
  });

  it('an ETA moving from within the deadline to past it is an ETA slip as well as at risk', () => {
    const p = testParcel('cn-511623', 'st-v1');
    const parcel = fold([stepEvent(p, 'received', bj(1, 22))]);
    const m = measure(parcel, ctx({ travelMinutes: 20 * 60 }), bj(1, 23).getTime());
    const kinds = parcelAlerts(parcel, { eta: bj(2, 10).toISOString(), deadline: bj(2, 22).toISOString() }, m, bj(1, 23).getTime(), legTargets(county.sla)).map((a) => a.kind);
    expect(kinds).toEqual(['at_risk', 'eta_slip']);
  });

  it('measures upstream produce from its pickup to the center; a booking has an ETA but no deadline yet', () => {
    const p = testParcel('cn-511623', 'st-v1', { direction: 'upstream' });
    const booked = fold([stepEvent(p, 'booked', bj(1, 9))]);
    const waiting = measure(booked, ctx({ travelMinutes: 60 }), bj(1, 9).getTime());
    // the 13:30 wave out and back: 15:30
    expect(waiting).toMatchObject({ open: true, deadline: null, eta: bj(1, 15, 30).toISOString(), etaSource: 'wave', etaDueAt: bj(1, 13, 30).toISOString() });
    const done = fold([stepEvent(p, 'booked', bj(1, 9)), stepEvent(p, 'collected', bj(1, 14)), stepEvent(p, 'at_center', bj(2, 15))]);
    const m = measure(done, ctx(), bj(3, 0).getTime());
    expect(m.legs.village_to_center).toEqual({ minutes: 25 * 60, onTime: false, endedAt: bj(2, 15).toISOString() });
    expect(m).toMatchObject({ deadlineLeg: 'village_to_center', deadline: bj(2, 14).toISOString(), open: false, etaSource: 'arrived' });
  });

  it('waits for the next wave whose cut-off the parcel made', () => {
    // received 12:30 misses the pm cut-off (12:00): the next morning's 07:00
    expect(new Date(nextDeparture('Asia/Shanghai', county.waves, bj(1, 12, 30).getTime(), bj(1, 12, 30).getTime())!)).toEqual(bj(2, 7));
    // received 11:00: the 13:30 the same day; still waiting at 14:00: the next morning's
    expect(new Date(nextDeparture('Asia/Shanghai', county.waves, bj(1, 11).getTime(), bj(1, 11).getTime())!)).toEqual(bj(1, 13, 30));
    expect(new Date(nextDeparture('Asia/Shanghai', county.waves, bj(1, 11).getTime(), bj(1, 14).getTime())!)).toEqual(bj(2, 7));
  });
});

describe('rate alerts', () => {
  it('counts the budget of late legs the target allows and what is left of it', () => {
    const settings = { targetRate: 0.95, windowHours: 24, minLegs: 20 };
    const ok = rateFigures({ countyId: 'c', leg: 'center_to_village', legs: 20, late: 1 }, settings, 0);
    expect(ok).toMatchObject({ onTimeRate: 0.95, budget: 1, budgetLeft: 0 });
    expect(rateVerdict(ok, settings)).toBe('ok');
    const below = rateFigures({ countyId: 'c', leg: 'center_to_village', legs: 20, late: 2 }, settings, 0);
    expect(below).toMatchObject({ onTimeRate: 0.9, budget: 1, budgetLeft: -1 });
    expect(rateVerdict(below, settings)).toBe('below');
    expect(rateVerdict(rateFigures({ countyId: 'c', leg: 'center_to_village', legs: 19, late: 19 }, settings, 0), settings)).toBe('ok');
  });
});
