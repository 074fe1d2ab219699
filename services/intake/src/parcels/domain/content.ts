import { createHash } from 'node:crypto';
import { issuesFromZod, manifestParcelSchema, type Issue } from '@county/contracts';
import type { z } from 'zod';

/** A parcel as a courier announced it, validated, with its defaults and its volume filled in. */
export type ParcelContract = z.output<typeof manifestParcelSchema> & { volumeM3: number };

/**
 * Density assumed for a parcel sent without a volume, and for booked produce (book-pickup.ts): 167 kg/m³,
 * i.e. the volumetric-weight divisor of 6,000 cm³/kg that Chinese express couriers commonly price by
 * (volume = weight × 0.006 m³/kg).
 * An assumption, not a sourced figure (docs/domain-figures.md has none): light e-commerce
 * parcels are often bulkier, so route capacity planning errs on the roomy side with it.
 */
export const DEFAULT_M3_PER_KG = 0.006;

/** Rounded to 1 cm³: finer than any courier measures, and keeps float noise out of contracts and hashes. */
const CM3_PER_M3 = 1_000_000;

export function defaultVolumeM3(weightKg: number): number {
  return Math.max(1, Math.round(weightKg * DEFAULT_M3_PER_KG * CM3_PER_M3)) / CM3_PER_M3;
}

export type ParsedItem = { ok: true; contract: ParcelContract; hash: string } | { ok: false; issues: Issue[] };

/** Validates one announced parcel; its issues carry paths inside the item (`weightKg`, `recipient.phone`). */
export function parseParcel(raw: unknown): ParsedItem {
  const parsed = manifestParcelSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  const contract: ParcelContract = { ...parsed.data, volumeM3: parsed.data.volumeM3 ?? defaultVolumeM3(parsed.data.weightKg) };
  return { ok: true, contract, hash: contentHash(contract) };
}

/**
 * The identity of a parcel's content: SHA-256 of its normalised contract with keys sorted, so the
 * same parcel sent again (defaults spelled out or not, keys in any order) hashes the same.
 */
export function contentHash(contract: ParcelContract): string {
  return `sha256:${createHash('sha256').update(canonicalJson(contract)).digest('hex')}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** One field that differs between the parcel kept and the one announced again. */
export interface Difference {
  field: string;
  /** How it reads to an operator: `weightKg: 2 → 3`, `recipient.phone differs`. */
  description: string;
  /** Absent for personal fields, which are named but never copied (docs/architecture.md "Parcel contract"). */
  kept?: unknown;
  received?: unknown;
}

/** Recipient and sender are people: a conflict says that their name or phone differs, never what. */
const PERSONAL = /^(recipient|sender)(\.|$)/;

/** Field-by-field differences between two contracts, in a stable order of dotted paths. */
export function differences(kept: Record<string, unknown>, received: Record<string, unknown>): Difference[] {
  const a = flatten(kept);
  const b = flatten(received);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  const found: Difference[] = [];
  for (const field of fields) {
    const was = a.get(field);
    const now = b.get(field);
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    if (PERSONAL.test(field)) {
      found.push({ field, description: `${field} differs` });
      continue;
    }
    found.push({
      field,
      description: `${field}: ${JSON.stringify(was ?? null)} → ${JSON.stringify(now ?? null)}`,
      ...(was !== undefined ? { kept: was } : {}),
      ...(now !== undefined ? { received: now } : {}),
    });
  }
  return found;
}

/** Leaves of an object by dotted path (arrays are compared whole: the contract has none). */
function flatten(value: Record<string, unknown>, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, path, into);
    else if (v !== undefined) into.set(path, v);
  }
  return into;
}
