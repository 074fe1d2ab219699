import type { Reading } from '@county/contracts';

/** A reading with the county it belongs to: a Kafka run or an MQTT stream mixes counties. */
export interface CountyReading extends Reading {
  countyId: string;
}

/** Same container, sensor and instant: one reading, stored once. */
export function readingKey(r: { countyId: string; containerId: string; sensorId: string; measuredAt: string }): string {
  return `${r.countyId}\u0000${r.containerId}\u0000${r.measuredAt}\u0000${r.sensorId}`;
}

/**
 * The readings to store, each once (the first of a repeated key is kept), in key order — county, container,
 * measured, sensor — so that concurrent writers take the primary key's locks in one order.
 */
export function distinctSorted<T extends CountyReading>(readings: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const r of readings) {
    const key = readingKey(r);
    if (!seen.has(key)) seen.set(key, r);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/**
 * Readings per (county, container), each group sorted by measured then sensor: what the listener is told. Input in
 * key order (`distinctSorted`) keeps each group sorted; instants are UTC ISO strings, so they sort as strings.
 */
export function groupByContainer<T extends { countyId: string; containerId: string; measuredAt: string; sensorId: string }>(
  readings: readonly T[],
): { countyId: string; containerId: string; readings: T[] }[] {
  const groups = new Map<string, { countyId: string; containerId: string; readings: T[] }>();
  for (const r of readings) {
    const key = `${r.countyId}\u0000${r.containerId}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { countyId: r.countyId, containerId: r.containerId, readings: [] }));
    group.readings.push(r);
  }
  for (const group of groups.values()) {
    group.readings.sort((a, b) => (a.measuredAt < b.measuredAt ? -1 : a.measuredAt > b.measuredAt ? 1 : a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0));
  }
  return [...groups.values()];
}
