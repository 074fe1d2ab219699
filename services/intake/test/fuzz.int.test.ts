import { createRandom, type Random } from '@county/routing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { rawRequest } from '../../../tests/support/raw-http.js';
import { bodyOf, parcelBody, pathParams, queryOf, RECIPIENT, SENDER, type Seeded } from './fuzz-examples.js';
import {
  badNumbers,
  badTexts,
  contentTypes,
  leavesOf,
  malformedBodies,
  malformedPathParams,
  malformedQueryValues,
  malformedValues,
  pathsOf,
  pick,
  replaceAt,
  sampleOf,
  serialize,
  withKey,
  type Json,
  type JsonSchema,
} from './fuzz-values.js';
import { freshCountyId, keysFor, miniCounty, type Keys } from './masterdata-support.js';
import { capturedLogger, phonesIn } from './parcel-intake-support.js';
import { intakeApp } from './support.js';

/**
 * Malformed requests generated from intake's own OpenAPI document (issue #8): whatever a client
 * sends, the answer is never a 5xx, every refusal has the one error shape, and the service still
 * serves valid requests afterwards. The seed fixes what is broken where, so a failure reproduces.
 */
const SEED = 20_260_611;
const REQUESTS = 5_000;

const iso = isolation();
const logs = capturedLogger();
let intake: Awaited<ReturnType<typeof intakeApp>>;
let seeded: Seeded;
let adminKey: string;
let keys: Keys;

interface Operation {
  method: string;
  path: string;
  query: string[];
  body: JsonSchema | undefined;
}

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** What was broken, to read in a failure. */
  mutation: string;
}

beforeAll(async () => {
  intake = await intakeApp(testConfig(iso), { logger: logs.logger });
  const countyId = freshCountyId();
  keys = await keysFor(intake, countyId);
  // Its own budget, far above the role's: the fuzzer is to reach the routes, not the rate limit.
  adminKey = await intake.issue({ countyId, role: 'admin', name: 'fuzzer', rateLimitPerMinute: 100_000 });
  const imported = await send({ method: 'POST', url: '/import/county', headers: json(adminKey), payload: JSON.stringify(miniCounty(countyId)), mutation: 'none' });
  expect(imported.statusCode, imported.body).toBe(200);
  const spare = await intake.issue({ countyId, role: 'operator', name: 'spare' });
  const waybill = 'FZSEED0001';
  const parcel = await send({ method: 'POST', url: '/parcels', headers: json(adminKey), payload: JSON.stringify({ ...(parcelBody() as object), waybill, courierId: 'zto' }), mutation: 'none' });
  expect(parcel.statusCode, parcel.body).toBe(201);
  seeded = { countyId, spareKeyId: spare.split('_')[1]!, parcelId: parcel.json().parcelId, waybill };
});

afterAll(() => intake?.close());

const json = (key: string | undefined): Record<string, string> => ({ 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) });

function send(request: Request) {
  return intake.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, ...(request.payload === undefined ? {} : { payload: request.payload }) });
}

function operationsOf(doc: { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method,
      path,
      query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      body: operation.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

/** Mostly the admin, who may call every route; now and then another role, no key or a bad one. */
function keyFor(random: Random): string | undefined {
  if (random() < 0.8) return adminKey;
  return pick(random, [keys.operator, keys.station, keys.courier, keys.driver, keys.bureau, undefined, 'ck_0000000000000000_x', 'Bearer', 'x'.repeat(500)]);
}

const MUTATIONS = ['field', 'text', 'text', 'number', 'number', 'drop', 'extra key', 'body', 'content type', 'path', 'path', 'query', 'method', 'valid'] as const;

/** One request to `operation`, valid but for one thing broken at random. */
function generate(operation: Operation, random: Random): Request {
  const mutation = pick(random, MUTATIONS);
  const valid = pathParams(operation.path, seeded);
  const params = [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const broken = mutation === 'path' && params.length > 0 ? pick(random, params) : undefined;
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === broken ? pick(random, malformedPathParams) : encodeURIComponent(valid[name] ?? 'x')));

  const query = Object.entries(queryOf(operation.method, operation.path)).map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  if (mutation === 'query' || (mutation === 'path' && !broken)) {
    const name = operation.query.length > 0 && random() < 0.7 ? pick(random, operation.query) : pick(random, ['unknown', '__proto__', 'constructor', '', '%00']);
    query.push(`${name}=${pick(random, malformedQueryValues)}`);
  }
  const url = query.length > 0 ? `${path}?${query.join('&')}` : path;

  const headers = json(keyFor(random));
  if (random() < 0.1) headers['idempotency-key'] = pick(random, ['k', 'x'.repeat(300), ' ', 'é', `fz-${random()}`]);
  const body = operation.body ? (bodyOf(operation.method, operation.path, seeded) ?? sampleOf(operation.body)) : undefined;
  const method = mutation === 'method' ? pick(random, ['DELETE', 'PATCH', 'PUT', 'OPTIONS', 'HEAD', 'POST', 'GET']) : operation.method.toUpperCase();
  if (body === undefined) return { method, url, headers, mutation, ...(mutation === 'body' ? { payload: pick(random, malformedBodies) } : {}) };

  const places = pathsOf(body);
  switch (mutation) {
    case 'field':
      return { method, url, headers, mutation, payload: serialize(replaceAt(body, pick(random, places), pick(random, malformedValues))) };
    case 'text':
    case 'number': {
      // A bad value where the route takes one of that type, so the rest of the request is valid.
      const leaves = leavesOf(body, mutation === 'text' ? 'string' : 'number');
      const value = mutation === 'text' ? pick(random, badTexts) : pick(random, badNumbers);
      return { method, url, headers, mutation, payload: serialize(leaves.length > 0 ? replaceAt(body, pick(random, leaves), value) : body) };
    }
    case 'drop': {
      const place = pick(random, places.filter((p) => p.length > 0));
      return { method, url, headers, mutation, payload: serialize(place ? replaceAt(body, place.slice(0, -1), removed(body, place)) : null) };
    }
    case 'extra key': {
      const place = pick(random, places);
      const key = pick(random, ['__proto__', 'constructor', 'prototype', 'unknownField', '']);
      return { method, url, headers, mutation, payload: serialize(replaceAt(body, place, withKey(valueAt(body, place), key, pick(random, malformedValues)))) };
    }
    case 'body':
      return { method, url, headers, mutation, payload: pick(random, malformedBodies) };
    case 'content type':
      return { method, url, headers: { ...headers, 'content-type': pick(random, contentTypes) }, mutation, payload: serialize(body) };
    default:
      return { method, url, headers, mutation, payload: serialize(body) };
  }
}

function valueAt(value: Json, path: readonly (string | number)[]): Json {
  return path.reduce<Json>((node, key) => (node !== null && typeof node === 'object' ? ((node as Record<string, Json>)[key] ?? null) : null), value);
}

/** The container at `place`'s parent without the key or item `place` names. */
function removed(body: Json, place: readonly (string | number)[]): Json {
  const parent = valueAt(body, place.slice(0, -1));
  const last = place[place.length - 1]!;
  if (Array.isArray(parent)) return parent.filter((_, index) => index !== last) as Json;
  const { [last]: _, ...rest } = parent as Record<string, Json>;
  return rest;
}

function hasErrorShape(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string' && (error.details === undefined || Array.isArray(error.details));
}

describe('intake under malformed input', () => {
  it('never answers 5xx, answers every refusal in the error shape, and keeps serving', async () => {
    const operations = operationsOf(intake.app.swagger() as Parameters<typeof operationsOf>[0]);
    expect(operations.length).toBeGreaterThan(20);
    const random = createRandom(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      // Round robin, so every route and method gets its share whatever the draw.
      const request = generate(operations[i % operations.length]!, random);
      const res = await send(request);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const shaped = res.statusCode < 400 || request.method === 'HEAD' || hasErrorShape(safeJson(res.body));
      if (res.statusCode >= 500 || !shaped) {
        failures.push(`${request.method} ${request.url.slice(0, 120)} [${request.mutation}] ${request.payload?.slice(0, 160) ?? ''} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    // The draw reached past validation too: some requests were accepted, most refused.
    expect([...statuses.keys()].some((status) => status < 300)).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(REQUESTS / 4);

    expect((await send({ method: 'GET', url: '/health/ready', headers: {}, mutation: 'none' })).statusCode).toBe(200);
    // The fuzzer may have changed the county's records validly: a fresh import puts them back.
    const imported = await send({ method: 'POST', url: '/import/county', headers: json(adminKey), payload: JSON.stringify(miniCounty(seeded.countyId)), mutation: 'none' });
    expect(imported.statusCode, imported.body).toBe(200);
    const parcel = await send({ method: 'POST', url: '/parcels', headers: json(keys.courier), payload: JSON.stringify(parcelBody()), mutation: 'none' });
    expect(parcel.statusCode, parcel.body).toBe(201);
    // Whatever failed on the way, no log line carries the people in the bodies.
    expect(logs.text()).toContain('request completed');
    expect(phonesIn(logs.text(), [RECIPIENT.phone, SENDER.phone])).toEqual([]);
    expect(logs.text()).not.toContain(RECIPIENT.name);
  });
});

/** What only a socket can send: Node's HTTP parser refuses it before Fastify sees a request. */
const rawRequests: readonly string[] = [
  'GET /parcels HTTP/1.1 extra\r\n\r\n',
  'GET /par cels HTTP/1.1\r\nhost: x\r\n\r\n',
  '\u0000\u0001\u0002\r\n\r\n',
  'GET /parcels\u0000 HTTP/1.1\r\nhost: x\r\n\r\n',
  'GET /parcels HTTP/9.9\r\nhost: x\r\n\r\n',
  'GET /parcels/%zz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
  'GET /parcels/by-waybill/zto/%E0%A4%A HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
  `GET /parcels?cursor=${'x'.repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`,
  `GET /parcels HTTP/1.1\r\nhost: x\r\nx-filler: ${'y'.repeat(20_000)}\r\n\r\n`,
  'GET /parcels HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n',
  'POST /parcels HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n{}',
  'POST /parcels HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n{}',
  'POST /parcels HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
];

describe('intake listening on a socket', () => {
  it('answers requests Node’s parser refuses in the error shape, and keeps serving', async () => {
    await intake.app.listen({ port: 0, host: '127.0.0.1' });
    const address = intake.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const answers = await Promise.all(rawRequests.map(async (bytes) => ({ request: bytes.slice(0, 60), ...(await rawRequest(port, bytes)) })));
    expect(answers.filter((answer) => !(answer.status >= 400 && answer.status < 500 && hasErrorShape(answer.body)))).toEqual([]);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);
  });
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
