export type { ImportError } from './errors.js';
export { jsonOrigin, type ImportOrigin } from './origin.js';
export { sections, type CountyImportDocument, type Section } from './sections.js';
export type { CountyImportSummary } from './summary.js';
export { validateCountyImport, type CountyImportPlan, type CountyImportResult } from './validate.js';
export { parseCountyCsv, validateCountyCsv, type CountyCsvFiles, type CountyCsvParse } from './csv/parse.js';
