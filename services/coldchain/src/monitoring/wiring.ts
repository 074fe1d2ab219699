import { readingsBetween } from '../readings/index.js';
import type { MonitoringPorts } from './ports.js';

/**
 * The real ports (see ports.ts): readings are the ingest's (`readingsBetween`). Until the catalogue is on main, a
 * container has no profile (it is watched for its latest reading only) and no parcels.
 */
export const monitoringPorts: MonitoringPorts = {
  profileOfContainer: async () => undefined,
  parcelsInContainer: async () => [],
  readingsBetween: (db, countyId, containerId, from, to) => readingsBetween(db, countyId, containerId, from, to),
};
