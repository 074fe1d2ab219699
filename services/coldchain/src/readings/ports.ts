import type { Queryable } from '@county/platform';
import { knownContainers } from '../catalogue/index.js';

/**
 * What the ingest asks of the rest of coldchain. Containers are the catalogue's (`src/catalogue/`, vehicle
 * compartments and cold rooms from master data); a reading of a container the county does not have is refused.
 */
export interface ReadingsPorts {
  /** Of `containerIds`, those the county has. */
  knownContainers(db: Queryable, countyId: string, containerIds: readonly string[]): Promise<Set<string>>;
}

/**
 * The catalogue's `containers` table answers, in the ingest's transaction: a container is known once master data
 * made it (a refrigerated vehicle's `<vehicleId>/refrigerated`, a station's with cold storage `<stationId>/cold-room`),
 * in service or retired (a retired vehicle's late readings still name it).
 */
export const readingsPorts: ReadingsPorts = { knownContainers };

/** One container: the port as the task names it, for callers with a single id. */
export async function knownContainer(db: Queryable, countyId: string, containerId: string, ports: ReadingsPorts = readingsPorts): Promise<boolean> {
  return (await ports.knownContainers(db, countyId, [containerId])).has(containerId);
}
