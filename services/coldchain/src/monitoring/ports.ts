import type { Queryable } from '@county/platform';

/**
 * What monitoring reads that other features of coldchain own, in one place: a container's expected product profile,
 * the parcels bound to it and the county's containers (src/catalogue/, the catalogue), and its stored readings
 * (src/readings/, the ingest). `monitoringPorts` (wiring.ts) are the real ones; tests may give their own.
 */

/** The figures of a product profile the excursion rules use (the catalogue's `Profile` has more). */
export interface MonitoredProfile {
  id: string;
  minC: number;
  maxC: number;
  toleratedMinutes: number;
  silenceGapMinutes: number;
}

/** A stored reading, as the ingest's `readingsBetween` answers it (instants ISO-8601 UTC). */
export interface ReadingPoint {
  sensorId: string;
  measuredAt: string;
  temperatureC: number;
}

export interface MonitoringPorts {
  /** The profile the container is expected to hold (its own, else the county's default); undefined: not a known container. */
  profileOfContainer(db: Queryable, countyId: string, containerId: string): Promise<MonitoredProfile | undefined>;
  /** Parcels bound to the container at any time in [from, to]. */
  parcelsInContainer(db: Queryable, countyId: string, containerId: string, from: Date, to: Date): Promise<string[]>;
  /** The county's containers in service (for the live view: those never heard from too); without it, only those heard. */
  containersOf?(db: Queryable, countyId: string): Promise<string[]>;
  /** The container's readings measured in [from, to), in time order. */
  readingsBetween(db: Queryable, countyId: string, containerId: string, from: Date, to: Date): Promise<ReadingPoint[]>;
}
