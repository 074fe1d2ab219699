import type { z } from 'zod';
import type { complianceRecordedSchema } from '@county/contracts';
import type { Profile } from '../../catalogue/domain/profiles.js';
import { exposureOf, unionLength, type ReadingPoint } from './exposure.js';
import { meanKineticTemperature } from './mkt.js';

/**
 * A cold-chain parcel's compliance record (issue #11; what a TempTale or Controlant report gives a quality
 * manager): over every container it was in, while it was in it, the readings, time in and out of range, min, max,
 * MKT, the excursions it went through and its pre-cooling; compliant or not, and why not.
 *
 * Not compliant when any of these holds (each a reason, `code: explanation`):
 * - `tolerance_exceeded`: out of range longer in total than the profile tolerates;
 * - `mkt_exceeded`: MKT above the profile's limit;
 * - `precooling_missed`: the profile asks for pre-cooling and no reading of its containers was below the target
 *   within the window after collection (also when it left the county's custody before, still not below it);
 * - `no_readings`: it was in containers but none of their sensors read anything while it was there;
 * - `readings_missing`: time without any reading exceeds the tolerance — it could have been out of range that long;
 * - `no_custody`: a cold-chain parcel handed over or delivered without having been in any container.
 * Excursions are listed for what they were; a parcel's own minutes out of range are what judge it.
 */
export type ComplianceRecord = z.infer<typeof complianceRecordedSchema>;
export type ComplianceContent = Omit<ComplianceRecord, 'revision'>;

export interface SpanInput {
  containerId: string;
  /** ISO-8601 UTC, `from` < `to`. */
  from: string;
  to: string;
}

export interface ExcursionSpan {
  excursionId: string;
  containerId: string;
  startedAt: string;
  /** null: still open. */
  endedAt: string | null;
}

export interface ComplianceInput {
  parcelId: string;
  profile: Profile;
  /** The parcel's bindings up to the record's end, each closed. */
  spans: readonly SpanInput[];
  /** Each container's readings from at least the profile's silence gap before its first span to its last span's end. */
  readings: ReadonlyMap<string, readonly ReadingPoint[]>;
  excursions: readonly ExcursionSpan[];
  collectedAt: string | null;
  /** When the record ends: the hand-over or delivery it is made for. */
  until: string;
}

const MINUTE = 60_000;
const round2 = (value: number) => Math.round(value * 100) / 100;
const minutes = (ms: number) => round2(ms / MINUTE);
const iso = (ms: number) => new Date(ms).toISOString();

export function complianceOf(input: ComplianceInput): ComplianceContent {
  const { profile } = input;
  const spans = [...input.spans].filter((s) => s.to > s.from).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.containerId < b.containerId ? -1 : 1));
  if (spans.length === 0) return withoutCustody(input);
  const gapMs = profile.silenceGapMinutes * MINUTE;
  const exposures = spans.map((span) => ({
    span,
    exposure: exposureOf(input.readings.get(span.containerId) ?? [], { from: Date.parse(span.from), to: Date.parse(span.to) }, gapMs, profile),
  }));
  const custodyMs = spans.reduce((sum, s) => sum + Date.parse(s.to) - Date.parse(s.from), 0);
  const outMs = exposures.reduce((sum, e) => sum + e.exposure.outOfRangeMs, 0);
  const coveredMs = exposures.reduce((sum, e) => sum + e.exposure.coveredMs, 0);
  const readings = exposures.flatMap((e) => e.exposure.readings);
  const temperatures = readings.map((r) => r.temperatureC);
  const mkt = meanKineticTemperature(
    exposures.flatMap((e) => e.exposure.segments.map((s) => ({ temperatureC: s.temperatureC, weight: s.to - s.from }))),
    profile.activationEnergyKjPerMol,
  );
  const precooling = precoolingOf(input, readings);
  const content: ComplianceContent = {
    parcelId: input.parcelId,
    profileId: profile.id,
    from: spans[0]!.from,
    to: spans.reduce((end, s) => (s.to > end ? s.to : end), spans[0]!.to),
    containers: spans.map((s) => ({ containerId: s.containerId, from: s.from, to: s.to })),
    readings: readings.length,
    minutesInRange: minutes(coveredMs - outMs),
    minutesOutOfRange: minutes(outMs),
    minC: temperatures.length ? round2(temperatures.reduce((a, b) => Math.min(a, b))) : null,
    maxC: temperatures.length ? round2(temperatures.reduce((a, b) => Math.max(a, b))) : null,
    mktC: mkt === null ? null : round2(mkt),
    excursions: excursionsOf(input.excursions, spans),
    precooling: { required: precooling.required, reachedAt: precooling.reachedAt, missed: precooling.missed },
    compliant: true,
    reasons: [],
  };
  const reasons = reasonsOf(content, profile, { custodyMs, coveredMs, precoolingReason: precooling.reason });
  return { ...content, compliant: reasons.length === 0, reasons };
}

function withoutCustody(input: ComplianceInput): ComplianceContent {
  const required = input.profile.precooling !== null && input.collectedAt !== null;
  return {
    parcelId: input.parcelId,
    profileId: input.profile.id,
    from: input.until,
    to: input.until,
    containers: [],
    readings: 0,
    minutesInRange: 0,
    minutesOutOfRange: 0,
    minC: null,
    maxC: null,
    mktC: null,
    excursions: [],
    precooling: { required, reachedAt: null, missed: required },
    compliant: false,
    reasons: ['no_custody: handed over or delivered without having been in any refrigerated compartment or cold room'],
  };
}

function reasonsOf(content: ComplianceContent, profile: Profile, facts: { custodyMs: number; coveredMs: number; precoolingReason: string | null }): string[] {
  const reasons: string[] = [];
  const range = `${profile.minC}–${profile.maxC} °C`;
  if (content.minutesOutOfRange > profile.toleratedMinutes) {
    reasons.push(`tolerance_exceeded: out of range (${range}) for ${content.minutesOutOfRange} min in total, more than the ${profile.toleratedMinutes} min tolerated`);
  }
  if (content.mktC !== null && content.mktC > profile.mktLimitC) {
    reasons.push(`mkt_exceeded: mean kinetic temperature ${content.mktC} °C, above the limit of ${profile.mktLimitC} °C`);
  }
  if (facts.precoolingReason) reasons.push(facts.precoolingReason);
  if (facts.coveredMs === 0) {
    reasons.push('no_readings: no sensor of its containers read anything while it was in them');
  } else {
    const missing = minutes(facts.custodyMs - facts.coveredMs);
    if (missing > profile.toleratedMinutes) {
      reasons.push(`readings_missing: no reading for ${missing} min of its ${minutes(facts.custodyMs)} min in containers, more than the ${profile.toleratedMinutes} min out of range tolerated`);
    }
  }
  return reasons;
}

/** The first reading below the target after collection, and whether it came within the window. */
function precoolingOf(input: ComplianceInput, readings: readonly ReadingPoint[]): { required: boolean; reachedAt: string | null; missed: boolean; reason: string | null } {
  const rule = input.profile.precooling;
  if (!rule || input.collectedAt === null) return { required: false, reachedAt: null, missed: false, reason: null };
  const collected = input.collectedAt;
  const reached = readings.filter((r) => r.measuredAt >= collected && r.temperatureC < rule.targetC).reduce<string | null>((first, r) => (first === null || r.measuredAt < first ? r.measuredAt : first), null);
  const deadline = iso(Date.parse(collected) + rule.withinHours * 3_600_000);
  const hoursAfter = (at: string) => round2((Date.parse(at) - Date.parse(collected)) / 3_600_000);
  if (reached !== null && reached <= deadline) return { required: true, reachedAt: reached, missed: false, reason: null };
  const reason =
    reached !== null
      ? `precooling_missed: below ${rule.targetC} °C only at ${reached}, ${hoursAfter(reached)} h after collection; required within ${rule.withinHours} h`
      : `precooling_missed: never below ${rule.targetC} °C in its containers up to ${input.until}, ${hoursAfter(input.until)} h after collection; required within ${rule.withinHours} h`;
  return { required: true, reachedAt: reached, missed: true, reason };
}

/** The excursions of its containers while it was in them, with how long it shared each. */
function excursionsOf(excursions: readonly ExcursionSpan[], spans: readonly SpanInput[]): ComplianceContent['excursions'] {
  return excursions
    .map((excursion) => {
      const start = Date.parse(excursion.startedAt);
      const end = excursion.endedAt === null ? Infinity : Date.parse(excursion.endedAt);
      const shared = spans
        .filter((s) => s.containerId === excursion.containerId)
        .map((s) => ({ from: Math.max(start, Date.parse(s.from)), to: Math.min(end, Date.parse(s.to)) }));
      return { excursion, ms: unionLength(shared) };
    })
    .filter((e) => e.ms > 0)
    .sort((a, b) => (a.excursion.startedAt < b.excursion.startedAt ? -1 : a.excursion.startedAt > b.excursion.startedAt ? 1 : a.excursion.excursionId < b.excursion.excursionId ? -1 : 1))
    .map(({ excursion, ms }) => ({ excursionId: excursion.excursionId, startedAt: excursion.startedAt, endedAt: excursion.endedAt, minutes: minutes(ms) }));
}
