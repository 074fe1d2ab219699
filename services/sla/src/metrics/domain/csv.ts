/**
 * CSV of a JSON answer, the same figures: one line per number, boolean or null leaf of the JSON, named by its
 * path (`legs.center_to_town.p50Minutes`) and, for grouped figures, the group. Arrays of objects are keyed by
 * their `key`, `stationId`+`month`, `month` or `window` field, so a path names one figure and never a position.
 */
export type Leaf = string | number | boolean | null;

export function flatten(value: unknown, path = '', out: [string, Leaf][] = []): [string, Leaf][] {
  if (value === null || typeof value !== 'object') {
    out.push([path, value as Leaf]);
    return out;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, join(path, arrayKey(item, i)), out));
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    flatten(v, join(path, k), out);
  }
  return out;
}

function arrayKey(item: unknown, index: number): string {
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const o = item as Record<string, unknown>;
    if (typeof o.key === 'string') return o.key;
    if (typeof o.stationId === 'string' && typeof o.month === 'string') return `${o.stationId}@${o.month}`;
    if (typeof o.month === 'string') return o.month;
    if (typeof o.window === 'string') return o.window;
  }
  if (typeof item === 'string') return String(index);
  return String(index);
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function cell(v: Leaf): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `figure,value` lines under a header, CRLF-free. */
export function toCsv(value: unknown): string {
  return ['figure,value', ...flatten(value).map(([p, v]) => `${cell(p)},${cell(v)}`)].join('\n') + '\n';
}
