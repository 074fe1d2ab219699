/**
 * Monthly partitions of `readings` (migration 0010): a month is `YYYY-MM`, its partition `readings_yYYYYmMM`, its
 * range [first instant of the month, first instant of the next) in UTC.
 */
export interface Month {
  year: number;
  /** 1–12 */
  month: number;
}

export function monthOf(instant: string | Date): Month {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

export function addMonths({ year, month }: Month, n: number): Month {
  const index = year * 12 + (month - 1) + n;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export function monthStart({ year, month }: Month): string {
  return new Date(Date.UTC(year, month - 1, 1)).toISOString();
}

export function partitionName({ year, month }: Month): string {
  return `readings_y${String(year).padStart(4, '0')}m${String(month).padStart(2, '0')}`;
}

/** The month a partition name stands for, or undefined for any other table. */
export function monthOfPartition(name: string): Month | undefined {
  const match = /^readings_y(\d{4})m(\d{2})$/.exec(name);
  return match ? { year: Number(match[1]), month: Number(match[2]) } : undefined;
}

/** The distinct months of some instants, in order. */
export function monthsOf(instants: Iterable<string>): Month[] {
  const keys = new Set<string>();
  for (const instant of instants) keys.add(partitionName(monthOf(instant)));
  return [...keys].sort().map((name) => monthOfPartition(name)!);
}

/** The months to have ready at `now`: this one and the next `ahead`. */
export function monthsAhead(now: Date, ahead: number): Month[] {
  const current = monthOf(now);
  return Array.from({ length: ahead + 1 }, (_, i) => addMonths(current, i));
}

/** Of the partitions there are, those whose every reading is older than the retention at `now`. */
export function expiredPartitions(names: readonly string[], now: Date, retentionMs: number): string[] {
  const cutoff = now.getTime() - retentionMs;
  return names.filter((name) => {
    const month = monthOfPartition(name);
    return month !== undefined && Date.parse(monthStart(addMonths(month, 1))) <= cutoff;
  });
}
