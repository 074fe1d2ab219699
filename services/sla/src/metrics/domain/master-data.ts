/**
 * A master-data event's record must be of the event's county (the county record by its `id`, every other by its
 * `countyId`): what the metrics copy (`metrics_*`) is keyed by. Returns the problem, naming the field, or null.
 */
export function masterDataCountyProblem(type: string, eventCountyId: string, data: Record<string, unknown>): { path: string; reason: string; message: string } | null {
  const county = type === 'masterdata.county_upserted';
  const recordCounty = county ? data.id : data.countyId;
  if (recordCounty === eventCountyId) return null;
  const path = county ? 'data.id' : 'data.countyId';
  return { path, reason: `not the event's county ${eventCountyId}`, message: `${type}: a record of county ${String(recordCounty)} on an event of county ${eventCountyId}` };
}
