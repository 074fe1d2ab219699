import type { PoolClient } from '@county/platform';
import { fail } from '../errors.js';
import { stationsById } from '../readmodel/store.js';
import { matrixIssues, matrixOf, unknownStationIssues, type TravelMatrixBody } from './domain/matrix.js';
import { saveMatrix } from './store.js';

/**
 * Replaces the county's travel matrix once its form holds (square in the stations' size, finite numbers ≥ 0, no
 * station twice: 400) and every station is the county's (422). Nothing is stored otherwise.
 */
export async function putMatrix(tx: PoolClient, change: { countyId: string; body: TravelMatrixBody; by: string; at: Date }): Promise<void> {
  const form = matrixIssues(change.body);
  if (form.length > 0) throw fail('VALIDATION_FAILED', undefined, form);
  const known = await stationsById(tx, change.countyId, change.body.stationIds);
  const unknown = unknownStationIssues(change.body.stationIds, new Set(known.keys()));
  if (unknown.length > 0) throw fail('MATRIX_INVALID', undefined, unknown);
  await saveMatrix(tx, change.countyId, matrixOf(change.body), change.by, change.at);
}
