/**
 * The MQTT topic of a container's readings (issue #11; README "Readings in"):
 * `<prefix>county/<countyId>/coldchain/<containerId>/readings`, where a container id is one level (`cr-1`) or
 * two (`V12/refrigerated`, `S3/cold-room`). The prefix is empty in production (tests isolate with theirs).
 */
export function readingsTopic(prefix: string, countyId: string, containerId: string): string {
  return `${prefix}county/${countyId}/coldchain/${containerId}/readings`;
}

/** What the service subscribes to: every county's and container's readings under the prefix. */
export function readingsSubscription(prefix: string): string[] {
  return [`${prefix}county/+/coldchain/+/readings`, `${prefix}county/+/coldchain/+/+/readings`];
}

export type ParsedTopic = { ok: true; countyId: string; containerId: string } | { ok: false; reason: string };

/** The county and container a message's topic names. */
export function parseReadingsTopic(prefix: string, topic: string): ParsedTopic {
  if (!topic.startsWith(prefix)) return { ok: false, reason: `topic ${topic} is not under ${prefix}county/` };
  const levels = topic.slice(prefix.length).split('/');
  if (levels.length < 5 || levels.length > 6 || levels[0] !== 'county' || levels[2] !== 'coldchain' || levels.at(-1) !== 'readings') {
    return { ok: false, reason: `topic ${topic} is not county/<countyId>/coldchain/<containerId>/readings` };
  }
  const countyId = levels[1]!;
  const containerId = levels.slice(3, -1).join('/');
  if (!countyId || levels.slice(3, -1).some((l) => l === '')) return { ok: false, reason: `topic ${topic} has an empty level` };
  return { ok: true, countyId, containerId };
}
