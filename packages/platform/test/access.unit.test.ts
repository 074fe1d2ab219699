import { type ApiKeyRecord, apiKeyRecordSchema, type Principal, scopeProblems } from '@county/contracts';
import { describe, expect, it } from 'vitest';
import { KeyCache } from '../src/auth/key-cache.js';
import {
  assertCounty,
  assertCourier,
  assertStation,
  assertVehicle,
  checkRouteAccess,
  generateKey,
  hashKey,
  keyMatches,
  mayCall,
  parseKey,
  principalOf,
  rateLimitOf,
} from '../src/index.js';

const record = (overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  keyId: '0123456789abcdef',
  countyId: 'cn-511623',
  role: 'operator',
  scope: {},
  name: 'center desk',
  hash: hashKey('ck_0123456789abcdef_x'),
  createdAt: '2026-06-10T02:15:00.000Z',
  revokedAt: null,
  revision: 1,
  ...overrides,
});

describe('key format', () => {
  it('makes keys of the form ck_<keyId>_<43-character base64url secret> that parse back to their id', () => {
    const { keyId, key } = generateKey();
    expect(key).toMatch(/^ck_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseKey(key)).toEqual({ keyId });
  });

  it('never makes the same key twice', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateKey().key));
    expect(keys.size).toBe(1000);
  });

  it('parses a secret that itself contains underscores', () => {
    const key = `ck_abcdef0123456789_${'_'.repeat(10)}${'a'.repeat(33)}`;
    expect(parseKey(key)).toEqual({ keyId: 'abcdef0123456789' });
  });

  it('finds no key id in anything malformed', () => {
    for (const bad of ['', 'ck_', 'ck_abc_def', 'xx_0123456789abcdef_' + 'a'.repeat(43), `ck_0123456789abcdef_${'a'.repeat(42)}`, `ck_0123456789abcdef_${'a'.repeat(43)} `]) {
      expect(parseKey(bad), bad).toBeUndefined();
    }
  });
});

describe('key hashing', () => {
  it('stores sha256:<hex> of the whole key and never the key', () => {
    const { keyId, key } = generateKey();
    const hash = hashKey(key);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hash).not.toContain(keyId);
    expect(hash).not.toContain(key.slice(`ck_${keyId}_`.length));
  });

  it('matches the key it was made from and nothing else', () => {
    const { key } = generateKey();
    const hash = hashKey(key);
    expect(keyMatches(key, hash)).toBe(true);
    expect(keyMatches(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`, hash)).toBe(false);
    expect(keyMatches(generateKey().key, hash)).toBe(false);
    expect(keyMatches(key, 'sha256:abcd')).toBe(false);
  });
});

describe('scope rules', () => {
  it('binds station, courier and driver keys to their station, courier and vehicles', () => {
    expect(scopeProblems('station', { stationId: 'st-1' })).toEqual([]);
    expect(scopeProblems('courier', { courierId: 'zto' })).toEqual([]);
    expect(scopeProblems('driver', { vehicleIds: ['v1', 'v2'] })).toEqual([]);
    expect(scopeProblems('operator', {})).toEqual([]);
  });

  it('refuses a station key without a station, and a binding the role does not take', () => {
    expect(scopeProblems('station', {})).toEqual([{ path: 'stationId', reason: 'required for station keys' }]);
    expect(scopeProblems('courier', { courierId: 'zto', stationId: 'st-1' })).toEqual([{ path: 'stationId', reason: 'not allowed for courier keys' }]);
    expect(scopeProblems('admin', { vehicleIds: ['v1'] })).toEqual([{ path: 'vehicleIds', reason: 'not allowed for admin keys' }]);
  });

  it('makes a key record with a broken scope invalid under the scope path', () => {
    const result = apiKeyRecordSchema.safeParse(record({ role: 'station', scope: {} }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['scope.stationId']);
  });
});

describe('role defaults and principals', () => {
  it('gives each role its default rate limit unless the key sets one', () => {
    expect(rateLimitOf({ role: 'courier' })).toBe(600);
    expect(rateLimitOf({ role: 'operator' })).toBe(1200);
    expect(rateLimitOf({ role: 'admin' })).toBe(1200);
    expect(rateLimitOf({ role: 'station' })).toBe(300);
    expect(rateLimitOf({ role: 'driver' })).toBe(300);
    expect(rateLimitOf({ role: 'bureau' })).toBe(120);
    expect(rateLimitOf({ role: 'courier', rateLimitPerMinute: 5 })).toBe(5);
  });

  it('turns a record into the principal handlers see, without hash or limit', () => {
    expect(principalOf(record({ role: 'driver', scope: { vehicleIds: ['v1'] } }))).toEqual({
      keyId: '0123456789abcdef',
      countyId: 'cn-511623',
      role: 'driver',
      vehicleIds: ['v1'],
    });
  });
});

describe('route access declarations', () => {
  it('accepts public and non-empty lists of known roles', () => {
    expect(checkRouteAccess('public', 'GET /x')).toBe('public');
    expect(checkRouteAccess(['admin', 'operator'], 'GET /x')).toEqual(['admin', 'operator']);
  });

  it('refuses a missing, empty or unknown declaration, naming the route', () => {
    expect(() => checkRouteAccess(undefined, 'GET /parcels')).toThrow(/GET \/parcels declares no access/);
    expect(() => checkRouteAccess([], 'GET /parcels')).toThrow(/invalid config.access/);
    expect(() => checkRouteAccess(['root'], 'GET /parcels')).toThrow(/invalid config.access/);
    expect(() => checkRouteAccess('everyone', 'GET /parcels')).toThrow(/invalid config.access/);
  });

  it('lets a role call a route only when the route lists it', () => {
    expect(mayCall(['admin', 'operator'], 'operator')).toBe(true);
    expect(mayCall(['admin', 'operator'], 'courier')).toBe(false);
    expect(mayCall('public', 'bureau')).toBe(true);
  });
});

describe('scope checks for handlers', () => {
  const station: Principal = { keyId: 'k1', countyId: 'cn-1', role: 'station', stationId: 'st-1' };
  const operator: Principal = { keyId: 'k2', countyId: 'cn-1', role: 'operator' };
  const courier: Principal = { keyId: 'k3', countyId: 'cn-1', role: 'courier', courierId: 'zto' };
  const driver: Principal = { keyId: 'k4', countyId: 'cn-1', role: 'driver', vehicleIds: ['v1'] };

  it('refuses another county with 403 FORBIDDEN', () => {
    expect(() => assertCounty(operator, 'cn-1')).not.toThrow();
    expect(() => assertCounty(operator, 'cn-2')).toThrow(expect.objectContaining({ statusCode: 403, code: 'FORBIDDEN' }));
  });

  it('holds a bound key to its own station, courier or vehicles and lets county-wide roles pass', () => {
    expect(() => assertStation(station, 'st-1')).not.toThrow();
    expect(() => assertStation(station, 'st-2')).toThrow(expect.objectContaining({ statusCode: 403 }));
    expect(() => assertStation(operator, 'st-2')).not.toThrow();
    expect(() => assertCourier(courier, 'sto')).toThrow(expect.objectContaining({ statusCode: 403 }));
    expect(() => assertCourier(operator, 'sto')).not.toThrow();
    expect(() => assertVehicle(driver, 'v1')).not.toThrow();
    expect(() => assertVehicle(driver, 'v2')).toThrow(expect.objectContaining({ statusCode: 403 }));
  });
});

describe('the in-process key cache', () => {
  it('asks Postgres once per key per TTL, then again', async () => {
    let clock = 0;
    let loads = 0;
    const cache = new KeyCache(
      async () => {
        loads++;
        return record();
      },
      2000,
      100,
      () => clock,
    );
    await Promise.all([cache.get('a'), cache.get('a')]);
    expect(loads).toBe(1);
    clock = 1999;
    await cache.get('a');
    expect(loads).toBe(1);
    clock = 2000;
    await cache.get('a');
    expect(loads).toBe(2);
    cache.forget('a');
    await cache.get('a');
    expect(loads).toBe(3);
  });

  it('does not remember a failed lookup and keeps at most its size', async () => {
    let fail = true;
    let loads = 0;
    const cache = new KeyCache(
      async () => {
        loads++;
        if (fail) throw new Error('postgres down');
        return undefined;
      },
      60_000,
      2,
    );
    await expect(cache.get('a')).rejects.toThrow('postgres down');
    fail = false;
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    expect(loads).toBe(4);
    await cache.get('a');
    expect(loads).toBe(5);
  });
});
