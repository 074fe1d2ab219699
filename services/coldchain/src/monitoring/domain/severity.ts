import type { Excursion } from './fold.js';
import type { Limits } from './limits.js';

/**
 * Severity rules (README "Monitoring"), on the contracts' scale critical > major > minor > warning:
 * - an excursion is `major` while it is within its tolerance, and `critical` once it has exceeded it or a reading
 *   went beyond a hard limit (freezing injury below −1 °C for fresh goods);
 * - the `tolerance_exceeded` alarm is `critical`: the goods may be lost, someone must decide about them;
 * - `sensor_silent` is `major` while goods are in the container (their temperature is unknown), `minor` for an
 *   empty cold room (nothing is at risk yet, but the room is no longer watched).
 */
export type Severity = 'critical' | 'major' | 'minor' | 'warning';

export function excursionSeverity(excursion: Pick<Excursion, 'exceededAt'>): Severity {
  return excursion.exceededAt === null ? 'major' : 'critical';
}

export const TOLERANCE_ALARM_SEVERITY: Severity = 'critical';

export function silenceSeverity(goodsBound: boolean): Severity {
  return goodsBound ? 'major' : 'minor';
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

/** What the tolerance alarm says happened, for people: the figures that made it. */
export function toleranceDetail(excursion: Excursion, limits: Limits): string {
  const range = `${limits.minC}–${limits.maxC} °C`;
  if (excursion.exceededBy === 'hard_limit') {
    const c = excursion.exceededC ?? (excursion.side === 'below' ? excursion.minC : excursion.maxC);
    const limit = c < limits.minC ? limits.hardMinC : limits.hardMaxC;
    return `${c} °C is beyond the hard limit of ${limit} °C (range ${range}): the goods may be damaged already`;
  }
  return `${minutes(excursion.exceededOutMs ?? excursion.outMs)} min out of range ${range} (${excursion.side}) exceeds the ${minutes(limits.toleranceMs)} min tolerated`;
}
