import { minutesOfDay } from '@county/contracts';

/**
 * Wave departures as instants (as dispatch computes them, services/dispatch readmodel/domain/wave-times.ts): waves
 * are clock times in the county's time zone; a cut-off later in the day than the departure is the evening before.
 */

export interface WaveClock {
  id: string;
  departure: string;
  cutoff: string;
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function wallParts(timeZone: string, instant: number): Record<string, string> {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
}

function zoneOffsetMinutes(timeZone: string, instant: number): number {
  const parts = wallParts(timeZone, instant);
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The local calendar date of an instant in a zone. */
export function localDate(timeZone: string, instant: number): string {
  const parts = wallParts(timeZone, instant);
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function zonedInstant(date: string, time: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day) + minutesOfDay(time) * 60_000;
  const first = wall - zoneOffsetMinutes(timeZone, wall) * 60_000;
  const second = wall - zoneOffsetMinutes(timeZone, first) * 60_000;
  return Math.min(first, second);
}

/**
 * The first departure that could carry a parcel received at `receivedAt` and still waiting at `from`: a wave
 * occurrence leaving at or after `from` whose cut-off is at or after the receive scan. Looks 8 days ahead.
 */
export function nextDeparture(timeZone: string, waves: readonly WaveClock[], receivedAt: number, from: number): number | null {
  const start = localDate(timeZone, Math.min(receivedAt, from));
  let best: number | null = null;
  for (let day = -1; day <= 8; day += 1) {
    const date = addDays(start, day);
    for (const wave of waves) {
      const departureAt = zonedInstant(date, wave.departure, timeZone);
      const cutoffDate = minutesOfDay(wave.cutoff) > minutesOfDay(wave.departure) ? addDays(date, -1) : date;
      const cutoffAt = zonedInstant(cutoffDate, wave.cutoff, timeZone);
      if (departureAt >= from && cutoffAt >= receivedAt && (best === null || departureAt < best)) best = departureAt;
    }
    if (best !== null && day >= 1) break;
  }
  return best;
}
