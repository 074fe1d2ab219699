import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN, declaredRoutes, END, matrix, readme, withMatrix } from '../scripts/permission-matrix.js';

describe("coldchain's permission matrix", () => {
  it('in the README is the one the routes declare (npm run generate -w @county/coldchain rewrites it)', async () => {
    const text = readFileSync(readme, 'utf8');
    expect(text.slice(text.indexOf(BEGIN), text.indexOf(END) + END.length), 'services/coldchain/README.md is stale: run npm run generate -w @county/coldchain').toBe(
      await matrix(),
    );
  });

  it('lists every route with the roles it declares: profiles written by admins, containers read by drivers, compliance by couriers', async () => {
    const routes = await declaredRoutes();
    const access = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
    expect(access('PUT', '/coldchain/profiles/:profileId')).toEqual(['admin']);
    expect(access('GET', '/coldchain/profiles')).toEqual(['admin', 'operator']);
    expect(access('GET', '/coldchain/containers')).toEqual(['admin', 'operator', 'driver']);
    expect(access('POST', '/coldchain/bindings')).toEqual(['admin', 'operator']);
    expect(access('GET', '/coldchain/parcels/:parcelId/compliance')).toEqual(['admin', 'operator', 'courier']);
    const block = await matrix();
    for (const route of routes) expect(block).toContain(`\`${route.method} ${route.url}\``);
  });

  it('a README whose table differs from the routes is told apart', () => {
    expect(withMatrix(`intro\n${BEGIN}\n| old |\n${END}\nrest`, 'new')).toBe('intro\nnew\nrest');
  });
});
