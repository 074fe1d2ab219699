import { parcelsInContainer, profileOfContainer } from '../catalogue/index.js';
import { listContainers } from '../catalogue/store/containers.js';
import { loadSettings } from '../catalogue/store/profiles.js';
import { readingsBetween } from '../readings/index.js';
import type { MonitoringPorts } from './ports.js';

/**
 * The real ports (see ports.ts): a container's expected profile, the parcels bound to it and the county's containers
 * are the catalogue's, its readings the ingest's (`readingsBetween`).
 */
export const monitoringPorts: MonitoringPorts = {
  profileOfContainer: (db, countyId, containerId) => profileOfContainer(db, countyId, containerId),
  parcelsInContainer: (db, countyId, containerId, from, to) => parcelsInContainer(db, countyId, containerId, from, to),
  containersOf: async (db, countyId) => {
    const settings = await loadSettings(db, countyId);
    return (await listContainers(db, countyId, settings.defaultProfileId, { active: true })).map((c) => c.containerId);
  },
  readingsBetween: (db, countyId, containerId, from, to) => readingsBetween(db, countyId, containerId, from, to),
};
