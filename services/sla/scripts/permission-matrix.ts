import { permissionMatrix } from '../../../scripts/lib/permission-matrix.js';

/**
 * sla's permission matrix, generated from the routes' declared access (scripts/lib/permission-matrix.ts).
 * `npm run generate -w @county/sla` writes it into the README; test/alerts-permission-matrix.unit.test.ts and test/metrics-permission-matrix.unit.test.ts fail(s) when the README is stale.
 */
export type { DeclaredRoute } from '../../../scripts/lib/permission-matrix.js';
export const { BEGIN, END, declaredRoutes, matrix, readme, withMatrix } = permissionMatrix('sla', import.meta.url);
