import { createHash } from 'node:crypto';

/**
 * Deterministic ids (issue #11: a recompute never doubles an alarm): the same excursion — county, container, start —
 * always gets the same id, and so does each of its alarms, so writing them again is a no-op. 32 hex digits of
 * SHA-256 behind a prefix that says what it is; they fit the contracts' id form (container ids hold a `/`).
 */
const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

export const excursionIdOf = (countyId: string, containerId: string, startedAt: number) => `exc-${digest(countyId, containerId, new Date(startedAt).toISOString())}`;

export const toleranceAlarmIdOf = (excursionId: string) => `alm-${digest(excursionId, 'tolerance_exceeded')}`;

/** A silence is known by the last reading before it: the same silence, scanned twice, is one alarm. */
export const silenceAlarmIdOf = (countyId: string, containerId: string, lastReadingAt: number) =>
  `alm-${digest(countyId, containerId, 'sensor_silent', new Date(lastReadingAt).toISOString())}`;

/** A parcel misses its pre-cooling once. */
export const precoolingAlarmIdOf = (countyId: string, parcelId: string) => `alm-${digest(countyId, parcelId, 'precooling_missed')}`;
