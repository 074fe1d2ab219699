import type { Section } from './sections.js';

/**
 * Where the records of a document came from, so a problem is reported in the operator's terms:
 * the JSON property path, or the CSV file, line and column.
 */
export interface ImportOrigin {
  file(section: Section): string;
  /** The 1-based data row of the record at `index` of a section. */
  row(section: Section, index: number): number;
  /** The property or column holding `path` of a record; null for the record as a whole. */
  field(section: Section, path: readonly PropertyKey[]): string | null;
}

/** A JSON document: file = the top-level key, row = array index + 1, field = the dotted path. */
export const jsonOrigin: ImportOrigin = {
  file: (section) => section,
  row: (_section, index) => index + 1,
  field: (_section, path) => (path.length === 0 ? null : path.map(String).join('.')),
};
