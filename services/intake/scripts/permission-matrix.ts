import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Principal, type Role, roles, type Scan, scanKinds } from '@county/contracts';
import { checkRouteAccess, type App, type RouteAccess } from '@county/platform';
import { checkScan } from '../src/parcels/domain/scan-rules.js';

/**
 * Intake's permission matrix, generated from what the code declares: each route's `config.access`
 * (every `register…Routes` of src/http, recorded without a server) and, per scan kind, what
 * `checkScan` lets each role post. `npm run generate` writes it into the READMEs between markers;
 * test/permission-matrix.unit.test.ts fails when a README is stale, so the tables cannot drift.
 */

export interface DeclaredRoute {
  /** The src/http module that registers it. */
  module: string;
  method: string;
  url: string;
  access: RouteAccess;
}

const httpDir = fileURLToPath(new URL('../src/http/', import.meta.url));
const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every route of src/http with its declared access, in registration order. */
export async function declaredRoutes(): Promise<DeclaredRoute[]> {
  const routes: DeclaredRoute[] = [];
  for (const file of readdirSync(httpDir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')).sort()) {
    const module = file.replace(/\.ts$/, '');
    const exports = (await import(pathToFileURL(`${httpDir}${module}.js`).href)) as Record<string, unknown>;
    // Records the routes a module registers; the handlers are never called, so no deps are needed.
    const recorder = Object.fromEntries(
      methods.map((method) => [
        method,
        (url: string, options: { config?: { access?: unknown } }) => {
          const verb = method.toUpperCase();
          routes.push({ module, method: verb, url, access: checkRouteAccess(options.config?.access, `${verb} ${url}`) });
        },
      ]),
    ) as unknown as App;
    for (const [name, register] of Object.entries(exports)) {
      if (/^register\w*Routes$/.test(name) && typeof register === 'function') register(recorder, {});
    }
  }
  return routes;
}

const mark = (access: RouteAccess, role: Role) => (access === 'public' || access.includes(role) ? '✓' : '—');

/** One row per module and access list: the routes that share them. */
export function routeTable(routes: readonly DeclaredRoute[]): string {
  const rows = new Map<string, { module: string; access: RouteAccess; routes: string[] }>();
  for (const route of routes) {
    const key = `${route.module} ${JSON.stringify(route.access)}`;
    const row = rows.get(key) ?? { module: route.module, access: route.access, routes: [] };
    row.routes.push(`\`${route.method} ${route.url}\``);
    rows.set(key, row);
  }
  return [
    `| routes (\`src/http/\`) | ${roles.join(' | ')} |`,
    `|---|${roles.map(() => '---').join('|')}|`,
    ...[...rows.values()].map((row) => `| ${row.module}: ${row.routes.join(', ')} | ${roles.map((role) => mark(row.access, role)).join(' | ')} |`),
  ].join('\n');
}

const principals: Record<Role, Principal> = {
  admin: { keyId: 'k', countyId: 'c', role: 'admin' },
  operator: { keyId: 'k', countyId: 'c', role: 'operator' },
  station: { keyId: 'k', countyId: 'c', role: 'station', stationId: 'st-own' },
  driver: { keyId: 'k', countyId: 'c', role: 'driver', vehicleIds: ['v'] },
  courier: { keyId: 'k', countyId: 'c', role: 'courier', courierId: 'zto' },
  bureau: { keyId: 'k', countyId: 'c', role: 'bureau' },
};

/**
 * Who may post a scan kind on `POST /scans`: the route's access, then checkScan for a key at its
 * own station; a station key refused there may still post it as the center's own key. Which parcels
 * a station or courier key may scan (its own) is checked once the parcel is found (mayScan).
 */
function mayPost(access: RouteAccess, role: Role, kind: Scan['kind']): string {
  if (mark(access, role) !== '✓') return '—';
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

export const BEGIN = '<!-- permission-matrix: generated by `npm run generate` from src/http and scan-rules.ts; do not edit -->';
export const END = '<!-- /permission-matrix -->';

export async function matrix(): Promise<string> {
  const routes = await declaredRoutes();
  return `${BEGIN}\n${routeTable(routes)}\n\n${scanTable(routes)}\n${END}`;
}

/** The READMEs that carry intake's matrix. */
export const readmes = [new URL('../README.md', import.meta.url), new URL('../../../README.md', import.meta.url)];

/** The README with its matrix block replaced by `block`. */
export function withMatrix(readme: string, block: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('no permission-matrix markers');
  return readme.slice(0, start) + block + readme.slice(end + END.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const block = await matrix();
  for (const url of readmes) writeFileSync(url, withMatrix(readFileSync(url, 'utf8'), block));
}
