import { issuesFromZod, readingSchema, type Issue, type Reading } from '@county/contracts';

/** What the ingest checks beyond the contract: how far ahead a gateway's clock may be, and how old a reading may be. */
export interface ReadingRules {
  /** Allowed clock skew: a reading measured later than now + this is refused (READINGS_CLOCK_SKEW_SECONDS). */
  clockSkewMs: number;
  /** Readings older than this are refused: they would be dropped with their month anyway (READINGS_RETENTION_DAYS). */
  retentionMs: number;
}

export interface Accepted {
  /** Where the item sat in what was sent. */
  index: number;
  reading: Reading;
}

export interface Refused {
  index: number;
  /** Paths are the item's own fields (`temperatureC`); each transport says where the item sat. */
  issues: Issue[];
}

export interface Checked {
  accepted: Accepted[];
  refused: Refused[];
}

/**
 * One validation for every transport (issue #11): each item is a reading by the contract (`readingSchema`), then
 * not beyond the allowed clock skew in the future, and not older than the readings kept. Items are judged on their
 * own: the good ones go on, the bad ones are refused by index with the field and the reason.
 */
export function checkReadings(items: readonly unknown[], now: Date, rules: ReadingRules): Checked {
  const accepted: Accepted[] = [];
  const refused: Refused[] = [];
  items.forEach((item, index) => {
    const parsed = readingSchema.safeParse(item);
    if (!parsed.success) {
      refused.push({ index, issues: issuesFromZod(parsed.error) });
      return;
    }
    const issues = timeIssues(parsed.data, now, rules);
    if (issues.length > 0) refused.push({ index, issues });
    else accepted.push({ index, reading: parsed.data });
  });
  return { accepted, refused };
}

function timeIssues(reading: Reading, now: Date, rules: ReadingRules): Issue[] {
  const measured = Date.parse(reading.measuredAt);
  if (measured > now.getTime() + rules.clockSkewMs) {
    return [{ path: 'measuredAt', reason: `in the future beyond the allowed clock skew of ${duration(rules.clockSkewMs)} (now is ${now.toISOString()})` }];
  }
  if (measured < now.getTime() - rules.retentionMs) {
    return [{ path: 'measuredAt', reason: `older than the ${duration(rules.retentionMs)} readings are kept` }];
  }
  return [];
}

function duration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/** Refusals of the items whose container the county does not know. */
export function refuseUnknownContainers(accepted: readonly Accepted[], known: ReadonlySet<string>, countyId: string): Checked {
  const checked: Checked = { accepted: [], refused: [] };
  for (const item of accepted) {
    if (known.has(item.reading.containerId)) checked.accepted.push(item);
    else checked.refused.push({ index: item.index, issues: [{ path: 'containerId', reason: `unknown container ${item.reading.containerId} in county ${countyId}` }] });
  }
  return checked;
}
