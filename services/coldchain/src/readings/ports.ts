import type { Queryable } from '@county/platform';

/**
 * What the ingest asks of the rest of coldchain. Containers are the catalogue's (`src/catalogue/`, vehicle
 * compartments and cold rooms from master data); a reading of a container the county does not have is refused.
 */
export interface ReadingsPorts {
  /** Of `containerIds`, those the county has. */
  knownContainers(db: Queryable, countyId: string, containerIds: readonly string[]): Promise<Set<string>>;
}

/**
 * Until the catalogue's containers table lands, a container is known when its id has one of the two documented
 * forms, a vehicle's `<vehicleId>/refrigerated` or a station's `<stationId>/cold-room`; after the merge this reads
 * the catalogue's table.
 */
const DOCUMENTED_FORM = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\/(refrigerated|cold-room)$/;

export const readingsPorts: ReadingsPorts = {
  async knownContainers(_db, _countyId, containerIds) {
    return new Set(containerIds.filter((id) => DOCUMENTED_FORM.test(id)));
  },
};

/** One container: the port as the task names it, for callers with a single id. */
export async function knownContainer(db: Queryable, countyId: string, containerId: string, ports: ReadingsPorts = readingsPorts): Promise<boolean> {
  return (await ports.knownContainers(db, countyId, [containerId])).has(containerId);
}
