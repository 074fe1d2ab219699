import type { Section } from './sections.js';

/**
 * One problem in an import, where an operator finds it: the file (a JSON document's top-level key,
 * or a CSV file name), the 1-based data row, and the property or column. `row` is null for a
 * problem with a whole file or header, `field` for one with a whole record or file.
 */
export interface ImportError {
  file: string;
  row: number | null;
  field: string | null;
  reason: string;
}

/** A problem found in the document before it is placed in a file: by section, index and path. */
export interface Finding {
  section: Section;
  /** Index in the section's array (0 for the county); null for the section as a whole. */
  index: number | null;
  path: readonly PropertyKey[];
  reason: string;
}
