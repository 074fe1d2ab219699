import type { County, Courier, Station, Town, Vehicle, Village } from '@county/contracts';
import type { Finding, ImportError } from './errors.js';
import { jsonOrigin, type ImportOrigin } from './origin.js';
import { countyIdOf, isObject, parseRecord, type Parsed } from './records.js';
import { referenceFindings, type ParsedSections } from './references.js';
import { sections, type Section, type SectionRecords } from './sections.js';
import { summarize, type CountyImportSummary } from './summary.js';

/** What an import would store: every record valid, with its county's id, and what they add up to. */
export interface CountyImportPlan {
  county: County;
  towns: Town[];
  villages: Village[];
  stations: Station[];
  couriers: Courier[];
  vehicles: Vehicle[];
  summary: CountyImportSummary;
}

export type CountyImportResult = { ok: true; plan: CountyImportPlan } | { ok: false; errors: ImportError[] };

/**
 * Validates a whole county as one unit (the intake issue: nothing is imported when anything is
 * wrong), reporting every problem at once: each record against its schema, then the rules across
 * records. Pure; `origin` names files, rows and fields as the operator wrote them (JSON by default,
 * or the CSV files parseCountyCsv read).
 */
export function validateCountyImport(doc: unknown, origin: ImportOrigin = jsonOrigin): CountyImportResult {
  if (!isObject(doc)) {
    return { ok: false, errors: [{ file: '$', row: null, field: null, reason: `expected an object with ${sections.join(', ')}` }] };
  }
  const findings: Finding[] = [];
  const countyId = countyIdOf(doc.county);
  const parseSection = <S extends Section>(section: S): Parsed<SectionRecords[S]>[] => {
    const raw = section === 'county' ? (doc.county === undefined ? undefined : [doc.county]) : doc[section];
    if (!Array.isArray(raw)) {
      const reason = raw === undefined ? 'required' : `expected an array of ${section}`;
      findings.push({ section, index: null, path: [], reason });
      return [];
    }
    return raw.map((record, index) => {
      const result = parseRecord(section, index, record, countyId);
      findings.push(...result.findings);
      return result.parsed;
    });
  };
  const parsed: ParsedSections = {
    county: parseSection('county'),
    towns: parseSection('towns'),
    villages: parseSection('villages'),
    stations: parseSection('stations'),
    couriers: parseSection('couriers'),
    vehicles: parseSection('vehicles'),
  };
  findings.push(...referenceFindings(parsed, origin));
  const errors = [...unknownParts(doc), ...sortFindings(findings).map((finding) => placed(finding, origin))];
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: planOf(parsed) };
}

function unknownParts(doc: Record<string, unknown>): ImportError[] {
  return Object.keys(doc)
    .filter((key) => !(sections as readonly string[]).includes(key))
    .map((key) => ({ file: key, row: null, field: null, reason: `not part of a county import; expected ${sections.join(', ')}` }));
}

/** Findings in reading order: by file, then row (sort is stable, so rules keep their order in a row). */
function sortFindings(findings: Finding[]): Finding[] {
  const byFile = (finding: Finding) => sections.indexOf(finding.section);
  return [...findings].sort((a, b) => byFile(a) - byFile(b) || (a.index ?? -1) - (b.index ?? -1));
}

function placed(finding: Finding, origin: ImportOrigin): ImportError {
  return {
    file: origin.file(finding.section),
    row: finding.index === null ? null : origin.row(finding.section, finding.index),
    field: origin.field(finding.section, finding.path),
    reason: finding.reason,
  };
}

/** Only called when every record is valid, so each value is a whole record. */
function planOf(parsed: ParsedSections): CountyImportPlan {
  const whole = <S extends Section>(section: S) => parsed[section].map((item) => item.value as SectionRecords[S]);
  const records = {
    towns: whole('towns'),
    villages: whole('villages'),
    stations: whole('stations'),
    couriers: whole('couriers'),
    vehicles: whole('vehicles'),
  };
  return { county: whole('county')[0] as County, ...records, summary: summarize(records) };
}
