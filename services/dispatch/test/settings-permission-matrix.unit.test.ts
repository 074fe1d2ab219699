import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN, declaredRoutes, END, matrix, readme, withMatrix } from '../scripts/permission-matrix.js';

describe("dispatch's permission matrix", () => {
  it('in the README is the one the routes declare (npm run generate -w @county/dispatch rewrites it)', async () => {
    const text = readFileSync(readme, 'utf8');
    expect(text.slice(text.indexOf(BEGIN), text.indexOf(END) + END.length), 'services/dispatch/README.md is stale: run npm run generate -w @county/dispatch').toBe(
      await matrix(),
    );
  });

  it('lists every route with the roles it declares: settings written by admins, read by operators too', async () => {
    const routes = await declaredRoutes();
    const access = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
    expect(access('PUT', '/dispatch/settings')).toEqual(['admin']);
    expect(access('GET', '/dispatch/matrix')).toEqual(['admin', 'operator']);
    const block = await matrix();
    for (const route of routes) expect(block).toContain(`\`${route.method} ${route.url}\``);
  });

  it('a README whose table differs from the routes is told apart', async () => {
    expect(withMatrix(`intro\n${BEGIN}\n| old |\n${END}\nrest`, 'new')).toBe('intro\nnew\nrest');
  });
});
