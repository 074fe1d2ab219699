import { silenceSeverity, type Severity } from './severity.js';

/**
 * When a container's sensors count as silent (README "Monitoring"): no reading of any of its sensors for more than
 * the profile's silence gap, measured from the latest reading's time (measuredAt: what is known of the goods) to
 * the runtime's clock. Which silences are alarms:
 * - a vehicle compartment only while goods are bound to it: a parked, empty vehicle may switch its gateway off;
 * - a cold room always: it is kept cold whether or not goods are bound to it (produce can sit there before it is
 *   booked), so an empty room that falls silent is an alarm too, of lower severity;
 * - a container never heard from is not silent: its gateway was never installed, which is not an alarm.
 */
export type ContainerKind = 'vehicle' | 'cold_room';

/** `<vehicleId>/refrigerated` or `<stationId>/cold-room` (docs: container ids). */
export function containerKindOf(containerId: string): ContainerKind {
  return containerId.endsWith('/cold-room') ? 'cold_room' : 'vehicle';
}

export interface SilenceInput {
  containerId: string;
  lastReadingAt: number;
  gapMs: number;
  now: number;
  goodsBound: boolean;
}

export type SilenceDecision = { silent: false } | { silent: true; alarm: false } | { silent: true; alarm: true; severity: Severity };

export function silenceOf(input: SilenceInput): SilenceDecision {
  if (input.now - input.lastReadingAt <= input.gapMs) return { silent: false };
  if (!input.goodsBound && containerKindOf(input.containerId) === 'vehicle') return { silent: true, alarm: false };
  return { silent: true, alarm: true, severity: silenceSeverity(input.goodsBound) };
}
