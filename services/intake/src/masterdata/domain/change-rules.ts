import type { County, Courier, Issue, MasterDataEntity, Station, Town, Vehicle, Village } from '@county/contracts';
import { validateCountyImport, type ImportError, type Section } from './import/index.js';
import { entitySpecs, recordId, type AnyRecord } from './entities.js';

/** A county's master data as stored: every record, active or not. */
export interface CountyState {
  county: County | undefined;
  towns: Town[];
  villages: Village[];
  stations: Station[];
  couriers: Courier[];
  vehicles: Vehicle[];
}

export const emptyCountyState = (): CountyState => ({ county: undefined, towns: [], villages: [], stations: [], couriers: [], vehicles: [] });

/**
 * What a single change would break, by the rules of a county import (domain/import: one set of
 * rules for REST and import). `own` are problems of the changed record itself (paths `body.<field>`),
 * `others` problems it would cause in other records (paths `<entity>:<id>.<field>`).
 */
export interface ChangeProblems {
  own: Issue[];
  others: Issue[];
}

/**
 * Checks a change by validating the county as it would be after it. Only problems the change
 * introduces count: data written before these rules (or seeded by SQL) may already break some,
 * and a change that leaves them as they were must still go through — so a county can also be built
 * up record by record, before it has its center. Validating a whole county takes ~15 ms at the
 * demo county's size (≈ 500 records); the state before is validated only when the state after has
 * problems.
 */
export function problemsOfChange(state: CountyState, change: AnyRecord): ChangeProblems {
  const after = withChange(state, change);
  const found = findingsOf(after);
  if (found.length === 0) return { own: [], others: [] };
  const before = new Set(findingsOf(state).map(keyOf));
  const fresh = found.filter((finding) => !before.has(keyOf(finding)));
  const section = entitySpecs[change.entity].section;
  const id = recordId(change.entity, change.record as never);
  const isOwn = (finding: Finding) => finding.section === section && (finding.id === id || finding.id === null);
  return {
    own: fresh.filter(isOwn).map((finding) => ({ path: ['body', finding.field].filter(Boolean).join('.'), reason: finding.reason })),
    others: fresh
      .filter((finding) => !isOwn(finding))
      .map((finding) => ({ path: [placeOf(finding), finding.field].filter(Boolean).join('.'), reason: finding.reason })),
  };
}

/** The state with the record replaced — placed last in its part, so rules that keep the first of two (a village's station, a plate) keep the stored one. */
export function withChange(state: CountyState, change: AnyRecord): CountyState {
  if (change.entity === 'county') return { ...state, county: change.record };
  const section = entitySpecs[change.entity].section as Exclude<Section, 'county'>;
  const id = recordId(change.entity, change.record as never);
  const others = (state[section] as AnyRecord['record'][]).filter((record) => recordId(change.entity, record as never) !== id);
  return { ...state, [section]: [...others, change.record] };
}

/** A problem with a record named by its id rather than its row. */
interface Finding {
  section: Section;
  /** The record's id, or null for a problem with a whole part (no center at all). */
  id: string | null;
  field: string | null;
  reason: string;
}

const keyOf = (finding: Finding) => JSON.stringify([finding.section, finding.id, finding.field, finding.reason]);

const entityOfSection = Object.fromEntries(Object.values(entitySpecs).map((spec) => [spec.section, spec.entity])) as Record<Section, MasterDataEntity>;

const placeOf = (finding: Finding) => (finding.id === null ? finding.section : `${entityOfSection[finding.section]}:${finding.id}`);

function findingsOf(state: CountyState): Finding[] {
  const result = validateCountyImport(documentOf(state));
  if (result.ok) return [];
  const idAt = (section: Section, row: number | null): string | null => {
    if (row === null) return null;
    const record = section === 'county' ? state.county : state[section][row - 1];
    return record ? recordId(entityOfSection[section], record as never) : null;
  };
  return result.errors.map((error: ImportError) => {
    // The JSON origin names each part by its section.
    const section = error.file as Section;
    return { section, id: idAt(section, error.row), field: error.field, reason: restated(error.reason, section, idAt) };
  });
}

/**
 * The import's reasons point at other rows ("also in row 7", "(row 7)"); outside an import a row
 * means nothing, so they name the record instead, or are left out where the reason names it already.
 */
export function restated(reason: string, section: Section, idAt: (section: Section, row: number) => string | null): string {
  return reason
    .replace(/ \(row \d+\)/g, '')
    .replace(/row (\d+)/g, (text, row: string) => {
      const id = idAt(section, Number(row));
      return id === null ? text : `${entityOfSection[section]} ${id}`;
    });
}

/** The state as an import document: records without their countyId, which the import adds. */
function documentOf(state: CountyState) {
  const parts = <T extends { countyId: string }>(records: T[]) => records.map(({ countyId: _countyId, ...rest }) => rest);
  return {
    county: state.county,
    towns: parts(state.towns),
    villages: parts(state.villages),
    stations: parts(state.stations),
    couriers: parts(state.couriers),
    vehicles: parts(state.vehicles),
  };
}
