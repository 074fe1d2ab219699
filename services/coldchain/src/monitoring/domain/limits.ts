/**
 * What the excursion rules read of a container's product profile, in the units the fold works in (°C and
 * milliseconds). The catalogue owns profiles; `monitoring/ports.ts` turns one into these limits.
 */
export interface Limits {
  /** The profile's range, inclusive: a reading at exactly minC or maxC is in range. */
  minC: number;
  maxC: number;
  /** Tolerated time out of range within one excursion before the `tolerance_exceeded` alarm. */
  toleranceMs: number;
  /** A sensor's reading stands for the container at most this long; beyond it the sensor counts as silent. */
  gapMs: number;
  /** An excursion closes once the container has been back in range this long (hysteresis against flapping). */
  closeAfterMs: number;
  /** Beyond these the goods are damaged at once (freezing injury): the alarm is raised without waiting. */
  hardMinC: number | null;
  hardMaxC: number | null;
}

export type Side = 'above' | 'below';

/**
 * Below −1 °C fresh produce freezes (DOMAIN-FIGURES.md "Produce in the cold chain": plum "never below −1 °C"; peach
 * range −1 to 0 °C). A profile whose range lies above it (fresh produce, chilled goods) gets it as its hard lower
 * limit unless the profile sets its own; a frozen profile (range below −1 °C) has none.
 */
export const FREEZING_INJURY_C = -1;

/** An excursion closes after 10 minutes back in range: a door opened twice at one stop is one excursion, not two. */
export const CLOSE_AFTER_MINUTES = 10;

export interface ProfileFigures {
  minC: number;
  maxC: number;
  toleranceMinutes: number;
  silenceGapMinutes: number;
  hardMinC?: number | null;
  hardMaxC?: number | null;
  closeAfterMinutes?: number;
}

export function limitsOf(profile: ProfileFigures): Limits {
  const hardMinC = profile.hardMinC !== undefined ? profile.hardMinC : profile.minC >= FREEZING_INJURY_C ? FREEZING_INJURY_C : null;
  return {
    minC: profile.minC,
    maxC: profile.maxC,
    toleranceMs: profile.toleranceMinutes * 60_000,
    gapMs: profile.silenceGapMinutes * 60_000,
    closeAfterMs: (profile.closeAfterMinutes ?? CLOSE_AFTER_MINUTES) * 60_000,
    hardMinC,
    hardMaxC: profile.hardMaxC ?? null,
  };
}

/** Which side of the range a temperature is on, or null when in range. */
export function sideOf(limits: Limits, temperatureC: number): Side | null {
  if (temperatureC > limits.maxC) return 'above';
  if (temperatureC < limits.minC) return 'below';
  return null;
}

export function beyondHardLimit(limits: Limits, temperatureC: number): boolean {
  return (limits.hardMinC !== null && temperatureC < limits.hardMinC) || (limits.hardMaxC !== null && temperatureC > limits.hardMaxC);
}
