import type { Vehicle } from '@county/contracts';
import type { PoolClient } from '@county/platform';
import { fail } from '../errors.js';
import type { FixedLine } from '../planning/domain/types.js';
import { findRecord, stationsById } from '../readmodel/store.js';
import { lineOverlaps, lineReferenceIssues, type FixedLineBody } from './domain/lines.js';
import { listLines, lockLines, saveLine } from './store.js';

export interface LineChange {
  countyId: string;
  lineId: string;
  body: FixedLineBody;
  by: string;
  at: Date;
}

/**
 * Creates or replaces a fixed line, once its stations and vehicle are the county's and in service and no station
 * of it is on another line on the same weekday. Writers of one county's lines take turns (an advisory lock), so
 * two concurrent writes cannot both claim a station.
 */
export async function putLine(tx: PoolClient, change: LineChange): Promise<{ line: FixedLine; created: boolean }> {
  const { countyId, lineId, body } = change;
  const stations = await stationsById(tx, countyId, body.stationIds);
  const vehicle = await findRecord<Vehicle>(tx, countyId, 'vehicle', body.vehicleId);
  const references = lineReferenceIssues(body, stations, vehicle);
  if (references.length > 0) throw fail('LINE_INVALID', undefined, references);
  await lockLines(tx, countyId);
  const overlaps = lineOverlaps({ ...body, id: lineId }, await listLines(tx, countyId));
  if (overlaps.length > 0) throw fail('LINE_CONFLICT', undefined, overlaps);
  const line: FixedLine = { id: lineId, name: body.name, stationIds: body.stationIds, vehicleId: body.vehicleId, weekdays: body.weekdays };
  const created = await saveLine(tx, countyId, line, change.by, change.at);
  return { line, created };
}
