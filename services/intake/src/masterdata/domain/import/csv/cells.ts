/**
 * Readers of one CSV cell: the text of a non-empty cell to the value the JSON form holds, or the
 * reason it cannot be. Schema rules (ranges, formats) stay with the schemas, so both forms of an
 * import are held to the same ones and report them in the same words.
 */
export type CellReader = (text: string) => { value: unknown } | { error: string };

export const text: CellReader = (value) => ({ value });

const NUMBER = /^-?\d+(\.\d+)?$/;

export const number: CellReader = (value) =>
  NUMBER.test(value) ? { value: Number(value) } : { error: `expected a number such as 12.5, got “${value}”` };

const TRUE = new Set(['true', '是']);
const FALSE = new Set(['false', '否']);

/** true/false as spreadsheets write them (TRUE, False), or 是/否. */
export const boolean: CellReader = (value) => {
  const word = value.toLowerCase();
  if (TRUE.has(word)) return { value: true };
  if (FALSE.has(word)) return { value: false };
  return { error: `expected true/false or 是/否, got “${value}”` };
};

/** `;`-separated items; a Chinese input method types the full-width `；`, so it separates too. */
const items = (value: string) =>
  value
    .split(/[;；]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

export const list: CellReader = (value) => ({ value: items(value) });

/** `08:00-18:00` every day, or `mon=08:00-18:00;sat=09:00-12:00` per weekday. */
export const openingHours: CellReader = (value) => {
  const entries = items(value);
  if (entries.length === 1 && !entries[0]?.includes('=')) return { value: { daily: entries[0] } };
  const hours: Record<string, string> = {};
  for (const entry of entries) {
    const [day, range, ...rest] = entry.split('=').map((part) => part.trim());
    if (!day || !range || rest.length > 0) return { error: `expected 08:00-18:00, or mon=08:00-18:00;sat=09:00-12:00, got “${value}”` };
    hours[day.toLowerCase()] = range;
  }
  return { value: hours };
};

const EVERY_N_DAYS = /^every_(\d+)_days$/;

/** `daily`, `weekdays` (with frequency_weekdays) or `every_2_days` … `every_7_days` (with frequency_anchor). */
export const frequency: CellReader = (value) => {
  if (value === 'daily' || value === 'weekdays') return { value: { kind: value } };
  const every = EVERY_N_DAYS.exec(value);
  if (every) return { value: { kind: 'every_n_days', everyDays: Number(every[1]) } };
  return { error: `expected daily, every_2_days … every_7_days or weekdays, got “${value}”` };
};

/** `center` for the center's own fleet, else the id of the courier that owns the vehicle. */
export const owner: CellReader = (value) => ({
  value: value === 'center' ? { kind: 'center' } : { kind: 'courier', courierId: value },
});

const WAVE = /^([^=\s]+)\s*=\s*(\S+)\s*\/\s*(\S+)$/;

/** `am=07:00/05:30;pm=13:00/11:30`: each wave's id, departure and cut-off. */
export const waves: CellReader = (value) => {
  const parsed = [];
  for (const entry of items(value)) {
    const match = WAVE.exec(entry);
    if (!match) return { error: `expected id=departure/cut-off entries such as am=07:00/05:30;pm=13:00/11:30, got “${entry}”` };
    parsed.push({ id: match[1], departure: match[2], cutoff: match[3] });
  }
  return { value: parsed };
};
