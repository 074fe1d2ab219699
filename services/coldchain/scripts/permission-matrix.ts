import { permissionMatrix } from '../../../scripts/lib/permission-matrix.js';

/**
 * coldchain's permission matrix, generated from the routes' declared access (scripts/lib/permission-matrix.ts).
 * `npm run generate -w @county/coldchain` writes it into the README; test/permission-matrix.unit.test.ts fail(s) when the README is stale.
 */
export type { DeclaredRoute } from '../../../scripts/lib/permission-matrix.js';
export const { BEGIN, END, declaredRoutes, matrix, readme, withMatrix } = permissionMatrix('coldchain', import.meta.url);
