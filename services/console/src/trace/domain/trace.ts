/**
 * What the public trace page of one upstream parcel shows (issue #14 "Public trace page"), built from the console's
 * read model: where the produce comes from, its steps and its cold-chain record. Nothing personal: no recipient, no
 * waybill, no people or keys — the read model does not even hold them.
 */

/** The upstream facts a buyer sees as steps of the journey (contracts' transition table), in lifecycle order. */
export const journeyKinds = ['booked', 'collect', 'center_arrival', 'linehaul_handover', 'damaged', 'lost'] as const;
export type JourneyKind = (typeof journeyKinds)[number];

export function isJourneyKind(kind: string): kind is JourneyKind {
  return (journeyKinds as readonly string[]).includes(kind);
}

export interface StoredStep {
  factId: string;
  kind: string;
  occurredAt: Date;
  stationId: string | null;
}

export interface Place {
  id: string;
  name: string;
}

export interface ComplianceFigures {
  revision: number;
  from: Date;
  to: Date;
  minutesInRange: number;
  minutesOutOfRange: number;
  minC: number | null;
  maxC: number | null;
  mktC: number | null;
  compliant: boolean;
}

/** The read model's rows for one code. */
export interface TraceRecord {
  code: string;
  countyId: string;
  countyName: string | null;
  timeZone: string;
  profileId: string | null;
  state: string;
  originStation: (Place & { kind: string }) | null;
  town: Place | null;
  villages: Place[];
  center: Place | null;
  stationNames: Record<string, string>;
  steps: StoredStep[];
  compliance: ComplianceFigures | null;
}

export interface JourneyStep {
  kind: JourneyKind;
  occurredAt: Date;
  place: Place | null;
}

export type ColdChain =
  | { status: 'none' }
  | { status: 'pending' }
  | ({ status: 'recorded' } & ComplianceFigures);

export interface TraceView {
  code: string;
  countyId: string;
  timeZone: string;
  profileId: string | null;
  origin: { villages: Place[]; station: Place | null; town: Place | null; county: string | null };
  collectedAt: Date | null;
  steps: JourneyStep[];
  coldChain: ColdChain;
}

/** Where a step happened: the origin station before the line-haul, the county center after, else the fact's station. */
function placeOf(record: TraceRecord, step: StoredStep & { kind: JourneyKind }): Place | null {
  switch (step.kind) {
    case 'booked':
    case 'collect':
      return record.originStation;
    case 'center_arrival':
    case 'linehaul_handover':
      return record.center;
    case 'damaged':
    case 'lost':
      return step.stationId ? { id: step.stationId, name: record.stationNames[step.stationId] ?? step.stationId } : null;
    default:
      return unreachable(step.kind);
  }
}

function unreachable(value: never): never {
  throw new Error(`unexpected ${String(value)}`);
}

/** The page's content from the read model: the journey by when it happened, the cold chain pending until recorded. */
export function traceView(record: TraceRecord): TraceView {
  const steps = record.steps
    .filter((step): step is StoredStep & { kind: JourneyKind } => isJourneyKind(step.kind))
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || journeyKinds.indexOf(a.kind) - journeyKinds.indexOf(b.kind))
    .map((step) => ({ kind: step.kind, occurredAt: step.occurredAt, place: placeOf(record, step) }));
  const coldChain: ColdChain =
    record.compliance !== null ? { status: 'recorded', ...record.compliance } : record.profileId !== null ? { status: 'pending' } : { status: 'none' };
  return {
    code: record.code,
    countyId: record.countyId,
    timeZone: record.timeZone,
    profileId: record.profileId,
    origin: { villages: record.villages, station: record.originStation, town: record.town, county: record.countyName },
    collectedAt: steps.find((s) => s.kind === 'collect')?.occurredAt ?? null,
    steps,
    coldChain,
  };
}
