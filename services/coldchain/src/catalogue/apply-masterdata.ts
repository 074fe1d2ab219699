import type { Envelope, Station, Vehicle } from '@county/contracts';
import type { PoolClient } from '@county/platform';
import { stationContainer, vehicleContainer } from './domain/containers.js';
import { applyContainer } from './store/containers.js';
import { seedProfiles } from './store/profiles.js';

/** The master-data events the catalogue reads: the county (its profiles are seeded), vehicles and stations. */
export const masterDataEventsRead = [
  'masterdata.county_upserted',
  'masterdata.vehicle_upserted',
  'masterdata.vehicle_deactivated',
  'masterdata.station_upserted',
  'masterdata.station_deactivated',
] as const;

/**
 * A county's first master data seeds its profiles; a refrigerated vehicle's compartment and a station's cold room
 * become containers (docs/architecture.md: the compacted topic gives a late starter the current records).
 * A record of another county than its event's is a producer's bug: refused with the reason.
 */
export async function applyMasterData(tx: PoolClient, envelope: Envelope, at: Date): Promise<{ problem: string } | undefined> {
  const { countyId } = envelope;
  if (envelope.type === 'masterdata.county_upserted') {
    const county = envelope.data as { id: string };
    if (county.id !== countyId) return { problem: `the county ${county.id} is not the event's county ${countyId}` };
    await seedProfiles(tx, countyId, at);
    return undefined;
  }
  const record = envelope.data as Vehicle | Station;
  if (record.countyId !== countyId) return { problem: `a record of county ${record.countyId} on an event of county ${countyId}` };
  await seedProfiles(tx, countyId, at);
  const row = envelope.type.startsWith('masterdata.vehicle_') ? vehicleContainer(record as Vehicle) : stationContainer(record as Station);
  await applyContainer(tx, row);
  return undefined;
}
