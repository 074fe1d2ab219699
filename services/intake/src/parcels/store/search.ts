import type { Direction, ParcelState } from '@county/contracts';
import type { Queryable } from '@county/platform';
import type { Cursor } from '../domain/cursor.js';
import { parcelHeadOf, type ParcelHeadRow } from './parcels.js';
import { parcelSummary, type ParcelSummary } from '../domain/view.js';

export interface ParcelSearch {
  countyId: string;
  state?: ParcelState;
  courierId?: string;
  /** Parcels to or from the station. */
  stationId?: string;
  direction?: Direction;
  /** Registered at or after. */
  from?: Date;
  /** Registered before. */
  to?: Date;
  limit: number;
  after?: Cursor;
}

interface SummaryRow extends ParcelHeadRow {
  created_at_exact: string;
}

/** The WHERE clause of a search's filters, its parameters, and a binder for more. */
function filtersOf(search: Omit<ParcelSearch, 'limit' | 'after'>): { where: string[]; params: unknown[]; bind: (value: unknown) => string } {
  const params: unknown[] = [search.countyId];
  const where = ['county_id = $1'];
  const bind = (value: unknown) => `$${params.push(value)}`;
  if (search.state) where.push(`state = ${bind(search.state)}`);
  if (search.courierId) where.push(`courier_id = ${bind(search.courierId)}`);
  if (search.direction) where.push(`direction = ${bind(search.direction)}`);
  if (search.stationId) {
    const station = bind(search.stationId);
    where.push(`(destination_station_id = ${station} OR origin_station_id = ${station})`);
  }
  if (search.from) where.push(`created_at >= ${bind(search.from.toISOString())}`);
  if (search.to) where.push(`created_at < ${bind(search.to.toISOString())}`);
  return { where, params, bind };
}

/**
 * One page of a county's parcels in registration order, by keyset on (created_at, id): a page is
 * the same whatever was registered after it, and every parcel appears exactly once across pages.
 */
export async function searchParcels(db: Queryable, search: ParcelSearch): Promise<{ items: ParcelSummary[]; next: Cursor | null }> {
  const { where, params, bind } = filtersOf(search);
  if (search.after) where.push(`(created_at, id) > (${bind(search.after.createdAt)}::timestamptz, ${bind(search.after.id)}::uuid)`);
  const { rows } = await db.query<SummaryRow>(
    `SELECT id, county_id, courier_id, waybill, direction, state, progress, exception, destination_station_id, origin_station_id,
            town_station_id, received_at, created_at, updated_at,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_exact
     FROM parcels WHERE ${where.join(' AND ')}
     ORDER BY created_at, id LIMIT ${bind(search.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => parcelSummary(parcelHeadOf(row))),
    next: rows.length > search.limit && last ? { createdAt: last.created_at_exact, id: last.id } : null,
  };
}

export interface ParcelCounts {
  total: number;
  /** Parcels with an open exception (damaged, refused, address unknown…). */
  exceptions: number;
  byState: Record<string, number>;
  byDirection: Record<string, number>;
  byCourier: { courierId: string; total: number; byState: Record<string, number>; byDirection: Record<string, number> }[];
}

/** How many parcels the search's filters select (no pagination), by state, direction and courier. */
export async function countParcels(db: Queryable, search: Omit<ParcelSearch, 'limit' | 'after'>): Promise<ParcelCounts> {
  const { where, params } = filtersOf(search);
  const { rows } = await db.query<{ courier_id: string; direction: string; state: string; n: string; exceptions: string }>(
    `SELECT courier_id, direction, state, count(*) AS n, count(*) FILTER (WHERE exception IS NOT NULL) AS exceptions FROM parcels WHERE ${where.join(' AND ')}
     GROUP BY courier_id, direction, state ORDER BY courier_id, direction, state`,
    params,
  );
  const counts: ParcelCounts = { total: 0, exceptions: 0, byState: {}, byDirection: {}, byCourier: [] };
  const couriers = new Map<string, ParcelCounts['byCourier'][number]>();
  for (const row of rows) {
    const n = Number(row.n);
    counts.total += n;
    counts.exceptions += Number(row.exceptions);
    counts.byState[row.state] = (counts.byState[row.state] ?? 0) + n;
    counts.byDirection[row.direction] = (counts.byDirection[row.direction] ?? 0) + n;
    let courier = couriers.get(row.courier_id);
    if (!courier) couriers.set(row.courier_id, (courier = { courierId: row.courier_id, total: 0, byState: {}, byDirection: {} }));
    courier.total += n;
    courier.byState[row.state] = (courier.byState[row.state] ?? 0) + n;
    courier.byDirection[row.direction] = (courier.byDirection[row.direction] ?? 0) + n;
  }
  counts.byCourier = [...couriers.values()];
  return counts;
}
