import { idSchema, textSchema, type Issue, type Station, type Vehicle } from '@county/contracts';
import { z } from 'zod';
import type { FixedLine } from '../../planning/domain/types.js';

/** A fixed line as an admin writes it (`PUT /dispatch/lines/:lineId`); its id is the path's. */
export const fixedLineBodySchema = z
  .object({
    name: textSchema.trim().min(1, 'required').max(100, 'at most 100 characters'),
    stationIds: z
      .array(idSchema)
      .min(1, 'at least one station')
      .max(100, 'at most 100 stations')
      .superRefine((ids, ctx) => duplicates(ids).forEach((index) => ctx.addIssue({ code: 'custom', path: [index], message: `${ids[index]} is listed twice` })))
      .describe('the stops in driving order; the line starts and ends at its vehicle’s depot'),
    vehicleId: idSchema,
    weekdays: z
      .array(z.int('a whole number').min(1, 'ISO weekday 1 (Monday) … 7 (Sunday)').max(7, 'ISO weekday 1 (Monday) … 7 (Sunday)'))
      .min(1, 'at least one weekday')
      .max(7)
      .superRefine((days, ctx) => duplicates(days).forEach((index) => ctx.addIssue({ code: 'custom', path: [index], message: `weekday ${days[index]} is listed twice` })))
      .describe('the ISO weekdays it runs, 1 (Monday) … 7 (Sunday)'),
  })
  .strict();
export type FixedLineBody = z.infer<typeof fixedLineBodySchema>;

function duplicates<T>(values: readonly T[]): number[] {
  const seen = new Set<T>();
  return values.flatMap((value, index) => {
    if (seen.has(value)) return [index];
    seen.add(value);
    return [];
  });
}

/**
 * What a line names that the county cannot run it with: stations it does not have, has taken out of service,
 * or its center (where a line starts, not a stop); a vehicle it does not have or has taken out of service.
 */
export function lineReferenceIssues(line: FixedLineBody, stations: ReadonlyMap<string, Station>, vehicle: Vehicle | undefined): Issue[] {
  const issues: Issue[] = [];
  line.stationIds.forEach((id, index) => {
    const station = stations.get(id);
    const path = `body.stationIds.${index}`;
    if (!station) issues.push({ path, reason: `no station ${id} in this county` });
    else if (!station.active) issues.push({ path, reason: `station ${id} is out of service` });
    else if (station.kind === 'center') issues.push({ path, reason: `${id} is the center, where a line starts and ends: list its stops` });
  });
  if (!vehicle) issues.push({ path: 'body.vehicleId', reason: `no vehicle ${line.vehicleId} in this county` });
  else if (!vehicle.active) issues.push({ path: 'body.vehicleId', reason: `vehicle ${line.vehicleId} is out of service` });
  return issues;
}

/**
 * A station served by two lines on the same weekday would leave a wave unable to say which line carries its
 * parcels: each such station of the new line, with the other line and the shared weekdays.
 */
export function lineOverlaps(line: FixedLineBody & { id: string }, others: readonly FixedLine[]): Issue[] {
  const issues: Issue[] = [];
  line.stationIds.forEach((stationId, index) => {
    for (const other of others) {
      if (other.id === line.id || !other.stationIds.includes(stationId)) continue;
      const shared = line.weekdays.filter((day) => other.weekdays.includes(day)).sort();
      if (shared.length > 0) {
        issues.push({ path: `body.stationIds.${index}`, reason: `${stationId} is on line ${other.id} on weekday(s) ${shared.join(', ')} already` });
      }
    }
  });
  return issues;
}
