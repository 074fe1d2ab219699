import type { ImportError } from '../errors.js';
import type { ImportOrigin } from '../origin.js';
import { sections, type CountyImportDocument, type Section } from '../sections.js';
import { validateCountyImport, type CountyImportResult } from '../validate.js';
import { columnOf, csvFiles } from './columns.js';
import { parseCsvFile, type FileRead } from './parse-file.js';

/** CSV files by name (county.csv, towns.csv, …), each decoded as UTF-8, with or without a BOM. */
export type CountyCsvFiles = Record<string, string>;

export type CountyCsvParse = { ok: true; doc: CountyImportDocument; origin: ImportOrigin } | { ok: false; errors: ImportError[] };

/**
 * Reads the six files of a county import (columns in README.md) into the JSON form of the import,
 * with the origin that names their files, rows and columns in validateCountyImport's errors.
 */
export function parseCountyCsv(files: CountyCsvFiles): CountyCsvParse {
  const read = readCountyCsv(files);
  return read.errors.length > 0 ? { ok: false, errors: read.errors } : { ok: true, doc: read.doc, origin: read.origin };
}

/**
 * Reads and validates a county import given as CSV, reporting every problem at once: those of
 * reading (a bad number, an unknown column) together with those of validation, less the ones the
 * reading problems already explain. When a file is missing or unreadable, only reading problems
 * are reported: checking references against a missing file would only add noise.
 */
export function validateCountyCsv(files: CountyCsvFiles): CountyImportResult {
  const read = readCountyCsv(files);
  if (!read.complete) return { ok: false, errors: read.errors };
  const result = validateCountyImport(read.doc, read.origin);
  if (read.errors.length === 0) return result;
  const explained = (error: ImportError) =>
    read.errors.some(
      (known) =>
        known.file === error.file && (known.row === null || known.row === error.row) && (known.field === null || known.field === error.field),
    );
  const errors = [...read.errors, ...(result.ok ? [] : result.errors.filter((error) => !explained(error)))];
  return { ok: false, errors: sortByFile(errors) };
}

function readCountyCsv(files: CountyCsvFiles) {
  const errors: ImportError[] = Object.keys(files)
    .filter((name) => !sections.some((section) => csvFiles[section].name === name))
    .map((name) => ({ file: name, row: null, field: null, reason: `not a county import file; expected ${fileNames()}` }));
  const reads = {} as Record<Section, FileRead>;
  for (const section of sections) {
    const { name } = csvFiles[section];
    const content = files[name];
    reads[section] =
      content === undefined
        ? { records: [], rows: [], errors: [{ file: name, row: null, field: null, reason: 'missing file' }], readable: false }
        : parseCsvFile(csvFiles[section], content);
  }
  errors.push(...sections.flatMap((section) => reads[section].errors), ...countyRowErrors(reads.county));
  const doc: CountyImportDocument = {
    county: reads.county.records[0],
    towns: reads.towns.records,
    villages: reads.villages.records,
    stations: reads.stations.records,
    couriers: reads.couriers.records,
    vehicles: reads.vehicles.records,
  };
  const complete = reads.county.records.length > 0 && sections.every((section) => reads[section].readable);
  return { doc, origin: csvOrigin(reads), errors: sortByFile(errors), complete };
}

/** county.csv holds exactly one county. */
function countyRowErrors(read: FileRead): ImportError[] {
  const at = (row: number | null, reason: string): ImportError => ({ file: csvFiles.county.name, row, field: null, reason });
  const extra = read.rows.slice(1).map((row) => at(row, 'a second county; county.csv holds one'));
  return read.readable && read.records.length === 0 ? [at(null, 'no county row under the header')] : extra;
}

function csvOrigin(reads: Record<Section, FileRead>): ImportOrigin {
  return {
    file: (section) => csvFiles[section].name,
    row: (section, index) => reads[section].rows[index] ?? index + 1,
    field: (section, path) => columnOf(csvFiles[section], path),
  };
}

const fileOrder = (file: string) => {
  const position = sections.findIndex((section) => csvFiles[section].name === file);
  return position === -1 ? sections.length : position;
};

function sortByFile(errors: ImportError[]): ImportError[] {
  return [...errors].sort((a, b) => fileOrder(a.file) - fileOrder(b.file) || (a.row ?? 0) - (b.row ?? 0));
}

const fileNames = () => sections.map((section) => csvFiles[section].name).join(', ');
