/**
 * The bureau's figures recomputed independently (issue #13 "Acceptance"): from the raw events on the topics —
 * `parcel.events`, `dispatch.events`, `coldchain.events`, `masterdata.events` — with none of sla's code, then
 * compared figure by figure with what sla's `GET /v1/metrics` answers.
 *
 * The rules are the bureau's as docs and sla's README state them: a parcel belongs to the county day it entered the
 * network (received at the center downstream, collected at its village upstream), in the county's time zone; its
 * legs run between the earliest instants each step was reported (center→village = at the station − received; via
 * a town, center→town = at the town − received and town→village = at the station − at the town; to a town station,
 * center→town = at the station − received; village→center = at the center − collected), whole minutes, on time
 * within the policy's hours; coverage: a station served on every date of the period its frequency makes it due;
 * cost: the latest costing of each wave; compliance: the latest revision of each parcel's record, by the day it ended.
 *
 * The pure parts (`coverageFrom`, `costFrom`, `complianceFrom`) are what services/sla/test/metrics-correctness.int.test.ts
 * recomputes with too.
 */
import { createKafka, createLogger } from '@county/platform';

// ---- the pure recomputation

const DAY = 86_400_000;
const r = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const rate = (n: number, d: number) => (d === 0 ? null : r(n / d, 6));

/** The county day of an instant, for a fixed UTC offset in hours (the demo county's is +8, no daylight saving). */
export const localDay = (instant: string, offsetHours = 8) => new Date(Date.parse(instant) + offsetHours * 3_600_000).toISOString().slice(0, 10);
export const datesBetween = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

export type Frequency =
  | { kind: 'daily' }
  | { kind: 'every_n_days'; everyDays: number; anchorDate: string }
  | { kind: 'weekdays'; weekdays: string[] };

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
export function due(frequency: Frequency | undefined, day: string): boolean {
  if (!frequency || frequency.kind === 'daily') return true;
  if (frequency.kind === 'every_n_days') {
    const days = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${frequency.anchorDate}T00:00:00Z`)) / DAY);
    return ((days % frequency.everyDays) + frequency.everyDays) % frequency.everyDays === 0;
  }
  return frequency.weekdays.includes(WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!);
}

export interface CoverageData {
  from: string;
  to: string;
  towns: { id: string; active?: boolean }[];
  villages: { code: string; povertyRegistered: boolean; active?: boolean }[];
  stations: { id: string; kind: string; townId?: string | null; villageCodes: string[]; serviceFrequency?: Frequency; active?: boolean }[];
  /** `dispatch.stop_handed_over` data: a station and the planning date it was served on. */
  handOvers: { stationId: string; date: string }[];
}

const part = (numerator: number, denominator: number) => ({ numerator, denominator });

export function coverageFrom(c: CoverageData) {
  const served = new Map<string, Set<string>>();
  for (const h of c.handOvers) served.set(h.stationId, (served.get(h.stationId) ?? new Set()).add(h.date));
  const days = datesBetween(c.from, c.to);
  const ok = c.stations.filter((s) => {
    if (s.active === false || s.kind === 'center') return false;
    const dueDays = days.filter((d) => due(s.serviceFrequency, d));
    return dueDays.length > 0 && dueDays.every((d) => served.get(s.id)?.has(d));
  });
  const coveredVillages = new Set(ok.flatMap((s) => s.villageCodes));
  const villages = c.villages.filter((v) => v.active !== false);
  const poor = villages.filter((v) => v.povertyRegistered);
  const towns = c.towns.filter((t) => t.active !== false);
  const coveredTowns = new Set(ok.filter((s) => s.kind === 'town').map((s) => s.townId));
  return {
    villages: part(villages.filter((v) => coveredVillages.has(v.code)).length, villages.length),
    towns: part(towns.filter((t) => coveredTowns.has(t.id)).length, towns.length),
    povertyRegisteredVillages: part(poor.filter((v) => coveredVillages.has(v.code)).length, poor.length),
  };
}

/** `dispatch.wave_costed` data, as much of it as the cost figures need. */
export interface WaveCosted {
  date: string;
  waveId: string;
  confirmedAt: string;
  parcels: number;
  cost: { total: number };
  counterfactual: { cost: { total: number } };
  surveyedCostPerParcel: number;
}

export function costFrom(events: WaveCosted[], from: string, to: string) {
  const latest = new Map<string, WaveCosted>();
  for (const w of events) {
    if (w.date < from || w.date > to) continue;
    const key = `${w.date}/${w.waveId}`;
    const prev = latest.get(key);
    if (!prev || prev.confirmedAt < w.confirmedAt) latest.set(key, w);
  }
  const ws = [...latest.values()];
  const n = ws.reduce((a, w) => a + w.parcels, 0);
  const cost = ws.reduce((a, w) => a + w.cost.total, 0);
  const cf = ws.reduce((a, w) => a + w.counterfactual.cost.total, 0);
  const sv = ws.reduce((a, w) => a + w.surveyedCostPerParcel * w.parcels, 0);
  const per = (x: number) => (n === 0 ? null : r(x / n, 4));
  const less = (base: number) => (n === 0 || base === 0 ? null : r((1 - cost / base) * 100, 4));
  return {
    waves: ws.length,
    parcels: n,
    costPerParcelYuan: per(cost),
    counterfactualCostPerParcelYuan: per(cf),
    surveyedCostPerParcelYuan: per(sv),
    reductionVsCounterfactualPct: less(cf),
    reductionVsSurveyedPct: less(sv),
  };
}

/** `coldchain.compliance_recorded` data, as much as the figures need. */
export interface ComplianceRecorded {
  parcelId: string;
  revision: number;
  compliant: boolean;
  to: string;
}

/** Records and compliant ones, by `keyOf` (the parcel and its record's day), over the latest revision of each parcel. */
export function complianceFrom(events: ComplianceRecorded[], from: string, to: string, keyOf: (parcelId: string, day: string) => string = () => 'all') {
  const latest = new Map<string, ComplianceRecorded>();
  for (const e of events) if ((latest.get(e.parcelId)?.revision ?? 0) < e.revision) latest.set(e.parcelId, e);
  const out = new Map<string, { records: number; compliant: number }>();
  for (const e of latest.values()) {
    const day = localDay(e.to);
    if (day < from || day > to) continue;
    const k = keyOf(e.parcelId, day);
    const g = out.get(k) ?? { records: 0, compliant: 0 };
    g.records += 1;
    if (e.compliant) g.compliant += 1;
    out.set(k, g);
  }
  return out;
}

export const legNames = ['center_to_town', 'town_to_village', 'center_to_village', 'village_to_center'] as const;
type LegName = (typeof legNames)[number];

/** A `parcel.*` event, as much of it as the figures need. */
export interface ParcelEvent {
  type: string;
  data: { parcelId: string; direction: 'downstream' | 'upstream'; state: string; destinationStationId: string | null; originStationId: string | null; fact: { id: string; occurredAt: string } };
}

const STEP: Record<string, string> = {
  'parcel.received': 'received',
  'parcel.arrived_at_town': 'at_town',
  'parcel.arrived_at_station': 'at_station',
  'parcel.delivered': 'delivered',
  'parcel.collected': 'collected',
  'parcel.arrived_at_center': 'at_center',
  'parcel.handed_over': 'handed_over',
};

export interface SlaPolicy {
  centerToTownHours: number;
  townToVillageHours: number;
  centerToVillageHours: number;
  villageToCenterHours: number;
}

/** Volumes and legs of the parcels that entered in the period. */
export function parcelsFrom(events: ParcelEvent[], stationKind: (stationId: string | null) => string | undefined, sla: SlaPolicy, from: string, to: string) {
  const parcels = new Map<string, { direction: string; station: string | null; at: string; factId: string; steps: Record<string, string> }>();
  for (const e of events) {
    const d = e.data;
    const at = new Date(d.fact.occurredAt).toISOString();
    const p = parcels.get(d.parcelId) ?? { direction: d.direction, station: null, at: '', factId: '', steps: {} };
    if (at > p.at || (at === p.at && d.fact.id > p.factId)) {
      Object.assign(p, { direction: d.direction, station: d.direction === 'downstream' ? d.destinationStationId : d.originStationId, at, factId: d.fact.id });
    }
    const step = STEP[e.type];
    if (step && (p.steps[step] === undefined || at < p.steps[step]!)) p.steps[step] = at;
    parcels.set(d.parcelId, p);
  }
  const hours: Record<LegName, number> = {
    center_to_town: sla.centerToTownHours,
    town_to_village: sla.townToVillageHours,
    center_to_village: sla.centerToVillageHours,
    village_to_center: sla.villageToCenterHours,
  };
  const measured: Record<LegName, number[]> = { center_to_town: [], town_to_village: [], center_to_village: [], village_to_center: [] };
  const volumes = { downstream: 0, upstream: 0 };
  for (const p of parcels.values()) {
    const s = p.steps;
    const entry = p.direction === 'downstream' ? s.received : s.collected;
    if (entry === undefined || localDay(entry) < from || localDay(entry) > to) continue;
    volumes[p.direction as 'downstream' | 'upstream'] += 1;
    const leg = (l: LegName, start: string | undefined, end: string | undefined) => {
      if (start !== undefined && end !== undefined) measured[l].push(Math.floor((Date.parse(end) - Date.parse(start)) / 60_000));
    };
    if (p.direction === 'downstream') {
      const arrived = s.at_station ?? s.delivered;
      if (stationKind(p.station) === 'town') leg('center_to_town', s.received, arrived);
      else {
        leg('center_to_town', s.received, s.at_town);
        leg('town_to_village', s.at_town, arrived);
        leg('center_to_village', s.received, arrived);
      }
    } else leg('village_to_center', s.collected, s.at_center ?? s.handed_over);
  }
  const legs = legNames.map((key) => {
    const ms = measured[key];
    const onTime = ms.filter((m) => m <= hours[key] * 60).length;
    return { key, measured: ms.length, onTime, onTimeRate: rate(onTime, ms.length), breaches: ms.length - onTime };
  });
  return { volumes, legs };
}

// ---- the raw events, read from the topics

export interface RawEvents {
  parcel: ParcelEvent[];
  dispatch: { type: string; data: Record<string, unknown> }[];
  coldchain: { type: string; data: Record<string, unknown> }[];
  masterdata: { type: string; data: Record<string, unknown> }[];
}

/** Every event of `countyId` on the four topics, from the beginning up to their ends when called. */
export async function readTopics(options: { brokers: string[]; topicPrefix: string; countyId: string }): Promise<RawEvents> {
  const logger = createLogger({ service: 'demo-recompute', level: 'warn', destination: process.stderr });
  const kafka = createKafka({ brokers: options.brokers, clientId: 'demo-recompute', logger });
  const names = { parcel: 'parcel.events', dispatch: 'dispatch.events', coldchain: 'coldchain.events', masterdata: 'masterdata.events' } as const;
  const out: RawEvents = { parcel: [], dispatch: [], coldchain: [], masterdata: [] };
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, Map<number, bigint>>();
  try {
    for (const logical of Object.values(names)) {
      const topic = `${options.topicPrefix}${logical}`;
      const offsets = await admin.fetchTopicOffsets(topic);
      ends.set(topic, new Map(offsets.map((o) => [o.partition, BigInt(o.high)])));
    }
  } finally {
    await admin.disconnect();
  }
  const remaining = new Set<string>();
  for (const [topic, partitions] of ends) for (const [partition, high] of partitions) if (high > 0n) remaining.add(`${topic}/${partition}`);
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `demo-recompute-${process.pid}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...ends.keys()], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const high = ends.get(topic)!.get(partition)!;
            if (BigInt(message.offset) < high && message.value) {
              const envelope = JSON.parse(message.value.toString()) as { type: string; countyId?: string; data: Record<string, unknown> };
              if (envelope.countyId === options.countyId) {
                const key = (Object.keys(names) as (keyof typeof names)[]).find((k) => `${options.topicPrefix}${names[k]}` === topic)!;
                (out[key] as unknown[]).push(envelope);
              }
            }
            if (BigInt(message.offset) + 1n >= high) {
              remaining.delete(`${topic}/${partition}`);
              if (remaining.size === 0) resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

// ---- the comparison

export interface Mismatch {
  figure: string;
  metrics: unknown;
  recomputed: unknown;
}

/** Master data as the latest record of each entity (the topic is compacted; a record's `active` is its state). */
function latestMasterData(events: RawEvents['masterdata']) {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const e of events) {
    const entity = (e.data.entity ?? e.type.replace(/^masterdata\./, '').replace(/_(upserted|changed|deactivated)$/, '')) as string;
    const record = (e.data.record ?? e.data) as Record<string, unknown>;
    const id = (record.id ?? record.code) as string;
    byKey.set(`${entity}:${id}`, record);
  }
  const of = (entity: string) => [...byKey].filter(([k]) => k.startsWith(`${entity}:`)).map(([, v]) => v);
  return { county: of('county')[0], towns: of('town'), villages: of('village'), stations: of('station') };
}

/** Every figure of `GET /v1/metrics?from&to` the raw events decide, recomputed and compared; [] when all agree. */
export function compareWithMetrics(raw: RawEvents, metrics: any, from: string, to: string): { mismatches: Mismatch[]; recomputed: Record<string, unknown> } {
  const md = latestMasterData(raw.masterdata);
  if (!md.county) throw new Error('masterdata.events holds no county record of this county');
  const stationKinds = new Map(md.stations.map((s) => [s.id as string, s.kind as string]));
  const parcels = parcelsFrom(raw.parcel, (id) => (id ? stationKinds.get(id) : undefined), md.county.sla as SlaPolicy, from, to);
  const coverage = coverageFrom({
    from,
    to,
    towns: md.towns as CoverageData['towns'],
    villages: md.villages as CoverageData['villages'],
    stations: md.stations as CoverageData['stations'],
    handOvers: raw.dispatch.filter((e) => e.type === 'dispatch.stop_handed_over').map((e) => e.data as { stationId: string; date: string }),
  });
  const cost = costFrom(raw.dispatch.filter((e) => e.type === 'dispatch.wave_costed').map((e) => e.data as unknown as WaveCosted), from, to);
  const compliance = complianceFrom(raw.coldchain.filter((e) => e.type === 'coldchain.compliance_recorded').map((e) => e.data as unknown as ComplianceRecorded), from, to).get('all') ?? { records: 0, compliant: 0 };

  const mismatches: Mismatch[] = [];
  const same = (figure: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ figure, metrics: got, recomputed: want });
  };
  same('totals.volumes', metrics.totals.volumes, parcels.volumes);
  for (const l of parcels.legs) {
    const m = metrics.totals.legs.find((x: { key: string }) => x.key === l.key) ?? {};
    same(`totals.legs.${l.key}`, { key: m.key, measured: m.measured, onTime: m.onTime, onTimeRate: m.onTimeRate, breaches: m.breaches }, l);
  }
  for (const k of ['villages', 'towns', 'povertyRegisteredVillages'] as const) {
    same(`coverage.${k}`, { numerator: metrics.coverage[k].numerator, denominator: metrics.coverage[k].denominator }, coverage[k]);
  }
  for (const [k, v] of Object.entries(cost)) same(`cost.${k}`, metrics.cost[k], v);
  same('totals.coldChainCompliance', { records: metrics.totals.coldChainCompliance.records, numerator: metrics.totals.coldChainCompliance.numerator }, { records: compliance.records, numerator: compliance.compliant });
  return { mismatches, recomputed: { ...parcels, coverage, cost, compliance } };
}
