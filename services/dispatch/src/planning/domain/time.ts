/**
 * The solver counts minutes since the start of the planning day; dispatch speaks ISO-8601 UTC instants and
 * calendar dates in the county's time zone. These convert between them without reading the clock.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in milliseconds (Asia/Shanghai: +8 h). */
function offsetAt(instantMs: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instantMs).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(instantMs / 1000) * 1000;
}

/** The instant (ms since the epoch) at which the calendar date `YYYY-MM-DD` begins in the time zone. */
export function startOfDay(date: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // Twice: the offset at the guess may differ from the offset at the answer across a DST change.
  let guess = utcMidnight - offsetAt(utcMidnight, timeZone);
  guess = utcMidnight - offsetAt(guess, timeZone);
  return guess;
}

/** The instant of minute `minutes` of the planning day, to the second, as ISO-8601 UTC. */
export function instantOf(dayStartMs: number, minutes: number): string {
  return new Date(Math.round((dayStartMs + minutes * MINUTE_MS) / 1000) * 1000).toISOString();
}

/** Minutes since the start of the planning day of an ISO instant. */
export function minuteOf(dayStartMs: number, instant: string): number {
  return (Date.parse(instant) - dayStartMs) / MINUTE_MS;
}

/** The calendar date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday 1 (Monday) … 7 (Sunday) of a calendar date. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** `HH:MM` of a minute of the day, for operators' messages. */
export function clockOf(minutes: number): string {
  const whole = Math.round(minutes);
  const day = Math.floor(whole / (24 * 60));
  const m = whole - day * 24 * 60;
  const text = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return day === 0 ? text : `${text} (+${day} d)`;
}
