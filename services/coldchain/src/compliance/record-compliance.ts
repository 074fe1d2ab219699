import { buildEvent, topics } from '@county/contracts';
import type { Clock, Outbox, PoolClient } from '@county/platform';
import type { Profile } from '../catalogue/domain/profiles.js';
import { bindingsOfParcels, type StoredBinding } from '../catalogue/store/bindings.js';
import { expectedProfile } from '../catalogue/store/containers.js';
import { findColdParcel, type ColdParcelRow } from '../catalogue/store/custody.js';
import { findProfile, loadSettings, plainProfile } from '../catalogue/store/profiles.js';
import { sameContent } from './domain/canonical.js';
import type { ReadingPoint } from './domain/exposure.js';
import { complianceOf, type ComplianceRecord, type ExcursionSpan, type SpanInput } from './domain/record.js';
import type { CompliancePorts } from './ports.js';
import { insertRecord, latestRecords, type StoredRecord } from './store.js';

export interface ComplianceDeps {
  outbox: Outbox;
  /** The events' source: the service. */
  source: string;
  now: Clock;
  ports: CompliancePorts;
}

/** Why a record is computed: a hand-over, a delivery or line-haul hand-over, or a revision. */
export type ComplianceCause = 'stop_handed_over' | 'delivered' | 'handed_over' | 'late_reading' | 'custody_changed' | 'binding_by_hand';

export interface ComplianceRequest {
  parcelId: string;
  cause: ComplianceCause;
  /** The hand-over or delivery; absent for a revision: the record keeps its end. */
  at?: string;
}

interface Plan {
  request: ComplianceRequest;
  parcel: ColdParcelRow;
  latest: StoredRecord | undefined;
  profile: Profile;
  until: string;
  spans: SpanInput[];
}

const MINUTE = 60_000;
const later = (a: string, b: string) => (a > b ? a : b);

/**
 * Computes the compliance record of each parcel asked for (its rows locked by the caller's transaction) and, when
 * it is the parcel's first or differs from its latest, stores it as the next revision and writes its
 * `coldchain.compliance_recorded` event to the outbox in the same transaction. A parcel without a record is
 * revised only by a hand-over or delivery: a revision needs a record to revise. Returns the records written.
 */
export async function recordCompliance(tx: PoolClient, deps: ComplianceDeps, countyId: string, requests: readonly ComplianceRequest[]): Promise<ComplianceRecord[]> {
  const latest = await latestRecords(
    tx,
    requests.map((r) => r.parcelId),
  );
  const plans: Plan[] = [];
  for (const request of mergeRequests(requests)) {
    const plan = await planOf(tx, countyId, request, latest.get(request.parcelId));
    if (plan) plans.push(plan);
  }
  const readings = await readingsFor(tx, deps.ports, countyId, plans);
  const excursions = await excursionsFor(tx, deps.ports, countyId, plans);
  const written: ComplianceRecord[] = [];
  for (const plan of plans) {
    const record = await computeAndStore(tx, deps, countyId, plan, { readings, excursions });
    if (record) written.push(record);
  }
  return written;
}

/** One request per parcel: the latest hand-over or delivery, else the revision. */
function mergeRequests(requests: readonly ComplianceRequest[]): ComplianceRequest[] {
  const byParcel = new Map<string, ComplianceRequest>();
  for (const request of requests) {
    const seen = byParcel.get(request.parcelId);
    if (!seen || (request.at !== undefined && (seen.at === undefined || request.at > seen.at))) byParcel.set(request.parcelId, request);
  }
  return [...byParcel.values()].sort((a, b) => (a.parcelId < b.parcelId ? -1 : 1));
}

async function planOf(tx: PoolClient, countyId: string, request: ComplianceRequest, latest: StoredRecord | undefined): Promise<Plan | undefined> {
  if (request.at === undefined && !latest) return undefined;
  const parcel = await findColdParcel(tx, countyId, request.parcelId);
  if (!parcel) return undefined;
  const until = request.at === undefined ? latest!.record.to : latest ? later(request.at, latest.record.to) : request.at;
  const bindings = await bindingsOfParcels(tx, countyId, [request.parcelId]);
  const spans = spansUntil(bindings, until);
  const profile = latest?.profile ?? (await profileFor(tx, countyId, parcel, spans));
  return { request, parcel, latest, profile, until, spans };
}

/** The parcel's bindings up to the record's end, each closed there. */
function spansUntil(bindings: readonly StoredBinding[], until: string): SpanInput[] {
  return bindings.flatMap((b) => {
    const to = b.to === null || b.to > until ? until : b.to;
    return b.from < to ? [{ containerId: b.containerId, from: b.from, to }] : [];
  });
}

/** The parcel's own profile when the county has it; else what its first container expects; else the county's default. */
async function profileFor(tx: PoolClient, countyId: string, parcel: ColdParcelRow, spans: readonly SpanInput[]): Promise<Profile> {
  const settings = await loadSettings(tx, countyId);
  const own = parcel.profileId === null ? undefined : await findProfile(tx, countyId, parcel.profileId);
  const first = spans[0];
  const expected = own ?? (first ? await expectedProfile(tx, countyId, first.containerId, settings.defaultProfileId) : undefined);
  const found = expected ?? (await findProfile(tx, countyId, settings.defaultProfileId));
  if (!found) throw new Error(`county ${countyId} has no profile ${settings.defaultProfileId} to judge parcel ${parcel.parcelId} by`);
  return plainProfile(found);
}

/** Each container's readings over every plan's spans of it, fetched once, from a silence gap before. */
async function readingsFor(tx: PoolClient, ports: CompliancePorts, countyId: string, plans: readonly Plan[]): Promise<Map<string, ReadingPoint[]>> {
  const ranges = new Map<string, { from: number; to: number }>();
  for (const plan of plans) {
    for (const span of plan.spans) {
      const from = Date.parse(span.from) - plan.profile.silenceGapMinutes * MINUTE;
      const to = Date.parse(span.to);
      const range = ranges.get(span.containerId);
      ranges.set(span.containerId, range ? { from: Math.min(range.from, from), to: Math.max(range.to, to) } : { from, to });
    }
  }
  const readings = new Map<string, ReadingPoint[]>();
  for (const [containerId, range] of [...ranges].sort(([a], [b]) => (a < b ? -1 : 1))) {
    readings.set(containerId, await ports.readingsBetween(tx, countyId, containerId, new Date(range.from), new Date(range.to)));
  }
  return readings;
}

/** The excursions of every plan's containers over all their spans, fetched once (the domain keeps each parcel's). */
async function excursionsFor(tx: PoolClient, ports: CompliancePorts, countyId: string, plans: readonly Plan[]): Promise<ExcursionSpan[]> {
  const spans = plans.flatMap((p) => p.spans);
  if (spans.length === 0) return [];
  const containerIds = [...new Set(spans.map((s) => s.containerId))].sort();
  const from = spans.reduce((min, s) => (s.from < min ? s.from : min), spans[0]!.from);
  const to = spans.reduce((max, s) => (s.to > max ? s.to : max), spans[0]!.to);
  return ports.excursionsBetween(tx, countyId, containerIds, new Date(from), new Date(to));
}

async function computeAndStore(
  tx: PoolClient,
  deps: ComplianceDeps,
  countyId: string,
  plan: Plan,
  { readings, excursions }: { readings: ReadonlyMap<string, ReadingPoint[]>; excursions: readonly ExcursionSpan[] },
): Promise<ComplianceRecord | undefined> {
  const content = complianceOf({
    parcelId: plan.parcel.parcelId,
    profile: plan.profile,
    spans: plan.spans,
    readings,
    excursions,
    collectedAt: plan.parcel.collectedAt,
    until: plan.until,
  });
  if (plan.latest && sameContent(content, withoutRevision(plan.latest.record))) return undefined;
  const record: ComplianceRecord = { ...content, revision: (plan.latest?.record.revision ?? 0) + 1 };
  const event = buildEvent({ type: 'coldchain.compliance_recorded', countyId, subject: record.parcelId, source: deps.source, data: record }, deps.now);
  const gapMs = plan.profile.silenceGapMinutes * MINUTE;
  const coverage = plan.spans.map((s) => ({ containerId: s.containerId, from: new Date(Date.parse(s.from) - gapMs).toISOString(), to: s.to }));
  await insertRecord(tx, countyId, { record, profile: plan.profile, cause: plan.request.cause, eventId: event.id, at: deps.now() }, coverage);
  await deps.outbox.add(tx, { topic: topics.coldchainEvents.name, key: record.parcelId, event });
  return record;
}

function withoutRevision(record: ComplianceRecord): Omit<ComplianceRecord, 'revision'> {
  const { revision: _revision, ...content } = record;
  return content;
}
