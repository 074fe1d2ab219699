import type { StopExceptionKind } from './route.js';

/**
 * What a handheld (or the center's desk) reports about a route. `occurredAt` is when it happened, ISO-8601 UTC:
 * handhelds upload late, so it is not when dispatch hears of it.
 */
export type FieldCommand =
  | { kind: 'departure'; occurredAt: string }
  | { kind: 'arrival'; sequence: number; occurredAt: string }
  /** `parcelIds` absent: every parcel still on board for that stop. */
  | { kind: 'handover'; sequence: number; occurredAt: string; parcelIds?: string[] }
  /** `parcelIds` absent: every booked parcel of that stop not collected yet. */
  | { kind: 'pickups'; sequence: number; occurredAt: string; parcelIds?: string[] }
  /** `parcelIds` required for damaged and refused; absent for station_closed: everything still to do there. */
  | { kind: 'exception'; sequence: number; occurredAt: string; exception: StopExceptionKind; parcelIds?: string[]; reason?: string }
  | { kind: 'return'; occurredAt: string }
  | { kind: 'cancel'; occurredAt: string; reason: string };

export type FieldCommandKind = FieldCommand['kind'];
