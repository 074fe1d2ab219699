/**
 * `demo.unaccounted_parcels`: every parcel's final state in each of the four services' views, read through their REST
 * APIs with an admin key, and whether they agree (issue #13 "Acceptance": every parcel accounted for exactly once).
 *
 * - intake: `GET /parcels` (every parcel of the county, keyset-paginated) — the parcel's state;
 * - dispatch: `GET /dispatch/parcels` — the state its read model folded from `parcel.events`;
 * - sla: `GET /sla/parcels/:parcelId` — the state its timeline folded;
 * - coldchain: `GET /coldchain/parcels?inTransit=false` — a parcel with a cold-chain profile, once collected or on the
 *   road (`COLD_CUSTODY_STATES`), must be in its custody records (in transit or ended); coldchain keeps no state of
 *   other parcels, nor of cold ones still waiting to be collected or loaded.
 *
 * A parcel is accounted for when intake, dispatch and sla hold it in the same state and, if it is a cold-chain
 * parcel past its collection or loading, coldchain holds it; a waybill the couriers announced must be in intake exactly once. Consumers lag a
 * little behind intake: disagreeing parcels are read again until they agree or `settleMs` has passed.
 */
import { api, mapLimit, ok } from './http.js';
import type { ServiceUrls } from './summary.js';

export interface ParcelViews {
  parcelId: string | null;
  waybill: string;
  courierId: string | null;
  intake: string | null;
  dispatch: string | null;
  sla: string | null;
  /** 'in_transit' or 'ended' for a cold-chain parcel coldchain holds; null when it does not; 'n/a' for other parcels. */
  coldchain: 'in_transit' | 'ended' | 'n/a' | null;
  reason: string | null;
}

export interface Account {
  /** Parcels intake holds. */
  parcels: number;
  agreed: number;
  /** Parcels not in the same final state in every view, and announced waybills intake does not hold once. */
  unaccounted: ParcelViews[];
  /** Final states as intake holds them, by state. */
  byState: Record<string, number>;
}

export interface AccountOptions {
  urls: ServiceUrls;
  adminKey: string;
  /** The waybills the couriers announced (the simulator's DayResult): each must be in intake exactly once. */
  waybills?: readonly string[];
  /** How long to wait for lagging views to agree; 0: one look. */
  settleMs?: number;
  concurrency?: number;
}

interface IntakeItem {
  parcelId: string;
  courierId: string;
  waybill: string;
  state: string;
}
interface DispatchItem {
  parcelId: string;
  state: string;
  coldChainProfileId: string | null;
}

async function intakeView(urls: ServiceUrls, key: string): Promise<IntakeItem[]> {
  const out: IntakeItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: IntakeItem[]; nextCursor: string | null } = await ok(`${urls.intake}/parcels?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function dispatchView(urls: ServiceUrls, key: string): Promise<Map<string, DispatchItem>> {
  const out = new Map<string, DispatchItem>();
  let after: string | null = null;
  do {
    const page: { items: DispatchItem[]; next: string | null } = await ok(`${urls.dispatch}/dispatch/parcels?limit=1000${after ? `&after=${after}` : ''}`, key);
    for (const item of page.items) out.set(item.parcelId, item);
    after = page.next;
  } while (after);
  return out;
}

const COLD_LIST_LIMIT = 1_000;

/** coldchain's cold parcels (its list holds up to 1,000; `coldchainHolds` asks for one beyond). */
async function coldchainView(urls: ServiceUrls, key: string): Promise<{ parcels: Map<string, 'in_transit' | 'ended'>; complete: boolean }> {
  const page = await ok<{ items: { parcelId: string; inTransit: boolean }[] }>(
    `${urls.coldchain}/coldchain/parcels?inTransit=false&endedSince=2000-01-01T00:00:00Z&limit=${COLD_LIST_LIMIT}`,
    key,
  );
  return { parcels: new Map(page.items.map((p) => [p.parcelId, p.inTransit ? 'in_transit' : 'ended'])), complete: page.items.length < COLD_LIST_LIMIT };
}

/** A cold parcel as coldchain holds it: from its list, or (the list full) its compliance record, which an ended custody has. */
async function coldchainHolds(urls: ServiceUrls, key: string, cold: Awaited<ReturnType<typeof coldchainView>>, parcelId: string): Promise<'in_transit' | 'ended' | null> {
  const listed = cold.parcels.get(parcelId);
  if (listed || cold.complete) return listed ?? null;
  return (await api('GET', `${urls.coldchain}/coldchain/parcels/${parcelId}/compliance`, key)).status === 200 ? 'ended' : null;
}

async function slaState(urls: ServiceUrls, key: string, parcelId: string): Promise<string | null> {
  const res = await api<{ state: string }>('GET', `${urls.sla}/sla/parcels/${parcelId}`, key);
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`GET /sla/parcels/${parcelId}: ${res.status}`);
  return res.body.state;
}

async function intakeState(urls: ServiceUrls, key: string, parcelId: string): Promise<string | null> {
  const res = await api<{ state: string }>('GET', `${urls.intake}/parcels/${parcelId}`, key);
  return res.status === 200 ? res.body.state : null;
}

/**
 * States in which a cold-chain parcel has been in a container or a cold room, so coldchain must hold it: collected
 * upstream, or on the road downstream. Booked, announced, received or sorted, it may not have been yet.
 */
export const COLD_CUSTODY_STATES: ReadonlySet<string> = new Set(['departed', 'at_town', 'at_station', 'delivered', 'returned', 'collected', 'at_center', 'handed_over']);

/** Why a parcel's views disagree, or null when they agree. */
export function disagreement(v: Omit<ParcelViews, 'reason'>): string | null {
  if (v.intake === null) return 'not in intake';
  if (v.dispatch !== v.intake) return `dispatch holds ${v.dispatch ?? 'nothing'}, intake ${v.intake}`;
  if (v.sla !== v.intake) return `sla holds ${v.sla ?? 'nothing'}, intake ${v.intake}`;
  if (v.coldchain === null && COLD_CUSTODY_STATES.has(v.intake)) return `a cold-chain parcel ${v.intake} that coldchain does not hold`;
  return null;
}

export async function accountParcels(options: AccountOptions): Promise<Account> {
  const { urls, adminKey: key } = options;
  const concurrency = options.concurrency ?? 8;
  const intake = await intakeView(urls, key);
  let dispatch = await dispatchView(urls, key);
  let cold = await coldchainView(urls, key);
  const views = await mapLimit(intake, concurrency, async (p): Promise<ParcelViews> => {
    const d = dispatch.get(p.parcelId);
    const base = {
      parcelId: p.parcelId,
      waybill: p.waybill,
      courierId: p.courierId,
      intake: p.state,
      dispatch: d?.state ?? null,
      sla: await slaState(urls, key, p.parcelId),
      coldchain: d?.coldChainProfileId ? await coldchainHolds(urls, key, cold, p.parcelId) : ('n/a' as const),
    };
    return { ...base, reason: disagreement(base) };
  });

  // Lagging consumers: read the disagreeing ones again until they agree or the time is up.
  const deadline = Date.now() + (options.settleMs ?? 0);
  let open = views.filter((v) => v.reason !== null);
  while (open.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2_000));
    dispatch = await dispatchView(urls, key);
    cold = await coldchainView(urls, key);
    await mapLimit(open, concurrency, async (v) => {
      const d = dispatch.get(v.parcelId!);
      v.intake = await intakeState(urls, key, v.parcelId!);
      v.dispatch = d?.state ?? null;
      v.sla = await slaState(urls, key, v.parcelId!);
      v.coldchain = d?.coldChainProfileId ? await coldchainHolds(urls, key, cold, v.parcelId!) : 'n/a';
      v.reason = disagreement(v);
    });
    open = open.filter((v) => v.reason !== null);
  }

  const unaccounted = views.filter((v) => v.reason !== null);
  if (options.waybills) {
    const held = new Map<string, number>();
    for (const p of intake) held.set(p.waybill, (held.get(p.waybill) ?? 0) + 1);
    for (const waybill of new Set(options.waybills)) {
      const n = held.get(waybill) ?? 0;
      if (n !== 1) {
        unaccounted.push({ parcelId: null, waybill, courierId: null, intake: null, dispatch: null, sla: null, coldchain: null, reason: n === 0 ? 'announced, not in intake' : `in intake ${n} times` });
      }
    }
  }
  const byState: Record<string, number> = {};
  for (const v of views) if (v.intake) byState[v.intake] = (byState[v.intake] ?? 0) + 1;
  return { parcels: intake.length, agreed: views.length - views.filter((v) => v.reason !== null).length, unaccounted, byState };
}
