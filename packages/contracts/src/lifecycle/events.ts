import { z } from 'zod';
import type { LifecycleStep } from './states.js';

/** The `parcel.*` event types intake publishes on `parcel.events` (past tense, docs/architecture.md §3 "Events"). */
export const parcelEventTypes = [
  'parcel.manifested',
  'parcel.received',
  'parcel.sorted',
  'parcel.sort_cancelled',
  'parcel.departed',
  'parcel.arrived_at_town',
  'parcel.arrived_at_station',
  'parcel.delivered',
  'parcel.booked',
  'parcel.collected',
  'parcel.arrived_at_center',
  'parcel.handed_over',
  'parcel.damaged',
  'parcel.refused',
  'parcel.address_unknown_reported',
  'parcel.address_corrected',
  'parcel.returned',
  'parcel.lost',
] as const;
export const parcelEventTypeSchema = z.enum(parcelEventTypes);
export type ParcelEventType = (typeof parcelEventTypes)[number];

/** The event of reaching each state or seeing each exception; inferred states use it too. */
export const stepEvents: Readonly<Record<LifecycleStep, ParcelEventType>> = {
  manifested: 'parcel.manifested',
  received: 'parcel.received',
  sorted: 'parcel.sorted',
  departed: 'parcel.departed',
  at_town: 'parcel.arrived_at_town',
  at_station: 'parcel.arrived_at_station',
  delivered: 'parcel.delivered',
  booked: 'parcel.booked',
  collected: 'parcel.collected',
  at_center: 'parcel.arrived_at_center',
  handed_over: 'parcel.handed_over',
  returned: 'parcel.returned',
  lost: 'parcel.lost',
  damaged: 'parcel.damaged',
  refused: 'parcel.refused',
  address_unknown: 'parcel.address_unknown_reported',
};
