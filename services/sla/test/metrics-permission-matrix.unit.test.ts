import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN, declaredRoutes, END, matrix, readme } from '../scripts/permission-matrix.js';

describe("sla's permission matrix", () => {
  it('in the README is the one the routes declare (npm run generate -w @county/sla rewrites it)', async () => {
    const text = readFileSync(readme, 'utf8');
    expect(text.slice(text.indexOf(BEGIN), text.indexOf(END) + END.length), 'services/sla/README.md is stale: run npm run generate -w @county/sla').toBe(await matrix());
  });

  it('the bureau and admins read the metrics and reports, nobody else', async () => {
    const routes = await declaredRoutes();
    const access = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
    expect(access('GET', '/v1/metrics')).toEqual(['bureau', 'admin']);
    expect(access('GET', '/v1/reports/monthly')).toEqual(['bureau', 'admin']);
  });
});
