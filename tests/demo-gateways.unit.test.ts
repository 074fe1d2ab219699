// The demo county's gateways (demo/simulator/gateways.ts): which containers report, and each sensor's seeded walk.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DemoCounty } from '../demo/demo-types.js';
import { demoGateways, readingsTopic, sensorWalk } from '../demo/simulator/gateways.js';

const county = JSON.parse(readFileSync(new URL('../demo/county/county.json', import.meta.url), 'utf8')) as DemoCounty;

describe('demoGateways', () => {
  it('lists each refrigerated compartment with its two probes, the center’s cold room and the silent one', () => {
    const silent = county.stations.find((s) => s.kind !== 'center' && s.coldStorageM3 > 0)!.id;
    const gateways = demoGateways(county, silent);
    const reefers = county.vehicles.filter((v) => v.active && v.refrigerated);
    expect(gateways.filter((g) => g.kind === 'vehicle_compartment').map((g) => g.sensors.map((s) => s.sensorId))).toEqual(reefers.map((v) => [`${v.id}-front`, `${v.id}-rear`]));
    expect(gateways.filter((g) => g.kind === 'cold_room').map((g) => g.containerId).sort()).toEqual(['center/cold-room', `${silent}/cold-room`].sort());
    expect(demoGateways(county).filter((g) => g.kind === 'cold_room').map((g) => g.containerId)).toEqual(['center/cold-room']);
  });

  it('publishes on the documented topic', () => {
    expect(readingsTopic('t1.', 'cn-1', 'reefer-01/refrigerated')).toBe('t1.county/cn-1/coldchain/reefer-01/refrigerated/readings');
  });
});

describe('sensorWalk', () => {
  it('stays inside the band’s inner 70 % with some noise, the same for the same seed', () => {
    const band = { minC: 5, maxC: 8 };
    const a = sensorWalk(band, 42, 90);
    const b = sensorWalk(band, 42, 90);
    const values = Array.from({ length: 2000 }, () => a());
    expect(Array.from({ length: 2000 }, () => b())).toEqual(values);
    for (const v of values) {
      expect(v.temperatureC).toBeGreaterThanOrEqual(5.4);
      expect(v.temperatureC).toBeLessThanOrEqual(7.6);
      expect(v.humidityPct).toBeGreaterThanOrEqual(88);
      expect(v.humidityPct).toBeLessThanOrEqual(92);
    }
    expect(new Set(values.map((v) => v.temperatureC)).size).toBeGreaterThan(5);
    // Consecutive readings move by a few tenths at most: a refrigeration unit's drift, not a random jump.
    const steps = values.slice(1).map((v, i) => Math.abs(v.temperatureC - values[i]!.temperatureC));
    expect(Math.max(...steps)).toBeLessThanOrEqual(0.6);
  });
});
