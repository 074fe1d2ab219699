import type { Queryable } from '@county/platform';
import { bindingsOfParcels, type StoredBinding } from '../catalogue/store/bindings.js';
import { listContainers } from '../catalogue/store/containers.js';
import { listProfiles, loadSettings } from '../catalogue/store/profiles.js';
import { budgetOf } from './domain/budget.js';
import type { CompliancePorts } from './ports.js';

export interface ParcelBudget {
  parcelId: string;
  courierId: string | null;
  direction: string | null;
  profileId: string;
  /** The container it is in now; null when between containers (at a station without a cold room). */
  containerId: string | null;
  since: string | null;
  inTransit: boolean;
  toleratedMinutes: number;
  minutesOutOfRange: number;
  budgetLeftMinutes: number;
}

export interface ParcelFilter {
  /** Only those in transit; else also those whose custody ended since `endedSince`. */
  inTransit: boolean;
  endedSince: Date;
  courierId?: string;
  limit: number;
}

/**
 * Cold-chain parcels that have been in a container, with their remaining stability budget (domain/budget.ts),
 * least left first — what an operator moves first. In transit: custody not ended (not yet delivered, handed to
 * the line-haul, returned or lost); the others are listed only when asked, and only those ended since a time.
 */
export async function listParcelBudgets(db: Queryable, ports: CompliancePorts, countyId: string, now: Date, filter: ParcelFilter): Promise<ParcelBudget[]> {
  const { rows } = await db.query<{ parcel_id: string; courier_id: string | null; direction: string | null; profile_id: string | null; ended_at: Date | null }>(
    `SELECT p.parcel_id, p.courier_id, p.direction, p.profile_id, p.ended_at FROM cold_parcels p
      WHERE p.county_id = $1 AND (p.ended_at IS NULL OR (NOT $2 AND p.ended_at >= $4)) AND ($3::text IS NULL OR p.courier_id = $3)
        AND EXISTS (SELECT 1 FROM bindings b WHERE b.parcel_id = p.parcel_id)`,
    [countyId, filter.inTransit, filter.courierId ?? null, filter.endedSince],
  );
  if (rows.length === 0) return [];
  const bindings = groupByParcel(
    await bindingsOfParcels(
      db,
      countyId,
      rows.map((r) => r.parcel_id),
    ),
  );
  const settings = await loadSettings(db, countyId);
  const profiles = new Map((await listProfiles(db, countyId)).map((p) => [p.id, p]));
  const expected = new Map((await listContainers(db, countyId, settings.defaultProfileId)).map((c) => [c.containerId, c.profileId]));
  const containers = [...new Set([...bindings.values()].flat().map((b) => b.containerId))].sort();
  const earliest = [...bindings.values()].flat().reduce((min, b) => (b.from < min ? b.from : min), now.toISOString());
  const excursions = await ports.excursionsBetween(db, countyId, containers, new Date(earliest), now);
  const items = rows.map((row): ParcelBudget => {
    const own = bindings.get(row.parcel_id) ?? [];
    const first = own[0];
    const profile =
      (row.profile_id !== null ? profiles.get(row.profile_id) : undefined) ??
      (first ? profiles.get(expected.get(first.containerId) ?? settings.defaultProfileId) : undefined) ??
      profiles.get(settings.defaultProfileId);
    const tolerated = profile?.toleratedMinutes ?? 0;
    const open = own.find((b) => b.to === null && row.ended_at === null);
    const budget = budgetOf({ toleratedMinutes: tolerated, spans: own, excursions, now: now.toISOString() });
    return {
      parcelId: row.parcel_id,
      courierId: row.courier_id,
      direction: row.direction,
      profileId: profile?.id ?? settings.defaultProfileId,
      containerId: open?.containerId ?? null,
      since: open?.from ?? null,
      inTransit: row.ended_at === null,
      toleratedMinutes: tolerated,
      ...budget,
    };
  });
  return items.sort((a, b) => a.budgetLeftMinutes - b.budgetLeftMinutes || (a.parcelId < b.parcelId ? -1 : 1)).slice(0, filter.limit);
}

function groupByParcel(bindings: readonly StoredBinding[]): Map<string, StoredBinding[]> {
  const byParcel = new Map<string, StoredBinding[]>();
  for (const binding of bindings) byParcel.set(binding.parcelId, [...(byParcel.get(binding.parcelId) ?? []), binding]);
  return byParcel;
}
