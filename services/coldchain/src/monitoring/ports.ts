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

/** A cold-chain parcel whose pre-cooling window ended: when it was collected and what its profile asks. */
export interface PrecoolingDue {
  countyId: string;
  parcelId: string;
  profileId: string;
  collectedAt: string;
  targetC: number;
  withinHours: number;
}

/** Where a parcel was: a container from `from` until `to` (null: still in it). */
export interface ParcelStay {
  containerId: string;
  from: string;
  to: string | null;
}

export interface MonitoringPorts {
  /** The profile the container is expected to hold (its own, else the county's default); undefined: not a known container. */
  profileOfContainer(db: Queryable, countyId: string, containerId: string): Promise<MonitoredProfile | undefined>;
  /** Parcels bound to the container at any time in [from, to]. */
  parcelsInContainer(db: Queryable, countyId: string, containerId: string, from: Date, to: Date): Promise<string[]>;
  /** The county's containers in service (for the live view: those never heard from too); without it, only those heard. */
  containersOf?(db: Queryable, countyId: string): Promise<string[]>;
  /** Collected cold-chain parcels whose profile requires pre-cooling and whose window ended in [from, to]. */
  precoolingDue?(db: Queryable, from: Date, to: Date): Promise<PrecoolingDue[]>;
  /** The containers a parcel was in, and when. */
  staysOf?(db: Queryable, countyId: string, parcelId: string): Promise<ParcelStay[]>;
  /** The container's readings measured in [from, to), in time order. */
  readingsBetween(db: Queryable, countyId: string, containerId: string, from: Date, to: Date): Promise<ReadingPoint[]>;
}
