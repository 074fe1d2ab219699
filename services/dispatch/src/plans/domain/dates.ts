import type { Wave } from '@county/contracts';
import { addDays, waveTimes } from '../../readmodel/domain/wave-times.js';

/**
 * When the auto-planner plans a wave: once its cut-off has passed, before it departs (the read model's
 * `waveTimes`: a cut-off later in the day than the departure is the evening before).
 */

/** `YYYY-MM-DD` of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export interface DueWave {
  date: string;
  waveId: string;
  cutoffAt: Date;
  departureAt: Date;
}

/**
 * The waves whose cut-off has passed at `now` and which have not departed yet. The dates looked at are today and
 * tomorrow in the county (tomorrow's morning wave may close the evening before).
 */
export function wavesAtCutoff(now: Date, timeZone: string, waves: readonly Wave[]): DueWave[] {
  const today = localDate(now, timeZone);
  const due: DueWave[] = [];
  for (const date of [today, addDays(today, 1)]) {
    for (const wave of waves) {
      const { cutoffAt, departureAt } = waveTimes({ timeZone }, wave, date);
      if (cutoffAt.getTime() <= now.getTime() && now.getTime() < departureAt.getTime()) due.push({ date, waveId: wave.id, cutoffAt, departureAt });
    }
  }
  return due;
}
