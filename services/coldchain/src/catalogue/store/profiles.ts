import type { Queryable } from '@county/platform';
import { FALLBACK_DEFAULT_PROFILE_ID, seededProfiles, type Profile } from '../domain/profiles.js';

/** Profiles and the county's default (migration 0030). */

interface ProfileRow {
  profile_id: string;
  name: string;
  name_zh: string | null;
  min_c: number;
  max_c: number;
  tolerated_minutes: number;
  mkt_limit_c: number;
  activation_energy_kj_mol: number;
  precool_target_c: number | null;
  precool_within_hours: number | null;
  silence_gap_minutes: number;
  sources: Profile['sources'];
  seeded: boolean;
  updated_at: Date;
  updated_by: string | null;
}

export interface StoredProfile extends Profile {
  seeded: boolean;
  updatedAt: string;
  updatedBy: string | null;
}

const COLUMNS = `profile_id, name, name_zh, min_c, max_c, tolerated_minutes, mkt_limit_c, activation_energy_kj_mol,
                 precool_target_c, precool_within_hours, silence_gap_minutes, sources, seeded, updated_at, updated_by`;

export function profileOfRow(row: ProfileRow): StoredProfile {
  return {
    id: row.profile_id,
    name: row.name,
    nameZh: row.name_zh,
    minC: row.min_c,
    maxC: row.max_c,
    toleratedMinutes: row.tolerated_minutes,
    mktLimitC: row.mkt_limit_c,
    activationEnergyKjPerMol: row.activation_energy_kj_mol,
    precooling: row.precool_target_c === null || row.precool_within_hours === null ? null : { targetC: row.precool_target_c, withinHours: row.precool_within_hours },
    silenceGapMinutes: row.silence_gap_minutes,
    sources: row.sources,
    seeded: row.seeded,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

/** The profile's figures alone, without who changed it when. */
export function plainProfile(stored: StoredProfile): Profile {
  const { seeded: _seeded, updatedAt: _updatedAt, updatedBy: _updatedBy, ...profile } = stored;
  return profile;
}

/**
 * Gives the county the seeded profiles, once: a county that deleted or changed one keeps its choice. Safe to call
 * on every event and request of the county (one indexed read once seeded).
 */
export async function seedProfiles(db: Queryable, countyId: string, at: Date): Promise<void> {
  const { rows } = await db.query(`SELECT 1 FROM profile_seeds WHERE county_id = $1`, [countyId]);
  if (rows.length > 0) return;
  await db.query(
    `WITH claimed AS (INSERT INTO profile_seeds (county_id, seeded_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING county_id)
     INSERT INTO profiles (county_id, profile_id, name, name_zh, min_c, max_c, tolerated_minutes, mkt_limit_c, activation_energy_kj_mol,
                           precool_target_c, precool_within_hours, silence_gap_minutes, sources, seeded, updated_at, updated_by)
     SELECT c.county_id, p.id, p.name, p.name_zh, p.min_c, p.max_c, p.tolerated_minutes, p.mkt_limit_c, p.ea,
            p.precool_target_c, p.precool_within_hours, p.gap, p.sources, true, $2, NULL
       FROM claimed c,
            jsonb_to_recordset($3::jsonb) AS p(id text, name text, name_zh text, min_c float8, max_c float8, tolerated_minutes float8,
                                               mkt_limit_c float8, ea float8, precool_target_c float8, precool_within_hours float8, gap float8, sources jsonb)
     ON CONFLICT (county_id, profile_id) DO NOTHING`,
    [
      countyId,
      at,
      JSON.stringify(
        seededProfiles.map((p) => ({
          id: p.id,
          name: p.name,
          name_zh: p.nameZh,
          min_c: p.minC,
          max_c: p.maxC,
          tolerated_minutes: p.toleratedMinutes,
          mkt_limit_c: p.mktLimitC,
          ea: p.activationEnergyKjPerMol,
          precool_target_c: p.precooling?.targetC ?? null,
          precool_within_hours: p.precooling?.withinHours ?? null,
          gap: p.silenceGapMinutes,
          sources: p.sources,
        })),
      ),
    ],
  );
}

export async function listProfiles(db: Queryable, countyId: string): Promise<StoredProfile[]> {
  const { rows } = await db.query<ProfileRow>(`SELECT ${COLUMNS} FROM profiles WHERE county_id = $1 ORDER BY profile_id`, [countyId]);
  return rows.map(profileOfRow);
}

export async function findProfile(db: Queryable, countyId: string, profileId: string): Promise<StoredProfile | undefined> {
  const { rows } = await db.query<ProfileRow>(`SELECT ${COLUMNS} FROM profiles WHERE county_id = $1 AND profile_id = $2`, [countyId, profileId]);
  return rows[0] && profileOfRow(rows[0]);
}

/** Creates or replaces a profile; whether it was new. */
export async function saveProfile(db: Queryable, countyId: string, profile: Profile, by: string, at: Date): Promise<boolean> {
  const { rows } = await db.query<{ created: boolean }>(
    `INSERT INTO profiles (county_id, profile_id, name, name_zh, min_c, max_c, tolerated_minutes, mkt_limit_c, activation_energy_kj_mol,
                           precool_target_c, precool_within_hours, silence_gap_minutes, sources, seeded, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, false, $14, $15)
     ON CONFLICT (county_id, profile_id) DO UPDATE SET
       name = EXCLUDED.name, name_zh = EXCLUDED.name_zh, min_c = EXCLUDED.min_c, max_c = EXCLUDED.max_c,
       tolerated_minutes = EXCLUDED.tolerated_minutes, mkt_limit_c = EXCLUDED.mkt_limit_c,
       activation_energy_kj_mol = EXCLUDED.activation_energy_kj_mol, precool_target_c = EXCLUDED.precool_target_c,
       precool_within_hours = EXCLUDED.precool_within_hours, silence_gap_minutes = EXCLUDED.silence_gap_minutes,
       sources = EXCLUDED.sources, seeded = false, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
     RETURNING (xmax = 0) AS created`,
    [
      countyId,
      profile.id,
      profile.name,
      profile.nameZh,
      profile.minC,
      profile.maxC,
      profile.toleratedMinutes,
      profile.mktLimitC,
      profile.activationEnergyKjPerMol,
      profile.precooling?.targetC ?? null,
      profile.precooling?.withinHours ?? null,
      profile.silenceGapMinutes,
      JSON.stringify(profile.sources),
      at,
      by,
    ],
  );
  return rows[0]!.created;
}

export async function deleteProfile(db: Queryable, countyId: string, profileId: string): Promise<boolean> {
  const result = await db.query(`DELETE FROM profiles WHERE county_id = $1 AND profile_id = $2`, [countyId, profileId]);
  return (result.rowCount ?? 0) > 0;
}

/** Serialises the writers of one county's profiles and containers' profiles, so a delete cannot race a use. */
export async function lockProfiles(db: Queryable, countyId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('coldchain.profiles'), hashtext($1))`, [countyId]);
}

export interface CatalogueSettings {
  defaultProfileId: string;
  updatedAt: string | null;
  updatedBy: string | null;
}

export async function loadSettings(db: Queryable, countyId: string): Promise<CatalogueSettings> {
  const { rows } = await db.query<{ default_profile_id: string; updated_at: Date; updated_by: string }>(
    `SELECT default_profile_id, updated_at, updated_by FROM catalogue_settings WHERE county_id = $1`,
    [countyId],
  );
  const row = rows[0];
  return row
    ? { defaultProfileId: row.default_profile_id, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by }
    : { defaultProfileId: FALLBACK_DEFAULT_PROFILE_ID, updatedAt: null, updatedBy: null };
}

export async function saveSettings(db: Queryable, countyId: string, defaultProfileId: string, by: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO catalogue_settings (county_id, default_profile_id, updated_at, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (county_id) DO UPDATE SET default_profile_id = EXCLUDED.default_profile_id, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [countyId, defaultProfileId, at, by],
  );
}

/** Who uses a profile: the county's default, or containers expecting it. */
export async function profileUses(db: Queryable, countyId: string, profileId: string): Promise<{ isDefault: boolean; containerIds: string[] }> {
  const settings = await loadSettings(db, countyId);
  const { rows } = await db.query<{ container_id: string }>(
    `SELECT container_id FROM containers WHERE county_id = $1 AND profile_id = $2 ORDER BY container_id LIMIT 20`,
    [countyId, profileId],
  );
  return { isDefault: settings.defaultProfileId === profileId, containerIds: rows.map((r) => r.container_id) };
}
