import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN, declaredRoutes, END, matrix, readme } from '../scripts/permission-matrix.js';

describe("sla's permission matrix", () => {
  it('in the README is the one the routes declare (npm run generate -w @county/sla rewrites it)', async () => {
    const text = readFileSync(readme, 'utf8');
    expect(text.slice(text.indexOf(BEGIN), text.indexOf(END) + END.length), 'services/sla/README.md is stale: run npm run generate -w @county/sla').toBe(await matrix());
  });

  it('alerts and timelines for operators and admins; settings written by admins only', async () => {
    const routes = await declaredRoutes();
    const access = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
    expect(access('GET', '/sla/alerts')).toEqual(['admin', 'operator']);
    expect(access('POST', '/sla/alerts/:alertId/acknowledge')).toEqual(['admin', 'operator']);
    expect(access('GET', '/sla/parcels/:parcelId')).toEqual(['admin', 'operator']);
    expect(access('PUT', '/sla/settings')).toEqual(['admin']);
  });
});
