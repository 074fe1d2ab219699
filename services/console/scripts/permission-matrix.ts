import { permissionMatrix } from '../../../scripts/lib/permission-matrix.js';

/**
 * console's permission matrix, generated from the routes' declared access (scripts/lib/permission-matrix.ts).
 * `npm run generate -w @county/console` writes it into the README; test/permission-matrix.unit.test.ts fails when the
 * README is stale. The proxy (`src/proxy/`) and the web app (`src/spa/`) are public here: each service checks the key.
 */
export type { DeclaredRoute } from '../../../scripts/lib/permission-matrix.js';
export const { BEGIN, END, declaredRoutes, matrix, readme, withMatrix } = permissionMatrix('console', import.meta.url);
