import { describe, expect, it } from 'vitest';
import { declaredRoutes } from '../scripts/permission-matrix.js';

describe("coldchain's permission matrix: the catalogue's and compliance's routes", () => {
  it('profiles are written by admins and read by operators and drivers, containers read by drivers too, compliance read by couriers', async () => {
    const routes = await declaredRoutes();
    const access = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
    expect(access('PUT', '/coldchain/profiles/:profileId')).toEqual(['admin']);
    expect(access('DELETE', '/coldchain/profiles/:profileId')).toEqual(['admin']);
    expect(access('GET', '/coldchain/profiles')).toEqual(['admin', 'operator', 'driver']);
    expect(access('GET', '/coldchain/profiles/:profileId')).toEqual(['admin', 'operator', 'driver']);
    expect(access('PUT', '/coldchain/settings')).toEqual(['admin']);
    expect(access('GET', '/coldchain/containers')).toEqual(['admin', 'operator', 'driver']);
    expect(access('PUT', '/coldchain/containers/:containerId')).toEqual(['admin', 'operator']);
    expect(access('POST', '/coldchain/bindings')).toEqual(['admin', 'operator']);
    expect(access('DELETE', '/coldchain/bindings/:bindingId')).toEqual(['admin', 'operator']);
    expect(access('GET', '/coldchain/parcels/:parcelId/compliance')).toEqual(['admin', 'operator', 'courier']);
    expect(access('GET', '/coldchain/parcels')).toEqual(['admin', 'operator', 'courier']);
  });
});
