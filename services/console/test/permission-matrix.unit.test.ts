import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN, declaredRoutes, END, matrix, readme } from '../scripts/permission-matrix.js';

describe("console's permission matrix", () => {
  it('in the README is the one the routes declare (npm run generate -w @county/console rewrites it)', async () => {
    const text = readFileSync(readme, 'utf8');
    expect(text.slice(text.indexOf(BEGIN), text.indexOf(END) + END.length), 'services/console/README.md is stale: run npm run generate -w @county/console').toBe(await matrix());
  });

  it('the trace page and status for anyone; labels for admin, operator and station keys; dead letters for admin and operator', async () => {
    const routes = await declaredRoutes();
    const access = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
    expect(access('GET', '/t/:code')).toBe('public');
    expect(access('GET', '/api/console/status')).toBe('public');
    expect(access('POST', '/api/console/labels')).toEqual(['admin', 'operator', 'station']);
    expect(access('GET', '/api/console/labels/:file')).toEqual(['admin', 'operator', 'station']);
    expect(access('GET', '/api/console/dead-letters')).toEqual(['admin', 'operator']);
  });
});
