import {
  countyIdSchema,
  countySchema,
  courierSchema,
  stationSchema,
  townSchema,
  vehicleSchema,
  villageSchema,
} from '@county/contracts';
import type { z } from 'zod';
import type { Finding } from './errors.js';
import { issueFindings } from './issues.js';
import type { Section, SectionRecords } from './sections.js';

/**
 * A record as far as it could be read. An invalid record keeps its valid fields, so its references
 * are still checked and its id still resolves: one pass reports every problem, and a bad
 * coordinate on a town does not also make every village of that town "of an unknown town".
 */
export interface Parsed<T> {
  index: number;
  value: Partial<T>;
  valid: boolean;
}

const recordSchemas: Record<Section, z.ZodObject> = {
  county: countySchema,
  towns: townSchema,
  villages: villageSchema,
  stations: stationSchema,
  couriers: courierSchema,
  vehicles: vehicleSchema,
};

/** Any valid id: when the county's own id is invalid (already reported), records still parse. */
const STAND_IN_COUNTY_ID = 'invalid-county';

export function countyIdOf(county: unknown): string {
  const id = isObject(county) ? countyIdSchema.safeParse(county.id) : undefined;
  return id?.success ? id.data : STAND_IN_COUNTY_ID;
}

/** Parses one record of a section; records other than the county take the county's id. */
export function parseRecord<S extends Section>(
  section: S,
  index: number,
  raw: unknown,
  countyId: string,
): { parsed: Parsed<SectionRecords[S]>; findings: Finding[] } {
  if (!isObject(raw)) {
    return { parsed: { index, value: {}, valid: false }, findings: [{ section, index, path: [], reason: 'expected an object' }] };
  }
  const findings: Finding[] = [];
  if (section !== 'county' && 'countyId' in raw) {
    findings.push({ section, index, path: ['countyId'], reason: 'not part of an import: every record takes the county’s id' });
  }
  const schema = recordSchemas[section];
  const input = section === 'county' ? raw : { ...raw, countyId };
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) {
    // The schema of the section is the one that produced this value.
    return { parsed: { index, value: result.data as SectionRecords[S], valid: findings.length === 0 }, findings };
  }
  findings.push(...issueFindings(section, index, result.error));
  const value = salvage(schema, input, findings) as Partial<SectionRecords[S]>;
  return { parsed: { index, value, valid: false }, findings };
}

/** The top-level fields of an invalid record that are valid on their own. */
function salvage(schema: z.ZodObject, input: Record<string, unknown>, findings: Finding[]): Record<string, unknown> {
  const broken = new Set(findings.map((finding) => finding.path[0]));
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    if (broken.has(key)) continue;
    const result = field.safeParse(input[key]);
    if (result.success && result.data !== undefined) value[key] = result.data;
  }
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
