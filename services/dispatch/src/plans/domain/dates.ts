import { minutesOfDay, type Wave } from '@county/contracts';

/**
 * Calendar arithmetic for waves: a wave of a date departs at its departure time on that date in the county's time
 * zone, and its cut-off is on that date too unless it is later in the day than the departure, when it is the
 * evening before (packages/contracts masterdata/county.ts). The read model computes the same for the wave input;
 * the auto-planner needs it without loading a wave.
 */

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Milliseconds `timeZone` is ahead of UTC at `instant`. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return shown - Math.floor(instant / 1000) * 1000;
}

/** The instant a local date and `HH:MM` time names in `timeZone` (the later of two at a DST fold). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutesOfDay(time) * 60_000;
  const first = wall - offsetMs(wall, timeZone);
  return new Date(wall - offsetMs(first, timeZone));
}

export interface WaveInstants {
  departureAt: Date;
  cutoffAt: Date;
}

export function waveInstants(date: string, wave: Pick<Wave, 'departure' | 'cutoff'>, timeZone: string): WaveInstants {
  const cutoffDate = minutesOfDay(wave.cutoff) > minutesOfDay(wave.departure) ? addDays(date, -1) : date;
  return { departureAt: zonedInstant(date, wave.departure, timeZone), cutoffAt: zonedInstant(cutoffDate, wave.cutoff, timeZone) };
}

export interface DueWave {
  date: string;
  waveId: string;
  cutoffAt: Date;
  departureAt: Date;
}

/**
 * The waves whose cut-off has passed at `now` and which have not departed yet: what the auto-planner plans. The
 * dates looked at are today and tomorrow in the county (tomorrow's morning wave may close the evening before).
 */
export function wavesAtCutoff(now: Date, timeZone: string, waves: readonly Wave[]): DueWave[] {
  const today = localDate(now, timeZone);
  const due: DueWave[] = [];
  for (const date of [today, addDays(today, 1)]) {
    for (const wave of waves) {
      const { cutoffAt, departureAt } = waveInstants(date, wave, timeZone);
      if (cutoffAt.getTime() <= now.getTime() && now.getTime() < departureAt.getTime()) due.push({ date, waveId: wave.id, cutoffAt, departureAt });
    }
  }
  return due;
}
