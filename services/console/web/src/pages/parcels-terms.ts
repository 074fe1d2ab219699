/**
 * Words shared by the board, the parcel look-up, the bureau dashboard and the labels: parcel states, legs,
 * directions (../shared/GLOSSARY.md), the shapes those pages read, and small helpers for dates and the hash.
 */
import { defineMessages } from '../i18n';

export const downstreamStates = ['manifested', 'received', 'sorted', 'departed', 'at_town', 'at_station', 'delivered'] as const;
export const upstreamStates = ['booked', 'collected', 'at_center', 'handed_over'] as const;
export const outcomeStates = ['returned', 'lost'] as const;
export const allStates = [...downstreamStates, ...upstreamStates, ...outcomeStates] as const;
export const legKeys = ['center_to_town', 'town_to_village', 'center_to_village', 'village_to_center'] as const;

export const terms = defineMessages(
  {
    manifested: '已预报',
    received: '已入库',
    sorted: '已分拣',
    departed: '已发车',
    at_town: '到乡镇站',
    at_station: '到村服务站',
    delivered: '已签收',
    booked: '已预约揽件',
    collected: '已揽收',
    at_center: '到共配中心',
    handed_over: '已交接快递',
    returned: '已退回',
    lost: '丢失',
    downstream: '下行',
    upstream: '上行',
    center_to_town: '中心→乡镇',
    town_to_village: '乡镇→村',
    center_to_village: '中心→村',
    village_to_center: '村→中心',
  },
  {
    manifested: 'manifested',
    received: 'received',
    sorted: 'sorted',
    departed: 'departed',
    at_town: 'at town station',
    at_station: 'at village station',
    delivered: 'delivered',
    booked: 'booked',
    collected: 'collected',
    at_center: 'at center',
    handed_over: 'handed over',
    returned: 'returned',
    lost: 'lost',
    downstream: 'downstream',
    upstream: 'upstream',
    center_to_town: 'center → town',
    town_to_village: 'town → village',
    center_to_village: 'center → village',
    village_to_center: 'village → center',
  },
);
export type Term = keyof (typeof terms)['en'];

/** A term's translation, or the raw value when it is not one we know. */
export function term(t: (key: Term) => string, value: string | null | undefined): string {
  if (!value) return '—';
  return value in terms.en ? t(value as Term) : value;
}

/** intake's `GET /parcels` item (ParcelSummary). */
export interface ParcelSummary {
  parcelId: string;
  courierId: string;
  waybill: string;
  direction: 'downstream' | 'upstream';
  state: string;
  progress: string | null;
  exception: { kind: string; since: string } | null;
  destinationStationId: string | null;
  originStationId: string | null;
  townStationId: string | null;
  receivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TimelineEntry {
  event: string;
  fact: string;
  factId: string;
  state: string;
  exception: string | null;
  occurredAt: string;
  receivedAt: string;
  actor: { role: string; keyId: string } | null;
  stationId: string | null;
  routeId: string | null;
  reason: string | null;
  inferred: boolean;
  confirming: boolean;
}

/** intake's `GET /parcels/:id`. */
export interface ParcelView extends ParcelSummary {
  contract: Record<string, unknown>;
  timeline: TimelineEntry[];
}

export interface ParcelPage {
  items: ParcelSummary[];
  nextCursor: string | null;
}

export interface Station {
  id: string;
  name: string;
  kind: string;
  townId?: string;
  villageCodes?: string[];
}

export interface Courier {
  id: string;
  name: string;
  active: boolean;
}

/** The query of the hash (`#/board?date=2026-11-29` → { date }). */
export function hashQuery(): URLSearchParams {
  const i = location.hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : location.hash.slice(i + 1));
}

/** Replaces the hash's query without adding a history entry for each keystroke. */
export function setHashQuery(page: string, query: Record<string, string | undefined>): void {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  history.replaceState(null, '', `#/${page}${qs ? `?${qs}` : ''}`);
}

const DAY_MS = 86_400_000;

/** `date` (YYYY-MM-DD) moved by `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant a county day starts, for a zone with a fixed offset such as Asia/Shanghai (+08:00). */
export function dayStart(date: string, offset = '+08:00'): string {
  return new Date(`${date}T00:00:00${offset}`).toISOString();
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How often the live board reloads each of its blocks. */
export const REFRESH_MS = 15_000;

/** The county's stations and couriers by id (intake masterdata; every role of these pages may read them). */
export async function loadMasterdata(api: import('../api').Api, signal?: AbortSignal): Promise<{ stations: Map<string, Station>; couriers: Courier[] }> {
  const [stations, couriers] = await Promise.all([
    api.get<{ items: Station[] }>('intake', '/stations', { signal }),
    api.get<{ items: Courier[] }>('intake', '/couriers', { signal }),
  ]);
  return { stations: new Map(stations.items.map((s) => [s.id, s])), couriers: couriers.items };
}
