/**
 * Pre-cooling (预冷, issue #11): a profile may require produce to get below its target within a window after its
 * collection (stone fruit: below 4 °C within 12 h — DOMAIN-FIGURES.md says of harvest; the platform knows the
 * collection). The produce is below the target when a reading of a container it was in, while it was in it, is below
 * the target. It missed pre-cooling when no such reading came from its collection to the deadline: the
 * `precooling_missed` alarm (severity `major`: shelf life is shortened, the goods are not lost), one per parcel.
 */
export interface PrecoolingRule {
  targetC: number;
  withinHours: number;
}

export interface Stay {
  containerId: string;
  from: number;
  /** null: still in it. */
  to: number | null;
}

export interface ContainerReading {
  containerId: string;
  at: number;
  temperatureC: number;
}

export interface PrecoolingCheck {
  deadline: number;
  /** The first reading below the target while the produce was in its container, from its collection on. */
  reachedAt: number | null;
  missed: boolean;
  /** The container it was in at the deadline (else the last it was in before): where the alarm is shown. */
  containerId: string | null;
}

export function precoolingCheck(collectedAt: number, rule: PrecoolingRule, stays: readonly Stay[], readings: readonly ContainerReading[]): PrecoolingCheck {
  const deadline = collectedAt + rule.withinHours * 3_600_000;
  const inside = (r: ContainerReading) => stays.some((s) => s.containerId === r.containerId && s.from <= r.at && (s.to === null || r.at < s.to));
  const reachedAt = readings
    .filter((r) => r.at >= collectedAt && r.temperatureC < rule.targetC && inside(r))
    .reduce<number | null>((first, r) => (first === null || r.at < first ? r.at : first), null);
  const before = stays.filter((s) => s.from <= deadline).sort((a, b) => b.from - a.from);
  return { deadline, reachedAt, missed: reachedAt === null || reachedAt > deadline, containerId: before[0]?.containerId ?? null };
}

export const PRECOOLING_ALARM_SEVERITY = 'major' as const;

export function precoolingDetail(check: PrecoolingCheck, rule: PrecoolingRule, collectedAt: number): string {
  const hours = (ms: number) => Math.round(ms / 36_000) / 100;
  const collected = new Date(collectedAt).toISOString();
  return check.reachedAt === null
    ? `not below ${rule.targetC} °C within ${rule.withinHours} h of its collection at ${collected}`
    : `below ${rule.targetC} °C only ${hours(check.reachedAt - collectedAt)} h after its collection at ${collected}; required within ${rule.withinHours} h`;
}
