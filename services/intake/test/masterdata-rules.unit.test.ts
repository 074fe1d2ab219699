import type { Station, Town, Village } from '@county/contracts';
import { describe, expect, it } from 'vitest';
import { validateCountyImport } from '../src/masterdata/domain/import/index.js';
import { problemsOfChange, restated, type CountyState } from '../src/masterdata/domain/change-rules.js';
import { miniCounty } from './masterdata-support.js';

const countyId = 'cn-rules';

function miniState(): CountyState {
  const result = validateCountyImport(miniCounty(countyId));
  if (!result.ok) throw new Error('the mini county is invalid');
  const { summary: _summary, ...state } = result.plan;
  return state;
}

const station = (state: CountyState, id: string) => state.stations.find((s) => s.id === id) as Station;

describe('checking one change by the import’s rules', () => {
  it('passes a change that breaks nothing', () => {
    const state = miniState();
    expect(problemsOfChange(state, { entity: 'station', record: { ...station(state, 'ts-102'), name: '石门镇服务站' } })).toEqual({ own: [], others: [] });
  });

  it('names the record’s own fields, and the records it would break by entity and id', () => {
    const state = miniState();
    const village: Village = { ...state.villages[0]!, townId: 'town-102' };
    expect(problemsOfChange(state, { entity: 'village', record: village })).toEqual({
      own: [{ path: 'body.code', reason: 'not a village of town town-102 (code 511623102)' }],
      others: [],
    });
    const town: Town = { ...state.towns[1]!, active: false };
    const { own, others } = problemsOfChange(state, { entity: 'town', record: town });
    expect(own).toEqual([]);
    expect(others).toContainEqual({ path: 'station:vs-102202.townId', reason: 'town town-102 is inactive' });
  });

  it('lets a change through that leaves an old problem as it was', () => {
    const state = miniState();
    // Written before the rules, or seeded by SQL: a station of a town nobody recorded.
    state.stations.push({ ...station(state, 'ts-102'), id: 'ts-legacy', townId: 'town-gone', villageCodes: [] });
    const renamed = { ...station(state, 'ts-legacy'), name: '老站' };
    expect(problemsOfChange(state, { entity: 'station', record: renamed })).toEqual({ own: [], others: [] });
    const moved = { ...renamed, townId: 'town-elsewhere' };
    expect(problemsOfChange(state, { entity: 'station', record: moved }).own).toEqual([{ path: 'body.townId', reason: 'unknown town town-elsewhere' }]);
  });

  it('reports a second center against the change, naming the center', () => {
    const state = miniState();
    const second = { ...station(state, 'center'), id: 'center-2' };
    expect(problemsOfChange(state, { entity: 'station', record: second }).own).toEqual([
      { path: 'body.kind', reason: 'a second center; the center is center' },
    ]);
  });

  it('names records instead of import rows', () => {
    const idAt = (_section: string, row: number) => ['van-01', 'van-02'][row - 1] ?? null;
    expect(restated('duplicate 川X·12345, also in row 2', 'vehicles', idAt)).toBe('duplicate 川X·12345, also in vehicle van-02');
    expect(restated('village 511623102202 is served by village station vs-1 already (row 1)', 'stations', idAt)).toBe(
      'village 511623102202 is served by village station vs-1 already',
    );
  });
});
