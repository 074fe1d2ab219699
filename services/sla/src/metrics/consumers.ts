import { topics, type Envelope } from '@county/contracts';
import { RejectedError, type ConsumerSpec, type EventHandler, type PoolClient } from '@county/platform';
import { applyCompliance, applyHandOvers, applyMasterData, applyWaveCosts, type ComplianceRecord, type HandOver, type WaveCostRow } from './consumer-store.js';
import { masterDataCountyProblem } from './domain/master-data.js';

/**
 * The metrics' consumers (README "Metrics"). The platform's runner applies each event with its inbox row in one
 * transaction (effectively once; a replayed event is skipped there), and runs of events in one (`handleMany`).
 * Each write is also idempotent on its own key, and order-free: a late hand-over adds its row, a wave's costing
 * keeps the latest confirmation, a compliance record keeps the highest revision.
 */

type Data = Record<string, unknown>;

function handOver(e: Envelope): HandOver {
  const d = e.data as Data;
  return {
    countyId: e.countyId,
    routeId: d.routeId as string,
    stationId: d.stationId as string,
    sequence: d.sequence as number,
    serviceDate: d.date as string,
    handedOverAt: d.handedOverAt as string,
    parcels: (d.parcelIds as string[]).length,
  };
}

function waveCost(e: Envelope): WaveCostRow {
  const d = e.data as { planId: string; date: string; waveId: string; confirmedAt: string; parcels: number; cost: { total: number }; counterfactual: { cost: { total: number } }; surveyedCostPerParcel: number };
  return {
    countyId: e.countyId,
    serviceDate: d.date,
    waveId: d.waveId,
    planId: d.planId,
    confirmedAt: d.confirmedAt,
    parcels: d.parcels,
    costYuan: d.cost.total,
    counterfactualCostYuan: d.counterfactual.cost.total,
    surveyedCostPerParcelYuan: d.surveyedCostPerParcel,
  };
}

function compliance(e: Envelope): ComplianceRecord {
  const d = e.data as { parcelId: string; revision: number; profileId: string; to: string; compliant: boolean };
  return { countyId: e.countyId, parcelId: d.parcelId, revision: d.revision, profileId: d.profileId, to: d.to, compliant: d.compliant };
}

/** `dispatch.events`: hand-overs (coverage) and wave costs (cost per parcel); the rest is the timeline's business. */
export function metricsDispatchConsumer(service: string): ConsumerSpec {
  const handOvers: EventHandler = {
    handle: (tx: PoolClient, e: Envelope) => applyHandOvers(tx, [handOver(e)]),
    handleMany: (tx, events) => applyHandOvers(tx, events.map((x) => handOver(x.envelope))),
  };
  const costs: EventHandler = {
    handle: (tx: PoolClient, e: Envelope) => applyWaveCosts(tx, [waveCost(e)]),
    handleMany: (tx, events) => applyWaveCosts(tx, events.map((x) => waveCost(x.envelope))),
  };
  return {
    name: `${service}.metrics-dispatch`,
    topics: [topics.dispatchEvents.name],
    handlers: { 'dispatch.stop_handed_over': handOvers, 'dispatch.wave_costed': costs },
  };
}

/** `coldchain.events`: each cold-chain parcel's compliance, its latest revision. */
export function metricsColdchainConsumer(service: string): ConsumerSpec {
  const handler: EventHandler = {
    handle: (tx: PoolClient, e: Envelope) => applyCompliance(tx, [compliance(e)]),
    handleMany: (tx, events) => applyCompliance(tx, events.map((x) => compliance(x.envelope))),
  };
  return { name: `${service}.metrics-coldchain`, topics: [topics.coldchainEvents.name], handlers: { 'coldchain.compliance_recorded': handler } };
}

const masterTypes = [
  'masterdata.county_upserted',
  'masterdata.town_upserted',
  'masterdata.town_deactivated',
  'masterdata.village_upserted',
  'masterdata.village_deactivated',
  'masterdata.station_upserted',
  'masterdata.station_deactivated',
] as const;

/** `masterdata.events`: the county's time zone, its towns, villages and stations, as coverage counts them; a record of another county than its event's is rejected (dead-lettered), as the timeline's copy does. */
export function metricsMasterDataConsumer(service: string): ConsumerSpec {
  const handler: EventHandler = {
    handle: (tx: PoolClient, e: Envelope) => {
      const problem = masterDataCountyProblem(e.type, e.countyId, e.data as Data);
      if (problem) throw new RejectedError(problem.message, [{ path: problem.path, reason: problem.reason }]);
      return applyMasterData(tx, e.type, e.countyId, e.data as Data);
    },
  };
  return { name: `${service}.metrics-masterdata`, topics: [topics.masterdata.name], handlers: Object.fromEntries(masterTypes.map((t) => [t, handler])) };
}
