import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN, declaredRoutes, END, matrix, readme } from '../scripts/permission-matrix.js';

describe("coldchain's permission matrix", () => {
  it('in the README is the one the routes declare (npm run generate -w @county/coldchain rewrites it)', async () => {
    const text = readFileSync(readme, 'utf8');
    expect(text.slice(text.indexOf(BEGIN), text.indexOf(END) + END.length), 'services/coldchain/README.md is stale: run npm run generate -w @county/coldchain').toBe(
      await matrix(),
    );
  });

  it('lists every route with the roles it declares: readings sent and read by gateways’ keys and center staff', async () => {
    const routes = await declaredRoutes();
    const access = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
    expect(access('POST', '/coldchain/readings')).toEqual(['admin', 'operator', 'driver', 'station']);
    expect(access('GET', '/coldchain/readings')).toEqual(['admin', 'operator', 'driver', 'station']);
  });
});
