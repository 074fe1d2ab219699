/**
 * Mean kinetic temperature (issue #11): the single temperature that would age the product as much as the
 * temperatures it went through, by the Arrhenius equation,
 *
 *   MKT = (ΔH/R) / −ln( Σ wᵢ·e^(−ΔH/(R·Tᵢ)) / Σ wᵢ )      (kelvin)
 *
 * with ΔH the activation energy and R the gas constant. The readings are time-weighted: wᵢ is how long reading i
 * stood for the container's temperature (until the next reading of its sensor, at most the profile's silence gap,
 * within the parcel's binding — see exposure.ts). With equal weights this is the textbook formula
 * ΔH/R ÷ −ln((e^(−ΔH/RT₁) + … + e^(−ΔH/RTₙ)) / n); weighting keeps a burst of readings from counting more than a
 * quiet hour.
 */

/** J/(mol·K), as USP <1079.2> gives it: with ΔH = 83.144 kJ/mol, ΔH/R is 10,000 K. */
export const GAS_CONSTANT = 8.3144;
export const KELVIN = 273.15;

export interface WeightedTemperature {
  temperatureC: number;
  /** How long it stood, in any unit (ms here); only the proportions count. */
  weight: number;
}

/** MKT in °C, or null without any weight. */
export function meanKineticTemperature(samples: readonly WeightedTemperature[], activationEnergyKjPerMol: number): number | null {
  const ratio = (activationEnergyKjPerMol * 1000) / GAS_CONSTANT;
  let total = 0;
  let sum = 0;
  // Factor out the largest term so e^(−ΔH/RT) does not underflow far below the range (−60 °C: e^−46.9).
  const terms = samples.filter((s) => s.weight > 0).map((s) => ({ exponent: -ratio / (s.temperatureC + KELVIN), weight: s.weight }));
  if (terms.length === 0) return null;
  const top = terms.reduce((max, t) => Math.max(max, t.exponent), -Infinity);
  for (const term of terms) {
    sum += term.weight * Math.exp(term.exponent - top);
    total += term.weight;
  }
  const lnMean = Math.log(sum / total) + top;
  return ratio / -lnMean - KELVIN;
}
