import { parse } from 'csv-parse/sync';
import type { ImportError } from '../errors.js';
import type { CsvFile } from './columns.js';

/** The records of one CSV file in their JSON form, each with its data row, and what was wrong. */
export interface FileRead {
  records: Record<string, unknown>[];
  rows: number[];
  errors: ImportError[];
  /** False when the file could not be read at all (not CSV, not UTF-8, no header). */
  readable: boolean;
}

/**
 * Reads one import file. A data row is numbered from the first line under the header, blank lines
 * included, so it is the line number less one and the row a spreadsheet shows less one (a quoted
 * value spanning lines is one row).
 */
export function parseCsvFile(file: CsvFile, content: string): FileRead {
  const fail = (reason: string, row: number | null = null): FileRead => ({
    records: [],
    rows: [],
    errors: [{ file: file.name, row, field: null, reason }],
    readable: false,
  });
  // A decoder replaces bytes that are not UTF-8 with U+FFFD; Excel's "CSV" in China is GBK.
  if (content.includes('\uFFFD')) return fail('not UTF-8: save it as “CSV UTF-8”');
  // Parsing encodes the text as UTF-8, which would turn a lone surrogate into U+FFFD unnoticed.
  const surrogate = LONE_SURROGATE.exec(content);
  if (surrogate) return fail('not text: holds an unpaired surrogate', lineRow(content, surrogate.index));
  let lines: string[][];
  try {
    lines = parse(content, { bom: true, trim: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    const { message, lines: at } = error as { message: string; lines?: number };
    return fail(`not valid CSV: ${message}`, typeof at === 'number' ? Math.max(at - 1, 1) : null);
  }
  const [header, ...data] = lines;
  if (!header || header.every((cell) => cell === '')) return fail(`no header row; expected ${file.columns.map((c) => c.name).join(',')}`);

  const errors = headerErrors(file, header);
  const read: FileRead = { records: [], rows: [], errors, readable: true };
  data.forEach((cells, position) => {
    const row = position + 1;
    if (cells.every((cell) => cell === '')) return;
    const rowErrors = recordErrors(file, header, cells, row);
    const { record, cellErrors } = readRecord(file, header, cells, row);
    // A row whose values do not line up with the header (an unquoted comma) says so once.
    errors.push(...(rowErrors.length > 0 ? rowErrors : cellErrors));
    read.records.push(record);
    read.rows.push(row);
  });
  return read;
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The data row of a position in the file (null in the header), numbered as parseCsvFile numbers rows. */
function lineRow(content: string, index: number): number | null {
  const row = content.slice(0, index).split('\n').length - 1;
  return row > 0 ? row : null;
}

function headerErrors(file: CsvFile, header: string[]): ImportError[] {
  const known = new Set(file.columns.map((column) => column.name));
  const errors: ImportError[] = [];
  const at = (field: string, reason: string) => errors.push({ file: file.name, row: null, field, reason });
  header.forEach((name, position) => {
    if (!known.has(name)) at(name, `unknown column; expected ${[...known].join(', ')}`);
    else if (header.indexOf(name) !== position) at(name, 'column appears twice');
  });
  for (const column of file.columns) if (column.required && !header.includes(column.name)) at(column.name, 'missing required column');
  return errors;
}

function recordErrors(file: CsvFile, header: string[], cells: string[], row: number): ImportError[] {
  if (cells.length === header.length) return [];
  const hint = cells.length > header.length ? ' (a comma in a value that is not in quotes?)' : '';
  return [{ file: file.name, row, field: null, reason: `${cells.length} values for ${header.length} columns${hint}` }];
}

function readRecord(file: CsvFile, header: string[], cells: string[], row: number) {
  const record: Record<string, unknown> = {};
  const cellErrors: ImportError[] = [];
  for (const column of file.columns) {
    const cell = cells[header.indexOf(column.name)] ?? '';
    if (cell === '') continue;
    const result = column.read(cell);
    if ('error' in result) cellErrors.push({ file: file.name, row, field: column.name, reason: result.error });
    else setPath(record, column.path, result.value);
  }
  return { record, cellErrors };
}

/** Sets a nested property, keeping what is already there (a frequency's kind, then its anchor). */
function setPath(record: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [key, ...rest] = path;
  if (key === undefined) return;
  if (rest.length === 0) {
    record[key] = value;
    return;
  }
  const inner = record[key];
  const child = typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : {};
  record[key] = child;
  setPath(child, rest, value);
}
