import { readFileSync } from 'node:fs';
import { scanKinds } from '@county/contracts';
import { describe, expect, it } from 'vitest';
import { BEGIN, declaredRoutes, END, matrix, readmes, withMatrix } from '../scripts/permission-matrix.js';

describe("intake's permission matrix", () => {
  it('in each README is the one the routes and scan rules declare (npm run generate rewrites it)', async () => {
    const block = await matrix();
    for (const url of readmes) {
      const readme = readFileSync(url, 'utf8');
      expect(readme.slice(readme.indexOf(BEGIN), readme.indexOf(END) + END.length), `${url.pathname} is stale: run npm run generate`).toBe(block);
    }
  });

  it('lists every scan kind and every route with the roles it declares', async () => {
    const block = await matrix();
    for (const kind of scanKinds) expect(block).toContain(`\`${kind}\``);
    const routes = await declaredRoutes();
    expect(routes.find((r) => r.method === 'POST' && r.url === '/parcels/:parcelId/address')?.access).toEqual(['admin', 'operator']);
    for (const route of routes) expect(block).toContain(`\`${route.method} ${route.url}\``);
  });

  it('a README whose table differs from the routes is told apart', async () => {
    const block = await matrix();
    const edited = withMatrix(`intro\n${BEGIN}\n| old |\n${END}\nrest`, block);
    expect(edited).toBe(`intro\n${block}\nrest`);
    expect(withMatrix(`${BEGIN}\n| old |\n${END}`, 'x')).not.toContain('| old |');
  });
});
