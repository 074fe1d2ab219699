import { idSchema, type Issue } from '@county/contracts';
import { z } from 'zod';
import type { TravelMatrix } from '../../planning/domain/types.js';

/** The largest matrix a county may upload: about the biggest co-distribution network (docs/domain-figures.md). */
export const MAX_MATRIX_STATIONS = 1_000;
/** Problems reported at most, so a matrix wrong everywhere is not answered with a million details. */
const MAX_ISSUES = 20;

/**
 * The body of `PUT /dispatch/matrix`. Rows are checked by `matrixIssues` rather than by the schema, so a matrix
 * wrong in every cell is answered with its first problems, not one per cell.
 */
export const travelMatrixBodySchema = z
  .object({
    stationIds: z
      .array(idSchema)
      .min(2, 'at least 2 stations')
      .max(MAX_MATRIX_STATIONS, `at most ${MAX_MATRIX_STATIONS.toLocaleString('en')} stations`)
      .describe('the stations of the rows and columns, in order'),
    distanceKm: z.array(z.array(z.unknown())).describe('road km from the row’s station to the column’s: one row per station, as many numbers ≥ 0 as stations'),
    durationMinutes: z.array(z.array(z.unknown())).describe('driving minutes, in the same layout'),
  })
  .strict();
export type TravelMatrixBody = z.infer<typeof travelMatrixBodySchema>;

/**
 * Everything wrong with a matrix's form, each problem naming its field (`body.distanceKm.3.7`): station ids
 * listed twice, a table that is not square in the stations' size, a cell that is not a finite number ≥ 0.
 */
export function matrixIssues(body: TravelMatrixBody): Issue[] {
  const issues: Issue[] = [];
  let more = 0;
  const add = (path: string, reason: string) => (issues.length < MAX_ISSUES ? issues.push({ path, reason }) : more++);
  const size = body.stationIds.length;
  const seen = new Map<string, number>();
  body.stationIds.forEach((id, index) => {
    const first = seen.get(id);
    if (first !== undefined) add(`body.stationIds.${index}`, `${id} is listed twice (also at ${first})`);
    else seen.set(id, index);
  });
  for (const field of ['distanceKm', 'durationMinutes'] as const) {
    const table = body[field];
    if (table.length !== size) add(`body.${field}`, `${table.length} rows for ${size} stations: one row per station`);
    table.forEach((row, r) => {
      if (row.length !== size) add(`body.${field}.${r}`, `${row.length} numbers for ${size} stations: the matrix must be square`);
      row.forEach((cell, c) => {
        if (typeof cell !== 'number' || !Number.isFinite(cell)) add(`body.${field}.${r}.${c}`, 'a number');
        else if (cell < 0) add(`body.${field}.${r}.${c}`, `not negative (from ${body.stationIds[r] ?? r} to ${body.stationIds[c] ?? c})`);
      });
    });
  }
  if (more > 0) issues.push({ path: 'body', reason: `and ${more} more problem(s) like these` });
  return issues;
}

/** Station ids of the matrix the county does not have. */
export function unknownStationIssues(stationIds: readonly string[], known: ReadonlySet<string>): Issue[] {
  const unknown = stationIds.flatMap((id, index) => (known.has(id) ? [] : [{ path: `body.stationIds.${index}`, reason: `no station ${id} in this county` }]));
  return unknown.length > MAX_ISSUES
    ? [...unknown.slice(0, MAX_ISSUES), { path: 'body.stationIds', reason: `and ${unknown.length - MAX_ISSUES} more unknown station(s)` }]
    : unknown;
}

/** Row-major float64 (little-endian), as `travel_matrices` stores a table. */
export function packTable(table: readonly (readonly number[])[]): Uint8Array {
  const size = table.length;
  const cells = new Float64Array(size * size);
  table.forEach((row, r) => cells.set(row, r * size));
  return new Uint8Array(cells.buffer);
}

export function unpackTable(bytes: Uint8Array, size: number): number[][] {
  const cells = new Float64Array(size * size);
  new Uint8Array(cells.buffer).set(bytes.subarray(0, size * size * 8));
  return Array.from({ length: size }, (_, r) => Array.from(cells.subarray(r * size, (r + 1) * size)));
}

export function matrixOf(body: TravelMatrixBody): TravelMatrix {
  return { stationIds: body.stationIds, distanceKm: body.distanceKm as number[][], durationMinutes: body.durationMinutes as number[][] };
}
