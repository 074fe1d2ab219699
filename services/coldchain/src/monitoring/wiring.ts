import { parcelsInContainer, profileOfContainer } from '../catalogue/index.js';
import { bindingsOfParcels } from '../catalogue/store/bindings.js';
import { listContainers } from '../catalogue/store/containers.js';
import { loadSettings } from '../catalogue/store/profiles.js';
import { readingsBetween } from '../readings/index.js';
import type { MonitoringPorts } from './ports.js';

/**
 * The real ports (see ports.ts): a container's expected profile, the parcels bound to it, the county's containers and
 * the cold-chain parcels' collection and stays are the catalogue's, its readings the ingest's (`readingsBetween`).
 */
export const monitoringPorts: MonitoringPorts = {
  profileOfContainer: (db, countyId, containerId) => profileOfContainer(db, countyId, containerId),
  parcelsInContainer: (db, countyId, containerId, from, to) => parcelsInContainer(db, countyId, containerId, from, to),
  containersOf: async (db, countyId) => {
    const settings = await loadSettings(db, countyId);
    return (await listContainers(db, countyId, settings.defaultProfileId, { active: true })).map((c) => c.containerId);
  },
  // The catalogue's cold-chain parcels (collected_at from its custody facts) and their profiles' pre-cooling rule.
  precoolingDue: async (db, from, to) => {
    const { rows } = await db.query<{ county_id: string; parcel_id: string; profile_id: string; collected_at: Date; precool_target_c: number; precool_within_hours: number }>(
      `SELECT cp.county_id, cp.parcel_id, cp.profile_id, cp.collected_at, p.precool_target_c, p.precool_within_hours
         FROM cold_parcels cp JOIN profiles p ON p.county_id = cp.county_id AND p.profile_id = cp.profile_id
        WHERE cp.collected_at IS NOT NULL AND p.precool_target_c IS NOT NULL
          AND cp.collected_at + p.precool_within_hours * interval '1 hour' BETWEEN $1 AND $2
        ORDER BY cp.collected_at, cp.parcel_id`,
      [from, to],
    );
    return rows.map((r) => ({
      countyId: r.county_id,
      parcelId: r.parcel_id,
      profileId: r.profile_id,
      collectedAt: r.collected_at.toISOString(),
      targetC: r.precool_target_c,
      withinHours: r.precool_within_hours,
    }));
  },
  staysOf: async (db, countyId, parcelId) => (await bindingsOfParcels(db, countyId, [parcelId])).map((b) => ({ containerId: b.containerId, from: b.from, to: b.to })),
  readingsBetween: (db, countyId, containerId, from, to) => readingsBetween(db, countyId, containerId, from, to),
};
