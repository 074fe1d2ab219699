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

/**
 * The catalogue's answer remembered where it is yes: a container, once made, is never deleted (a retired one stays,
 * inactive), so a container known once is known for good, and a gateway's every message after its first skips the
 * look-up. A no is asked again each time (master data may add the container any moment). At most `limit` entries;
 * past that it starts afresh.
 */
export function rememberingKnownContainers(ports: ReadingsPorts, limit = 100_000): ReadingsPorts {
  const known = new Set<string>();
  const keyOf = (countyId: string, containerId: string) => `${countyId}\u0000${containerId}`;
  return {
    async knownContainers(db, countyId, containerIds) {
      const unsure = containerIds.filter((id) => !known.has(keyOf(countyId, id)));
      const found = unsure.length > 0 ? await ports.knownContainers(db, countyId, unsure) : new Set<string>();
      if (known.size + found.size > limit) known.clear();
      for (const id of found) known.add(keyOf(countyId, id));
      return new Set(containerIds.filter((id) => found.has(id) || known.has(keyOf(countyId, id))));
    },
  };
}

/** One container: the port as the task names it, for callers with a single id. */
export async function knownContainer(db: Queryable, countyId: string, containerId: string, ports: ReadingsPorts = readingsPorts): Promise<boolean> {
  return (await ports.knownContainers(db, countyId, [containerId])).has(containerId);
}
