import { parcelsInContainer, profileOfContainer } from '../catalogue/index.js';
import { readingsBetween } from '../readings/index.js';
import type { MonitoringPorts } from './ports.js';

/**
 * The real ports (see ports.ts): a container's expected profile and the parcels bound to it are the catalogue's,
 * its readings the ingest's (`readingsBetween`).
 */
export const monitoringPorts: MonitoringPorts = {
  profileOfContainer: (db, countyId, containerId) => profileOfContainer(db, countyId, containerId),
  parcelsInContainer: (db, countyId, containerId, from, to) => parcelsInContainer(db, countyId, containerId, from, to),
  readingsBetween: (db, countyId, containerId, from, to) => readingsBetween(db, countyId, containerId, from, to),
};
