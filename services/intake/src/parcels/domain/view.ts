import { deriveParcel, type Principal, type TimelineEntry } from '@county/contracts';
import { maskName, maskPhone } from './mask.js';
import { lifecycleOf, type ParcelHead, type ParcelRecord } from './parcel.js';

/**
 * Whether a key may see a parcel of its county: center staff see every parcel, a courier its own,
 * a station keeper the parcels to or from its station. Others are answered 404, as if absent.
 */
export function maySee(viewer: Principal, parcel: Pick<ParcelRecord, 'countyId' | 'courierId' | 'destinationStationId' | 'originStationId'>): boolean {
  if (viewer.countyId !== parcel.countyId) return false;
  switch (viewer.role) {
    case 'admin':
    case 'operator':
      return true;
    case 'courier':
      return viewer.courierId === parcel.courierId;
    case 'station':
      return viewer.stationId !== undefined && (viewer.stationId === parcel.destinationStationId || viewer.stationId === parcel.originStationId);
    default:
      return false;
  }
}

/** The recipient in clear is for the center and the keeper who hands the parcel over (docs/architecture.md "Parcel contract"). */
export function seesRecipient(viewer: Principal, parcel: Pick<ParcelRecord, 'destinationStationId'>): boolean {
  if (viewer.role === 'admin' || viewer.role === 'operator') return true;
  return viewer.role === 'station' && viewer.stationId !== undefined && viewer.stationId === parcel.destinationStationId;
}

export interface ParcelSummary {
  parcelId: string;
  countyId: string;
  courierId: string;
  waybill: string;
  direction: ParcelRecord['direction'];
  state: ParcelRecord['state'];
  progress: string | null;
  exception: { kind: string; since: string } | null;
  destinationStationId: string | null;
  originStationId: string | null;
  townStationId: string | null;
  /** When the inbound scan happened: the start of the SLA clock. */
  receivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ParcelView extends ParcelSummary {
  contract: Record<string, unknown>;
  timeline: TimelineEntry[];
}

export function parcelSummary(parcel: ParcelHead): ParcelSummary {
  return {
    parcelId: parcel.id,
    countyId: parcel.countyId,
    courierId: parcel.courierId,
    waybill: parcel.waybill,
    direction: parcel.direction,
    state: parcel.state,
    progress: parcel.progress,
    exception: parcel.exception,
    destinationStationId: parcel.destinationStationId,
    originStationId: parcel.originStationId,
    townStationId: parcel.townStationId,
    receivedAt: parcel.receivedAt,
    createdAt: parcel.createdAt,
    updatedAt: parcel.updatedAt,
  };
}

/**
 * A parcel as a key sees it: its contract (recipient and sender masked unless the key may see them)
 * and its full timeline: who (key id and role), where, when it happened and when it was received,
 * inferred and confirming entries flagged, in the order things happened.
 */
export function parcelView(parcel: ParcelRecord, viewer: Principal): ParcelView {
  const { timeline } = deriveParcel(lifecycleOf(parcel), parcel.facts);
  return {
    ...parcelSummary(parcel),
    contract: seesRecipient(viewer, parcel) ? parcel.contract : maskedContract(parcel.contract),
    timeline,
  };
}

function maskedContract(contract: Record<string, unknown>): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...contract };
  for (const field of ['recipient', 'sender'] as const) {
    const person = contract[field] as { name?: unknown; phone?: unknown } | undefined;
    if (!person || typeof person !== 'object') continue;
    masked[field] = {
      ...(typeof person.name === 'string' ? { name: maskName(person.name) } : {}),
      ...(typeof person.phone === 'string' ? { phone: maskPhone(person.phone) } : {}),
    };
  }
  return masked;
}
