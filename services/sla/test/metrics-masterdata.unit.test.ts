import { describe, expect, it } from 'vitest';
import { masterDataCountyProblem } from '../src/metrics/domain/master-data.js';

describe("the metrics' copy of master data checks the county", () => {
  it('accepts a record of the event’s county', () => {
    expect(masterDataCountyProblem('masterdata.county_upserted', 'cn-1', { id: 'cn-1' })).toBeNull();
    expect(masterDataCountyProblem('masterdata.station_upserted', 'cn-1', { countyId: 'cn-1', id: 'v1' })).toBeNull();
  });

  it('names the field of a record of another county', () => {
    expect(masterDataCountyProblem('masterdata.county_upserted', 'cn-1', { id: 'cn-2' })).toMatchObject({ path: 'data.id', reason: "not the event's county cn-1" });
    expect(masterDataCountyProblem('masterdata.village_upserted', 'cn-1', { countyId: 'cn-2', code: '1' })).toMatchObject({ path: 'data.countyId', reason: "not the event's county cn-1" });
    expect(masterDataCountyProblem('masterdata.town_deactivated', 'cn-1', {})?.path).toBe('data.countyId');
  });
});
