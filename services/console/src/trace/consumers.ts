import { parcelEventTypes, topics, type Envelope, type MasterDataRecords, type ParcelEventData } from '@county/contracts';
import type { ConsumerSpec, EventHandler, PoolClient } from '@county/platform';
import type { complianceRecordedSchema } from '@county/contracts';
import type { z } from 'zod';
import { addStep, removeSteps, upsertCompliance, upsertCounty, upsertParcel, upsertStation, upsertTown, upsertVillage } from './store.js';

/**
 * The trace read model's consumers (issue #14 "Public trace page"), each event applied with its inbox row in one
 * transaction by the platform's runner (effectively once). Only what a trace page shows is kept: upstream parcels'
 * facts (no recipient, no actor), compliance figures, and the names of places.
 */

/** `parcel.events`: each accepted fact of an upstream parcel, its state after it, its origin and profile. */
async function applyParcelEvent(tx: PoolClient, envelope: Envelope): Promise<void> {
  const data = envelope.data as ParcelEventData;
  if (data.direction !== 'upstream') return;
  await upsertParcel(tx, {
    parcelId: data.parcelId,
    countyId: envelope.countyId,
    originStationId: data.originStationId,
    profileId: data.parcel?.coldChainProfileId ?? null,
    state: data.state,
    at: new Date(envelope.occurredAt),
  });
  await removeSteps(tx, data.parcelId, data.supersedes);
  // a second report of a step already reported is not a new step of the journey
  if (data.confirming) return;
  await addStep(tx, data.parcelId, { factId: data.fact.id, kind: data.fact.kind, occurredAt: new Date(data.fact.occurredAt), stationId: data.fact.stationId ?? null });
}

export function traceParcelConsumer(service: string): ConsumerSpec {
  const handler: EventHandler = {
    handle: (tx, envelope) => applyParcelEvent(tx, envelope),
    handleMany: async (tx, events) => {
      for (const { envelope } of events) await applyParcelEvent(tx, envelope);
    },
  };
  return { name: `${service}.trace-parcels`, topics: [topics.parcelEvents.name], handlers: Object.fromEntries(parcelEventTypes.map((type) => [type, handler])) };
}

/** `coldchain.events`: a parcel's compliance record, its latest revision kept. */
export function traceComplianceConsumer(service: string): ConsumerSpec {
  return {
    name: `${service}.trace-compliance`,
    topics: [topics.coldchainEvents.name],
    handlers: {
      'coldchain.compliance_recorded': {
        handle: async (tx, envelope) => {
          const r = envelope.data as z.infer<typeof complianceRecordedSchema>;
          await upsertCompliance(tx, r.parcelId, r.profileId, {
            revision: r.revision,
            from: new Date(r.from),
            to: new Date(r.to),
            minutesInRange: r.minutesInRange,
            minutesOutOfRange: r.minutesOutOfRange,
            minC: r.minC,
            maxC: r.maxC,
            mktC: r.mktC,
            compliant: r.compliant,
          });
        },
      },
    },
  };
}

/** `masterdata.events`: the names of the county, its towns, villages and stations (deactivated ones keep theirs). */
export function tracePlacesConsumer(service: string): ConsumerSpec {
  const record = <E extends keyof MasterDataRecords>(envelope: Envelope) => envelope.data as MasterDataRecords[E];
  const county: EventHandler = { handle: (tx, e) => upsertCounty(tx, record<'county'>(e)) };
  const town: EventHandler = { handle: (tx, e) => upsertTown(tx, record<'town'>(e)) };
  const village: EventHandler = { handle: (tx, e) => upsertVillage(tx, record<'village'>(e)) };
  const station: EventHandler = { handle: (tx, e) => upsertStation(tx, record<'station'>(e)) };
  return {
    name: `${service}.trace-places`,
    topics: [topics.masterdata.name],
    handlers: {
      'masterdata.county_upserted': county,
      'masterdata.town_upserted': town,
      'masterdata.town_deactivated': town,
      'masterdata.village_upserted': village,
      'masterdata.village_deactivated': village,
      'masterdata.station_upserted': station,
      'masterdata.station_deactivated': station,
    },
  };
}
