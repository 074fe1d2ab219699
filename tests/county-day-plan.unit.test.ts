// The simulator's day plan (demo/simulator/day-plan.ts): the demand as events, pure and deterministic for a seed.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { DemoCounty, DemoDemand } from '../demo/demo-types.js';
import { demandOf, produceInSeason } from '../demo/simulator/demand.js';
import { dueOn, planDay } from '../demo/simulator/day-plan.js';
import { waveInstants } from '../demo/simulator/time.js';

const DAY = '2026-07-28';
const county = JSON.parse(await readFile(new URL('../demo/county/county.json', import.meta.url), 'utf8')) as DemoCounty;
const plan = (seed = 7, scale = 0.05) => planDay(county, demandOf(county), DAY, seed, scale);

describe('the day plan', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(JSON.stringify(plan(7))).toBe(JSON.stringify(plan(7)));
    expect(JSON.stringify(plan(8))).not.toBe(JSON.stringify(plan(7)));
  });

  it('announces each waybill once, but the conflict: the same waybill again with other content', () => {
    const p = plan();
    const ids = p.waybills.map((w) => `${w.courierId}/${w.waybill}`);
    expect(new Set(ids).size).toBe(ids.length);
    const announced = p.manifests.flatMap((m) => m.parcels.map((parcel) => ({ courierId: m.courierId, parcel })));
    const again = announced.filter((a) => a.courierId === p.conflict.courierId && a.parcel.waybill === p.conflict.waybill);
    expect(again).toHaveLength(2);
    expect(again[0]!.parcel.weightKg).not.toBe(again[1]!.parcel.weightKg);
    expect(announced).toHaveLength(ids.length + 1);
    for (const m of p.manifests) expect(m.parcels.length).toBeLessThanOrEqual(1000);
  });

  it('addresses every parcel to a destination that resolves, but the one with an unknown address', () => {
    const p = plan();
    const villageCodes = new Set(county.stations.filter((s) => s.kind === 'village' && s.active !== false).flatMap((s) => s.villageCodes));
    const townStations = new Set(county.stations.filter((s) => s.kind === 'town' && s.active !== false).map((s) => s.id));
    const unresolved = p.manifests.flatMap((m) =>
      m.parcels.filter((parcel) => ('villageCode' in parcel.destination ? !villageCodes.has(parcel.destination.villageCode) : !townStations.has(parcel.destination.stationId))),
    );
    expect(unresolved.map((parcel) => parcel.waybill)).toEqual([p.unknownAddress.waybill]);
    expect(townStations.has(p.unknownAddress.correctedStationId)).toBe(true);
  });

  it('brings every truck in an hour before a wave’s cut-off, announced 45 minutes ahead', () => {
    const p = plan();
    const cutoffs = county.county.waves.map((w) => waveInstants(county.county, w, DAY).cutoffAt.getTime());
    for (const m of p.manifests) {
      expect(m.arriveAt.getTime() - m.publishAt.getTime()).toBe(45 * 60_000);
      expect(cutoffs.some((c) => c - m.arriveAt.getTime() >= 60 * 60_000)).toBe(true);
      expect(m.publishAt.getTime()).toBeGreaterThanOrEqual(p.dayStart.getTime() - 45 * 60_000);
    }
  });

  it('books produce at village stations due that day, some of it cold, and sends chilled parcels where no cold room waits', () => {
    const p = plan();
    const stations = new Map(county.stations.map((s) => [s.id, s]));
    for (const b of p.bookings) {
      const station = stations.get(b.stationId)!;
      expect(station.kind).toBe('village');
      expect(dueOn(station, DAY)).toBe(true);
    }
    expect(p.bookings.filter((b) => b.coldChainProfileId === 'yellow-peach').length).toBeGreaterThanOrEqual(2);
    const byVillage = new Map(county.stations.flatMap((s) => (s.kind === 'village' ? s.villageCodes.map((c) => [c, s] as const) : [])));
    const chilled = p.manifests.flatMap((m) => m.parcels.filter((parcel) => parcel.coldChainProfileId === 'chilled'));
    for (const parcel of chilled) {
      const station = 'villageCode' in parcel.destination ? byVillage.get(parcel.destination.villageCode)! : stations.get(parcel.destination.stationId)!;
      expect(station.coldStorageM3).toBe(0);
    }
    expect(stations.get(p.silentColdRoom.stationId)!.coldStorageM3).toBeGreaterThan(0);
  });
});

describe('the demand of a day from the generated demand file', () => {
  const generated = JSON.parse(readFileSync(new URL('../demo/county/demand.json', import.meta.url), 'utf8')) as DemoDemand;

  it('carries the produce in season: navel orange in November and across the new year, yellow peach in July', () => {
    expect(produceInSeason(generated, '2026-11-28').coldChainProfileId).toBe('navel-orange');
    expect(produceInSeason(generated, '2027-01-15').coldChainProfileId).toBe('navel-orange');
    expect(produceInSeason(generated, '2026-07-28').coldChainProfileId).toBe('yellow-peach');
  });

  it("takes each courier's volume and the upstream share from the file", () => {
    const demand = demandOf(county, generated, '2026-11-28');
    expect(demand.couriers).toEqual(generated.couriers.map((c) => ({ courierId: c.courierId, parcelsPerDay: c.parcelsPerDay })));
    expect(demand.upstreamShare).toBe(generated.upstreamShare);
    expect(demand.produce.product).toBe('脐橙');
  });
});
