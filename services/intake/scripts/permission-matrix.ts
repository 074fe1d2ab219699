import { type Principal, type Role, roles, type Scan, scanKinds } from '@county/contracts';
import type { RouteAccess } from '@county/platform';
import { type DeclaredRoute, permissionMatrix } from '../../../scripts/lib/permission-matrix.js';
import { checkScan } from '../src/parcels/domain/scan-rules.js';

/**
 * Intake's permission matrix, generated from what the code declares (scripts/lib/permission-matrix.ts): each
 * route's `config.access` (every `register…Routes` of src/http), and, per scan kind, what `checkScan` lets each
 * role post. `npm run generate -w @county/intake` writes it into its README and the root README;
 * test/permission-matrix.unit.test.ts fails when one is stale, so the tables cannot drift.
 */

const principals: Record<Role, Principal> = {
  admin: { keyId: 'k', countyId: 'c', role: 'admin' },
  operator: { keyId: 'k', countyId: 'c', role: 'operator' },
  station: { keyId: 'k', countyId: 'c', role: 'station', stationId: 'st-own' },
  driver: { keyId: 'k', countyId: 'c', role: 'driver', vehicleIds: ['v'] },
  courier: { keyId: 'k', countyId: 'c', role: 'courier', courierId: 'zto' },
  bureau: { keyId: 'k', countyId: 'c', role: 'bureau' },
};

const allowed = (access: RouteAccess, role: Role) => access === 'public' || access.includes(role);

/**
 * Who may post a scan kind on `POST /scans`: the route's access, then checkScan for a key at its
 * own station; a station key refused there may still post it as the center's own key. Which parcels
 * a station or courier key may scan (its own) is checked once the parcel is found (mayScan).
 */
function mayPost(access: RouteAccess, role: Role, kind: Scan['kind']): string {
  if (!allowed(access, role)) return '—';
  const scan: Scan = { kind, parcel: { parcelId: '00000000-0000-4000-8000-000000000000' }, occurredAt: '2026-01-01T00:00:00Z', stationId: 'st-own' };
  const context = { centerStationId: 'st-center', now: new Date('2026-01-01T00:00:00Z') };
  if (checkScan(principals[role], scan, context) === null) return role === 'station' ? 'own station, its parcels' : role === 'courier' ? 'own parcels' : '✓';
  if (role === 'station' && checkScan(principals[role], scan, { ...context, centerStationId: 'st-own' }) === null) return "the center's key";
  return '—';
}

/** One row per set of scan kinds that the same roles may post. */
export function scanTable(routes: readonly DeclaredRoute[]): string {
  const scans = routes.find((r) => r.method === 'POST' && r.url === '/scans');
  if (!scans) throw new Error('no POST /scans route');
  const rows = new Map<string, string[]>();
  for (const kind of scanKinds) {
    const cells = roles.map((role) => mayPost(scans.access, role, kind)).join(' | ');
    rows.set(cells, [...(rows.get(cells) ?? []), `\`${kind}\``]);
  }
  return [
    `| scan kind (\`POST /scans\`, \`/scans/batch\`) | ${roles.join(' | ')} |`,
    `|---|${roles.map(() => '---').join('|')}|`,
    ...[...rows].map(([cells, kinds]) => `| ${kinds.join(', ')} | ${cells} |`),
  ].join('\n');
}

export type { DeclaredRoute } from '../../../scripts/lib/permission-matrix.js';
export const { BEGIN, END, declaredRoutes, matrix, readme, readmes, withMatrix } = permissionMatrix('intake', import.meta.url, {
  tables: (routes) => [scanTable(routes)],
  alsoIn: [new URL('../../../README.md', import.meta.url)],
});
