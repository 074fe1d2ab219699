import { eventRegistry, idSchema, type Envelope } from '@county/contracts';
import { describe, expect, it } from 'vitest';
import { confirmEvents, routeConfirmedData, routeIdFor, routesToConfirm, waveKey } from '../src/plans/domain/confirm.js';
import { localDate, wavesAtCutoff } from '../src/plans/domain/dates.js';
import { checkEditable, lockList, plannedParcelIds } from '../src/plans/domain/plan.js';
import { handMadePlan } from './plans-fixtures.js';

describe('the county’s date', () => {
  it('is the county’s, not UTC’s', () => {
    expect(localDate(new Date('2026-11-29T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-30');
  });
});

describe('the waves the auto-planner plans', () => {
  const waves = [
    { id: 'am', departure: '07:00', cutoff: '20:00' },
    { id: 'pm', departure: '13:00', cutoff: '11:30' },
  ];

  it('are those past their cut-off and not departed, tomorrow’s morning wave among them at night', () => {
    // 21:00 in Shanghai on the 29th: tomorrow's 07:00 wave closed at 20:00.
    const due = wavesAtCutoff(new Date('2026-11-29T13:00:00Z'), 'Asia/Shanghai', waves);
    expect(due.map((w) => [w.date, w.waveId])).toEqual([['2026-11-30', 'am']]);
  });

  it('none before a cut-off, the afternoon wave between its cut-off and departure', () => {
    expect(wavesAtCutoff(new Date('2026-11-30T03:00:00Z'), 'Asia/Shanghai', waves)).toEqual([]);
    expect(wavesAtCutoff(new Date('2026-11-30T04:00:00Z'), 'Asia/Shanghai', waves).map((w) => w.waveId)).toEqual(['pm']);
    expect(wavesAtCutoff(new Date('2026-11-30T05:00:00Z'), 'Asia/Shanghai', waves)).toEqual([]);
  });
});

describe('editing a plan', () => {
  it('only a draft at the revision the editor read', () => {
    expect(checkEditable({ status: 'draft', revision: 3 }, 3)).toBeUndefined();
    expect(checkEditable({ status: 'draft', revision: 4 }, 3)).toMatchObject({ code: 'PLAN_REVISION_STALE' });
    for (const status of ['confirmed', 'cancelled', 'superseded'] as const) {
      expect(checkEditable({ status, revision: 3 }, 3)).toMatchObject({ code: 'PLAN_NOT_EDITABLE' });
    }
  });

  it('locks are read from the plan’s flags: a locked route whole, a locked stop of an unlocked route', () => {
    const plan = handMadePlan('');
    plan.routes[0]!.locked = true;
    plan.routes[0]!.stops[0]!.locked = true;
    plan.routes[1]!.stops[0]!.locked = true;
    expect(lockList(plan)).toEqual({ routes: ['r1'], stops: [{ routeKey: 'r2', stationId: 'vs-3' }] });
  });
});

describe('confirming a plan', () => {
  const confirmed = { planId: 'pl-1', countyId: 'cn-511623', date: '2026-11-30', waveId: 'am', plan: handMadePlan() };

  it('route ids are readable, valid ids, and unique by their suffix', () => {
    expect(routeIdFor('2026-11-30', 'am', 2, 'a1b2c3')).toBe('rt-2026-11-30-am-2-a1b2c3');
    const long = routeIdFor('2026-11-30', 'w'.repeat(64), 12, 'a1b2c3');
    expect(long.length).toBe(64);
    expect(idSchema.safeParse(long).success).toBe(true);
    expect(long.endsWith('-12-a1b2c3')).toBe(true);
  });

  it('only routes that carry something become routes', () => {
    const plan = handMadePlan();
    plan.routes.push({ ...plan.routes[1]!, routeKey: 'r3', stops: [], parcels: [] });
    expect(routesToConfirm(plan).map((r) => r.routeKey)).toEqual(['r1', 'r2']);
  });

  it('emits one valid route_confirmed per route keyed by its id, then the wave’s wave_costed', () => {
    const routes = confirmed.plan.routes.map((route, i) => routeConfirmedData(confirmed, route, routeIdFor(confirmed.date, confirmed.waveId, i + 1, 'abc123')));
    const entries = confirmEvents(confirmed, routes, { source: 'dispatch', confirmedAt: new Date('2026-11-29T22:00:00Z'), correlationId: 'req-1' });
    expect(entries.map((e) => [e.topic, e.key, (e.event as Envelope).type])).toEqual([
      ['dispatch.events', 'rt-2026-11-30-am-1-abc123', 'dispatch.route_confirmed'],
      ['dispatch.events', 'rt-2026-11-30-am-2-abc123', 'dispatch.route_confirmed'],
      ['dispatch.events', waveKey('2026-11-30', 'am'), 'dispatch.wave_costed'],
    ]);
    for (const { event } of entries) {
      const envelope = event as Envelope;
      const schema = eventRegistry[envelope.type as keyof typeof eventRegistry].data;
      expect(schema.safeParse(envelope.data).error).toBeUndefined();
      expect(envelope).toMatchObject({ countyId: 'cn-511623', source: 'dispatch', correlationId: 'req-1', occurredAt: '2026-11-29T22:00:00.000Z' });
    }
    const first = (entries[0]!.event as Envelope<{ parcels: { parcelId: string }[]; stops: object[] }>).data;
    expect(first.parcels.map((p) => p.parcelId)).toEqual(confirmed.plan.routes[0]!.parcels.map((p) => p.parcelId));
    expect(first.stops[0]).not.toHaveProperty('locked');
    const costed = (entries[2]!.event as Envelope<{ planId: string; costPerParcel: number; counterfactual: { costPerParcel: number } }>).data;
    expect(costed).toMatchObject({ planId: 'pl-1', costPerParcel: 333.33, counterfactual: { costPerParcel: 500 } });
    expect(plannedParcelIds(confirmed.plan)).toHaveLength(3);
  });
});
