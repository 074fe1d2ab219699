import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coveredVillages, generateCounty, generateDemand } from '../demo/generate-county.js';
import type { DemoDemand } from '../demo/demo-types.js';

const county = generateCounty();
const demand = generateDemand(county);

describe('the demo county (demo/generate-county.ts)', () => {
  it('is sized as the issue and docs/domain-figures.md ask: 1 center, 12 towns, 120 villages, 5 couriers', () => {
    expect(county.stations.filter((s) => s.kind === 'center')).toHaveLength(1);
    expect(county.towns).toHaveLength(12);
    expect(county.villages).toHaveLength(120);
    expect(county.couriers).toHaveLength(5);
    // Every town has its station.
    expect(new Set(county.stations.filter((s) => s.kind === 'town').map((s) => s.townId))).toEqual(new Set(county.towns.map((t) => t.id)));
  });

  it('covers most villages, not all: coverage is measurable and below 100 %', () => {
    const covered = coveredVillages(county);
    const byVillageStation = new Set(county.stations.filter((s) => s.kind === 'village').flatMap((s) => s.villageCodes));
    expect(covered.size / county.villages.length).toBeGreaterThanOrEqual(0.8);
    expect(covered.size).toBeLessThan(county.villages.length);
    expect(byVillageStation.size).toBeGreaterThanOrEqual(85);
    expect(byVillageStation.size).toBeLessThanOrEqual(100);
    expect(county.villages.some((v) => v.povertyRegistered)).toBe(true);
    expect(county.villages.some((v) => v.povertyRegistered && !covered.has(v.code))).toBe(true);
  });

  it('serves village stations daily and every second day', () => {
    const kinds = new Set(county.stations.filter((s) => s.kind === 'village').map((s) => (s.serviceFrequency?.kind === 'every_n_days' ? `every_${s.serviceFrequency.everyDays}` : s.serviceFrequency?.kind)));
    expect(kinds).toEqual(new Set(['daily', 'every_2']));
  });

  it('has 8 center vehicles, 2 of them refrigerated, and couriers’ own vans', () => {
    const center = county.vehicles.filter((v) => v.owner.kind === 'center');
    expect(center).toHaveLength(8);
    expect(center.filter((v) => v.refrigerated)).toHaveLength(2);
    expect(county.vehicles.filter((v) => v.owner.kind === 'courier').length).toBeGreaterThanOrEqual(2);
  });

  it('has a surveyed baseline and waves with cut-offs before their departures', () => {
    expect(county.county.baselineCostPerParcelYuan).toBeGreaterThanOrEqual(2);
    expect(county.county.baselineCostPerParcelYuan).toBeLessThanOrEqual(3);
    expect(county.county.waves.length).toBeGreaterThanOrEqual(2);
    for (const wave of county.county.waves) expect(wave.cutoff < wave.departure).toBe(true);
  });

  it('lies in the hills: towns 8–35 km from the seat, villages within the county', () => {
    const seat = county.stations.find((s) => s.id === 'ts-101')!.location;
    const km = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) =>
      Math.hypot((b.lat - a.lat) * 111.2, (b.lng - a.lng) * 111.2 * Math.cos((a.lat * Math.PI) / 180));
    for (const s of county.stations.filter((x) => x.kind === 'town' && x.id !== 'ts-101')) {
      expect(km(seat, s.location)).toBeGreaterThanOrEqual(5);
      expect(km(seat, s.location)).toBeLessThanOrEqual(50);
    }
  });

  it('has its day apart from master data: couriers of different volumes, produce in season with its profile', () => {
    expect(demand.couriers.map((c) => c.courierId).sort()).toEqual(county.couriers.map((c) => c.id).sort());
    expect(new Set(demand.couriers.map((c) => c.parcelsPerDay)).size).toBe(demand.couriers.length);
    expect(demand.couriers.reduce((a, c) => a + c.parcelsPerDay, 0)).toBe(demand.downstreamParcelsPerDay);
    expect(demand.produce.map((p) => p.profileId).sort()).toEqual(['navel-orange', 'yellow-peach']);
    const villageStations = new Set(county.stations.filter((s) => s.kind === 'village').map((s) => s.id));
    for (const p of demand.produce) {
      expect(p.stations.length).toBeGreaterThan(0);
      for (const s of p.stations) expect(villageStations.has(s.stationId)).toBe(true);
    }
    const reefers = new Set(county.vehicles.filter((v) => v.refrigerated).map((v) => v.id));
    expect(reefers.has(demand.coldChain.excursion.vehicleId)).toBe(true);
    expect(reefers.has(demand.coldChain.silentSensor.vehicleId)).toBe(true);
    expect(demand.coldChain.excursion.vehicleId).not.toBe(demand.coldChain.silentSensor.vehicleId);
  });

  it('is deterministic for its seed, and what demo/county holds', () => {
    expect(generateCounty()).toEqual(county);
    expect(generateDemand(generateCounty())).toEqual(demand);
    expect(generateCounty(7)).not.toEqual(county);
    const committed = JSON.parse(readFileSync(new URL('../demo/county/demand.json', import.meta.url), 'utf8')) as DemoDemand;
    expect(committed).toEqual(JSON.parse(JSON.stringify(demand)));
  });
});
