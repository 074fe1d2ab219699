import { idSchema, textSchema } from '@county/contracts';
import { z } from 'zod';

/**
 * A product profile (issue #11 "Profiles"): the range a container must hold, how long out of it is tolerated in
 * total, the mean kinetic temperature limit and the activation energy MKT is computed with, the pre-cooling the
 * produce needs (预冷) and how long a sensor may stay silent before its last reading stops counting.
 */
export interface Profile {
  id: string;
  name: string;
  nameZh: string | null;
  minC: number;
  maxC: number;
  /** Minutes out of range tolerated over the parcel's whole custody (its stability budget). */
  toleratedMinutes: number;
  mktLimitC: number;
  activationEnergyKjPerMol: number;
  /** Below `targetC` within `withinHours` of collection; null: not required. */
  precooling: { targetC: number; withinHours: number } | null;
  /** A reading stands for the container's temperature until the next one, at most this long. */
  silenceGapMinutes: number;
  /** Where each figure comes from (docs/domain-figures.md), or that it is an assumption. */
  sources: { field: string; source: string }[];
}

/** The value the issue gives and pharmacopoeias use for MKT (USP <1079.2>): ΔH/R is then 10,000 K. */
export const DEFAULT_ACTIVATION_ENERGY_KJ_PER_MOL = 83.144;

/** The profile a container expects when neither it nor its county names one. */
export const FALLBACK_DEFAULT_PROFILE_ID = 'chilled';

const celsius = z.number().min(-60, 'at least −60 °C').max(80, 'at most 80 °C');

/** What an admin sends to create or replace a profile. */
export const profileBodySchema = z
  .object({
    name: textSchema.trim().min(1).max(100),
    nameZh: textSchema.trim().min(1).max(100).nullable().default(null),
    minC: celsius,
    maxC: celsius,
    toleratedMinutes: z.number().min(0, 'not negative').max(7 * 24 * 60, 'at most a week'),
    mktLimitC: celsius,
    activationEnergyKjPerMol: z.number().min(10, 'at least 10 kJ/mol').max(300, 'at most 300 kJ/mol').default(DEFAULT_ACTIVATION_ENERGY_KJ_PER_MOL),
    precooling: z
      .object({
        targetC: celsius.describe('the produce must get below this'),
        withinHours: z.number().positive('more than 0 h').max(72, 'at most 72 h').describe('of its collection (the platform does not know the harvest)'),
      })
      .strict()
      .nullable()
      .default(null),
    silenceGapMinutes: z.number().min(1, 'at least 1 min').max(24 * 60, 'at most 24 h'),
    sources: z
      .array(z.object({ field: textSchema.trim().min(1).max(100), source: textSchema.trim().min(1).max(500) }).strict())
      .max(20)
      .default([]),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.minC >= body.maxC) ctx.addIssue({ code: 'custom', path: ['maxC'], message: `above minC (${body.minC} °C)` });
  });
export type ProfileBody = z.infer<typeof profileBodySchema>;

export const profileIdSchema = idSchema;

export function profileOf(id: string, body: ProfileBody): Profile {
  return { id, ...body };
}

const DOMAIN_FIGURES = 'docs/domain-figures.md, "Produce in the cold chain"';
const TRANSPORT = `${DOMAIN_FIGURES}: a practical transport profile for stone fruit, 0–4 °C, alert after 30 min cumulative out of range (an assumption built from the UC Davis and Cargo Handbook rows)`;
const PRECOOL =
  `${DOMAIN_FIGURES}: peach, pre-cool below 4 °C within 12 h of harvest (UC Davis; Chinese extension guidance). ` +
  'Measured from collection: the platform does not know when the fruit was picked, so it is at least as strict.';
const MKT_AT_TOP = 'assumption: MKT at most the top of the range, as pharmaceutical practice judges MKT against the labelled storage limit (USP <1079.2>); no produce source gives an MKT limit';
const EA = 'the issue (#11) and USP <1079.2>: 83.144 kJ/mol';
const GAP = 'assumption: three times the slowest reading cadence, 5 min (docs/domain-figures.md, "a refrigerated reading cadence")';
const TOLERANCE_AS_STONE_FRUIT = 'assumption: the stone-fruit transport tolerance, 30 min, applied alike';

function stoneFruit(id: string, name: string, nameZh: string, rangeSource: string): Profile {
  return {
    id,
    name,
    nameZh,
    minC: 0,
    maxC: 4,
    toleratedMinutes: 30,
    mktLimitC: 4,
    activationEnergyKjPerMol: DEFAULT_ACTIVATION_ENERGY_KJ_PER_MOL,
    precooling: { targetC: 4, withinHours: 12 },
    silenceGapMinutes: 15,
    sources: [
      { field: 'minC, maxC, toleratedMinutes', source: `${TRANSPORT}; ${rangeSource}` },
      { field: 'precooling', source: PRECOOL },
      { field: 'mktLimitC', source: MKT_AT_TOP },
      { field: 'activationEnergyKjPerMol', source: EA },
      { field: 'silenceGapMinutes', source: GAP },
    ],
  };
}

/**
 * The profiles every county starts with, editable afterwards (`PUT /coldchain/profiles/:profileId`). Every figure
 * names its source in docs/domain-figures.md or says it is an assumption.
 */
export const seededProfiles: readonly Profile[] = [
  stoneFruit('yellow-peach', 'Yellow peach', '黄桃', 'storage is −1 to 0 °C, avoiding 2–7 °C (UC Davis); the transport band is the stone-fruit one'),
  stoneFruit('crisp-plum', 'Crisp plum', '脆李', 'storage is −1 to 0 °C, never below −1 °C (UC Davis; Cargo Handbook); the transport band is the stone-fruit one'),
  {
    id: 'navel-orange',
    name: 'Navel orange',
    nameZh: '脐橙',
    minC: 3,
    maxC: 8,
    toleratedMinutes: 30,
    mktLimitC: 8,
    activationEnergyKjPerMol: DEFAULT_ACTIVATION_ENERGY_KJ_PER_MOL,
    precooling: null,
    silenceGapMinutes: 15,
    sources: [
      { field: 'minC, maxC', source: `${DOMAIN_FIGURES}: navel orange, 3–8 °C, 85–90 % RH (UC postharvest guidance)` },
      { field: 'toleratedMinutes', source: TOLERANCE_AS_STONE_FRUIT },
      { field: 'mktLimitC', source: MKT_AT_TOP },
      { field: 'activationEnergyKjPerMol', source: EA },
      { field: 'silenceGapMinutes', source: GAP },
    ],
  },
  {
    id: 'chilled',
    name: 'Chilled',
    nameZh: '冷藏',
    minC: 0,
    maxC: 4,
    toleratedMinutes: 30,
    mktLimitC: 4,
    activationEnergyKjPerMol: DEFAULT_ACTIVATION_ENERGY_KJ_PER_MOL,
    precooling: null,
    silenceGapMinutes: 15,
    sources: [
      { field: 'minC, maxC', source: 'assumption: 0–4 °C, the band chilled-food cold chains commonly hold; no source in docs/domain-figures.md, configure per county' },
      { field: 'toleratedMinutes', source: TOLERANCE_AS_STONE_FRUIT },
      { field: 'mktLimitC', source: MKT_AT_TOP },
      { field: 'activationEnergyKjPerMol', source: EA },
      { field: 'silenceGapMinutes', source: GAP },
    ],
  },
  {
    id: 'frozen',
    name: 'Frozen',
    nameZh: '冷冻',
    minC: -60,
    maxC: -18,
    toleratedMinutes: 30,
    mktLimitC: -18,
    activationEnergyKjPerMol: DEFAULT_ACTIVATION_ENERGY_KJ_PER_MOL,
    precooling: null,
    silenceGapMinutes: 15,
    sources: [
      { field: 'maxC', source: 'frozen food at −18 °C or colder: Codex code of practice for quick frozen foods (CXC 8-1976); GB 31605-2020' },
      { field: 'minC', source: 'no lower limit: −60 °C is the floor of the readings contract' },
      { field: 'toleratedMinutes', source: TOLERANCE_AS_STONE_FRUIT },
      { field: 'mktLimitC', source: 'assumption: the top of the range, −18 °C' },
      { field: 'activationEnergyKjPerMol', source: EA },
      { field: 'silenceGapMinutes', source: GAP },
    ],
  },
];
