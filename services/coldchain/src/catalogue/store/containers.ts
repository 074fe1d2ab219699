import type { Queryable } from '@county/platform';
import type { ContainerKind, ContainerRow } from '../domain/containers.js';
import { profileOfRow, type StoredProfile } from './profiles.js';

/** Containers (migration 0030), from master data, each with its expected profile. */

/** A container active in master data is written; an inactive one only updates the row it had. */
export async function applyContainer(db: Queryable, row: ContainerRow): Promise<void> {
  const values = [row.countyId, row.containerId, row.kind, row.vehicleId, row.stationId, row.capacityM3, row.active];
  if (row.active) {
    await db.query(
      `INSERT INTO containers (county_id, container_id, kind, vehicle_id, station_id, capacity_m3, active, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (county_id, container_id) DO UPDATE SET capacity_m3 = EXCLUDED.capacity_m3, active = EXCLUDED.active, updated_at = now()`,
      values,
    );
  } else {
    await db.query(`UPDATE containers SET active = false, updated_at = now() WHERE county_id = $1 AND container_id = $2`, [row.countyId, row.containerId]);
  }
}

export interface StoredContainer {
  containerId: string;
  kind: ContainerKind;
  vehicleId: string | null;
  stationId: string | null;
  capacityM3: number | null;
  active: boolean;
  /** The profile it expects: its own, else the county's default. */
  profileId: string;
  /** Whether `profileId` is its own or the county's default. */
  profileFrom: 'container' | 'county_default';
  profileSetBy: string | null;
  profileSetAt: string | null;
}

interface ContainerQueryRow {
  container_id: string;
  kind: ContainerKind;
  vehicle_id: string | null;
  station_id: string | null;
  capacity_m3: number | null;
  active: boolean;
  profile_id: string | null;
  profile_set_by: string | null;
  profile_set_at: Date | null;
  default_profile_id: string;
}

const SELECT = `SELECT c.container_id, c.kind, c.vehicle_id, c.station_id, c.capacity_m3, c.active, c.profile_id, c.profile_set_by, c.profile_set_at,
                       COALESCE(s.default_profile_id, $2) AS default_profile_id
                  FROM containers c LEFT JOIN catalogue_settings s ON s.county_id = c.county_id`;

const containerOf = (row: ContainerQueryRow): StoredContainer => ({
  containerId: row.container_id,
  kind: row.kind,
  vehicleId: row.vehicle_id,
  stationId: row.station_id,
  capacityM3: row.capacity_m3,
  active: row.active,
  profileId: row.profile_id ?? row.default_profile_id,
  profileFrom: row.profile_id === null ? 'county_default' : 'container',
  profileSetBy: row.profile_set_by,
  profileSetAt: row.profile_set_at?.toISOString() ?? null,
});

export async function listContainers(
  db: Queryable,
  countyId: string,
  fallbackProfileId: string,
  filter: { vehicleIds?: readonly string[]; kind?: ContainerKind; active?: boolean } = {},
): Promise<StoredContainer[]> {
  const { rows } = await db.query<ContainerQueryRow>(
    `${SELECT}
      WHERE c.county_id = $1
        AND ($3::text[] IS NULL OR c.vehicle_id = ANY($3))
        AND ($4::text IS NULL OR c.kind = $4)
        AND ($5::boolean IS NULL OR c.active = $5)
      ORDER BY c.container_id`,
    [countyId, fallbackProfileId, filter.vehicleIds ?? null, filter.kind ?? null, filter.active ?? null],
  );
  return rows.map(containerOf);
}

export async function findContainer(db: Queryable, countyId: string, containerId: string, fallbackProfileId: string): Promise<StoredContainer | undefined> {
  const { rows } = await db.query<ContainerQueryRow>(`${SELECT} WHERE c.county_id = $1 AND c.container_id = $3`, [countyId, fallbackProfileId, containerId]);
  return rows[0] && containerOf(rows[0]);
}

export async function setContainerProfile(db: Queryable, countyId: string, containerId: string, profileId: string | null, by: string, at: Date): Promise<boolean> {
  const result = await db.query(
    `UPDATE containers SET profile_id = $3, profile_set_by = $4, profile_set_at = $5, updated_at = now() WHERE county_id = $1 AND container_id = $2`,
    [countyId, containerId, profileId, by, at],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Whether coldchain knows the container (active or not: the past of a retired vehicle still names it). */
export async function containerExists(db: Queryable, countyId: string, containerId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM containers WHERE county_id = $1 AND container_id = $2`, [countyId, containerId]);
  return rows.length > 0;
}

/** Of these container ids, those the county has (active or not). */
export async function existingContainers(db: Queryable, countyId: string, containerIds: readonly string[]): Promise<Set<string>> {
  if (containerIds.length === 0) return new Set();
  const { rows } = await db.query<{ container_id: string }>(`SELECT container_id FROM containers WHERE county_id = $1 AND container_id = ANY($2)`, [
    countyId,
    [...new Set(containerIds)],
  ]);
  return new Set(rows.map((r) => r.container_id));
}

/** The cold rooms in service at the stations named (container ids). */
export async function coldRoomsOf(db: Queryable, countyId: string, stationIds: readonly string[]): Promise<Set<string>> {
  if (stationIds.length === 0) return new Set();
  const { rows } = await db.query<{ container_id: string }>(
    `SELECT container_id FROM containers WHERE county_id = $1 AND kind = 'cold_room' AND active AND station_id = ANY($2)`,
    [countyId, [...new Set(stationIds)]],
  );
  return new Set(rows.map((r) => r.container_id));
}

/** The profile a container expects (its own, else the county's default), with the profile's figures. */
export async function expectedProfile(db: Queryable, countyId: string, containerId: string, fallbackProfileId: string): Promise<StoredProfile | undefined> {
  const { rows } = await db.query(
    `SELECT p.profile_id, p.name, p.name_zh, p.min_c, p.max_c, p.tolerated_minutes, p.mkt_limit_c, p.activation_energy_kj_mol,
            p.precool_target_c, p.precool_within_hours, p.silence_gap_minutes, p.sources, p.seeded, p.updated_at, p.updated_by
       FROM containers c
       LEFT JOIN catalogue_settings s ON s.county_id = c.county_id
       JOIN profiles p ON p.county_id = c.county_id AND p.profile_id = COALESCE(c.profile_id, s.default_profile_id, $3)
      WHERE c.county_id = $1 AND c.container_id = $2`,
    [countyId, containerId, fallbackProfileId],
  );
  return rows[0] && profileOfRow(rows[0]);
}
