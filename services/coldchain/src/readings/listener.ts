/**
 * What a reading looks like once stored in coldchain's `readings` table, and who hears about it.
 *
 * Instants are ISO-8601 UTC with milliseconds (`2026-07-01T08:00:30.000Z`), as in the contracts: they compare
 * as strings and sort in time order.
 */
export interface StoredReading {
  countyId: string;
  containerId: string;
  sensorId: string;
  /** When the sensor measured it (the gateway's clock, normalised to UTC). */
  measuredAt: string;
  temperatureC: number;
  humidityPct: number | null;
  /** When coldchain stored it (the runtime's clock). */
  receivedAt: string;
}

/**
 * Told about readings once they are stored. The ingest calls it after the transaction that stored a batch has
 * committed, once per container the batch touched, with that container's readings only:
 * - sorted by `measuredAt` (then `sensorId`),
 * - duplicates already dropped — a reading already stored (same container, sensor and `measuredAt`), or repeated
 *   within the batch, is not passed on again, so each stored reading is heard once,
 * - possibly older than readings heard before (out-of-order arrival, a gateway back in coverage).
 *
 * If it throws, the ingest logs it and goes on: the readings stay stored (Postgres is the truth), and the Kafka
 * or MQTT message is still acknowledged. A listener that must not miss readings re-reads them with
 * `readingsBetween` on its own recovery path.
 *
 * The monitoring feature (`src/monitoring/`) implements it.
 */
export interface ReadingsListener {
  onReadings(countyId: string, containerId: string, readings: StoredReading[]): Promise<void>;
}

/** A listener that does nothing: for a service or a test with no monitoring wired in. */
export const noReadingsListener: ReadingsListener = {
  async onReadings() {},
};
