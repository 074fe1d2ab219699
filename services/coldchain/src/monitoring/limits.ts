import { limitsOf, type Limits } from './domain/limits.js';
import type { MonitoredProfile } from './ports.js';

/**
 * A container without a profile (the catalogue knows none for it) is only watched for its latest reading: nothing is
 * out of range and nothing exceeds. Its readings still hold for 15 minutes, the stone-fruit profile's gap.
 */
const UNWATCHED: Limits = { minC: -Infinity, maxC: Infinity, toleranceMs: Infinity, gapMs: 15 * 60_000, closeAfterMs: 0, hardMinC: null, hardMaxC: null };

export function limitsFor(profile: MonitoredProfile | undefined): Limits {
  return profile ? limitsOf({ minC: profile.minC, maxC: profile.maxC, toleranceMinutes: profile.toleratedMinutes, silenceGapMinutes: profile.silenceGapMinutes }) : UNWATCHED;
}

/** What of a profile the fold depends on: when it changes, the next batch goes through Postgres. */
export function profileStamp(profile: MonitoredProfile | undefined): string {
  return profile ? JSON.stringify([profile.id, profile.minC, profile.maxC, profile.toleratedMinutes, profile.silenceGapMinutes]) : '';
}
