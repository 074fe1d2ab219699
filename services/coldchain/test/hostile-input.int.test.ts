// What a user found trying coldchain by hand (issue #11, "try it as a user"): mosquitto_pub, kcat and curl with
// hostile input on every route. Every refusal is a 4xx naming the field and the reason (or a dead letter with it),
// never a 5xx, and changes nothing; the consumers go on. Each case here is one that was tried.
import { randomUUID } from 'node:crypto';
import { readDeadLetters } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { kcatProduce } from '../../../tests/support/kcat.js';
import { readingsBetween } from '../src/readings/index.js';
import { intakeStandIn, masterDataApplied, reefer, runningColdchain, type RunningColdchain } from './catalogue-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
const container = 'V1/refrigerated';
let coldchain: RunningColdchain;
let intake: Awaited<ReturnType<typeof intakeStandIn>>;
let admin: string;

beforeAll(async () => {
  coldchain = await runningColdchain(config);
  intake = await intakeStandIn(config);
  admin = await coldchain.issue(countyId, 'admin');
  await masterDataApplied(coldchain, await intake.masterData({ vehicle: reefer(countyId, 'V1') }));
});

afterAll(async () => {
  await intake?.close();
  await coldchain?.runtime.lifecycle.shutdown();
});

const now = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
const countReadings = async () => (await coldchain.runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM readings')).rows[0]!.n;
const countBindings = async () => (await coldchain.runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bindings')).rows[0]!.n;

describe('hostile input on coldchain’s REST routes', () => {
  const parcelId = randomUUID();
  /** [method, url, body or raw string, status, code, the path of the first issue (or undefined)] */
  const cases: [string, string, unknown, number, string, string | undefined][] = [
    ['POST', '/coldchain/readings', '{bad', 400, 'INVALID_JSON', undefined],
    ['POST', '/coldchain/readings', [], 400, 'VALIDATION_FAILED', 'body'],
    ['POST', '/coldchain/readings', 'null', 400, 'VALIDATION_FAILED', 'body'],
    ['POST', '/coldchain/readings', { readings: [{ containerId: container, sensorId: 's1', measuredAt: '2026-01-01T00:00:00Z', temperatureC: 3 }], extra: 1 }, 400, 'VALIDATION_FAILED', 'body'],
    ['POST', '/coldchain/readings', { readings: [{ containerId: container, sensorId: 's1', measuredAt: 'now', temperatureC: '3' }] }, 422, 'READINGS_REFUSED', 'body.readings.0.temperatureC'],
    ['POST', '/coldchain/readings', { readings: [{ containerId: container, sensorId: "x'; DROP TABLE readings;--", measuredAt: '2026-01-01T00:00:00Z', temperatureC: 3 }] }, 422, 'READINGS_REFUSED', 'body.readings.0.sensorId'],
    ['POST', '/coldchain/readings', { readings: [{ containerId: container, sensorId: '传感器🌡', measuredAt: '2026-01-01T00:00:00Z', temperatureC: 3 }] }, 422, 'READINGS_REFUSED', 'body.readings.0.sensorId'],
    ['POST', '/coldchain/readings', { readings: [{ containerId: container, sensorId: 's1', measuredAt: '+275760-09-13T00:00:00.000Z', temperatureC: 3 }] }, 422, 'READINGS_REFUSED', 'body.readings.0.measuredAt'],
    ['POST', '/coldchain/readings', { readings: [{ containerId: container, sensorId: 's1', measuredAt: '0001-01-01T00:00:00Z', temperatureC: 3 }] }, 422, 'READINGS_REFUSED', 'body.readings.0.measuredAt'],
    ['POST', '/coldchain/readings', { readings: [{ containerId: container, sensorId: 's1', measuredAt: '2026-01-01T00:00:00Z', temperatureC: 3, humidityPct: -5 }] }, 422, 'READINGS_REFUSED', 'body.readings.0.humidityPct'],
    ['GET', `/coldchain/readings?containerId=${container}&from=2026-11-29T00:00:00Z&to=2026-11-28T00:00:00Z`, undefined, 400, 'VALIDATION_FAILED', 'querystring.to'],
    ['GET', `/coldchain/readings?containerId=${container}&from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z&limit=NaN`, undefined, 400, 'VALIDATION_FAILED', 'querystring.limit'],
    ['GET', `/coldchain/readings?containerId=${encodeURIComponent("' OR 1=1--")}&from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z`, undefined, 400, 'VALIDATION_FAILED', 'querystring.containerId'],
    ['GET', `/coldchain/readings?containerId=${container}&containerId=V2/refrigerated&from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z`, undefined, 400, 'VALIDATION_FAILED', 'querystring.containerId'],
    ['GET', '/coldchain/profiles/%E2%9D%84', undefined, 400, 'VALIDATION_FAILED', 'params.profileId'],
    ['PUT', '/coldchain/profiles/odd', { name: 'x', minC: 10, maxC: 2, toleratedMinutes: 5, mktLimitC: 3, silenceGapMinutes: 15 }, 400, 'VALIDATION_FAILED', 'body.maxC'],
    ['PUT', '/coldchain/profiles/odd', { name: 'x', minC: -1e308, maxC: 1e308, toleratedMinutes: 1e308, mktLimitC: 3, silenceGapMinutes: 1e308 }, 400, 'VALIDATION_FAILED', 'body.minC'],
    ['PUT', '/coldchain/settings', { defaultProfileId: 123 }, 400, 'VALIDATION_FAILED', 'body.defaultProfileId'],
    ['PUT', '/coldchain/settings', { defaultProfileId: 'nope' }, 422, 'PROFILE_UNKNOWN', 'body.defaultProfileId'],
    ['GET', '/coldchain/containers?active=maybe', undefined, 400, 'VALIDATION_FAILED', 'querystring.active'],
    ['GET', '/coldchain/containers/%00', undefined, 400, 'VALIDATION_FAILED', 'params.containerId'],
    ['PUT', `/coldchain/containers/${encodeURIComponent(container)}`, { profileId: 'chilled', x: 1 }, 400, 'VALIDATION_FAILED', 'body'],
    ['GET', '/coldchain/bindings?parcelId=not-a-uuid', undefined, 400, 'VALIDATION_FAILED', 'querystring.parcelId'],
    ['GET', `/coldchain/bindings?containerId=${container}&from=2026-11-30T00:00:00Z&to=2026-11-29T00:00:00Z`, undefined, 400, 'VALIDATION_FAILED', 'querystring.to'],
    ['POST', '/coldchain/bindings', { parcelId, containerId: container, from: '2026-11-29T10:00:00Z', reason: '' }, 400, 'VALIDATION_FAILED', 'body.reason'],
    ['POST', '/coldchain/bindings', { parcelId, containerId: container, from: '9999-11-29T10:00:00Z', reason: 'future' }, 422, 'BINDING_INVALID', 'body.from'],
    ['POST', '/coldchain/bindings', { parcelId, containerId: container, from: '2026-11-29T10:00:00Z', to: '2026-11-29T09:00:00Z', reason: 'x' }, 422, 'BINDING_INVALID', 'body.to'],
    ['DELETE', '/coldchain/bindings/zzz', { reason: 'x' }, 400, 'VALIDATION_FAILED', 'params.bindingId'],
    ['GET', '/coldchain/alarms?limit=100000', undefined, 400, 'VALIDATION_FAILED', 'querystring.limit'],
    ['GET', '/coldchain/alarms?cursor=eyJ4IjoxfQ', undefined, 400, 'VALIDATION_FAILED', 'querystring.cursor'],
    ['GET', "/coldchain/alarms/'or1", undefined, 400, 'VALIDATION_FAILED', 'params.alarmId'],
    ['POST', '/coldchain/alarms/abc/acknowledge', { comment: 5 }, 400, 'VALIDATION_FAILED', 'body.comment'],
    ['POST', '/coldchain/alarms/abc/clear', {}, 400, 'VALIDATION_FAILED', 'body.comment'],
    ['GET', '/coldchain/excursions?includeSuperseded=yes', undefined, 400, 'VALIDATION_FAILED', 'querystring.includeSuperseded'],
    ['POST', '/coldchain/excursions/abc/resolution', { resolution: 'eaten' }, 400, 'VALIDATION_FAILED', 'body.resolution'],
    ['GET', `/coldchain/parcels/${parcelId}/compliance?revision=-1`, undefined, 400, 'VALIDATION_FAILED', 'querystring.revision'],
    ['GET', '/coldchain/parcels?endedSince=yesterday', undefined, 400, 'VALIDATION_FAILED', 'querystring.endedSince'],
    ['GET', '/coldchain/containers/live?containerId=x', undefined, 400, 'VALIDATION_FAILED', 'querystring.containerId'],
  ];

  it.each(cases)('%s %s is refused with its field and reason', async (method, url, body, status, code, path) => {
    const before = [await countReadings(), await countBindings()];
    const res = await coldchain.app.inject({
      method: method as 'GET',
      url,
      headers: { 'x-api-key': admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    expect(res.statusCode, res.body).toBe(status);
    const { error } = res.json();
    expect(error.code).toBe(code);
    if (path) expect(error.details[0]).toMatchObject({ path, reason: expect.any(String) });
    expect([await countReadings(), await countBindings()]).toEqual(before);
  });

  it('a body beyond the limit is 413, no key 401, and an unknown key 401', async () => {
    const huge = `{"readings":[]${' '.repeat(20_000_000)}}`;
    const big = await coldchain.app.inject({ method: 'POST', url: '/coldchain/readings', headers: { 'x-api-key': admin, 'content-type': 'application/json' }, payload: huge });
    expect(big.statusCode).toBe(413);
    expect((await coldchain.app.inject({ method: 'GET', url: '/coldchain/alarms' })).statusCode).toBe(401);
    expect((await coldchain.app.inject({ method: 'GET', url: '/coldchain/alarms', headers: { 'x-api-key': 'ck_nope' } })).statusCode).toBe(401);
  });
});

describe('hostile events on Kafka coldchain.readings, as kcat (librdkafka) sends them', () => {
  it('dead-letters each with its reason and goes on to store the good reading after them', async () => {
    const at = now();
    const envelope = (type: string, data: unknown, id = randomUUID()) =>
      JSON.stringify({ id, type, version: 1, occurredAt: at, countyId, subject: container, source: 'gateway', data });
    const marker = randomUUID();
    const bad = [
      'not json at all',
      // JSON has no NaN
      envelope('coldchain.readings_submitted', { readings: [{ containerId: container, sensorId: 'k1', measuredAt: at, temperatureC: 2 }] }).replace('"temperatureC":2', '"temperatureC":NaN'),
      envelope('coldchain.readings_submitted', { readings: 'lots' }),
      envelope('coldchain.reading_recorded', { containerId: container, sensorId: 'k3', measuredAt: at, temperatureC: -1e308 }),
      JSON.stringify({ type: 'coldchain.reading_recorded', marker }),
    ];
    const good = envelope('coldchain.reading_recorded', { containerId: container, sensorId: 'k4', measuredAt: at, temperatureC: 2 });
    await kcatProduce({ brokers: config.KAFKA_BROKERS.join(','), topic: `${config.TOPIC_PREFIX}coldchain.readings`, codec: 'none', messages: [...bad, good].map((value) => ({ key: container, value })) });
    await waitFor(async () => ((await readingsBetween(coldchain.runtime.pool, countyId, container, new Date(Date.parse(at) - 1), new Date(Date.parse(at) + 1))).length === 1 ? true : undefined));
    const letters = await waitFor(async () => {
      const all = (await readDeadLetters(coldchain.runtime.kafka, `${config.TOPIC_PREFIX}coldchain.readings.dlq`)).map((d) => d.record);
      return all.length === bad.length ? all : undefined;
    });
    expect(letters.map((l) => l.reason)).toEqual([
      expect.stringMatching(/^invalid event: not JSON/),
      expect.stringMatching(/^invalid event: not JSON/),
      'invalid event: data.readings: Invalid input: expected array, received string',
      'invalid event: data.temperatureC: at least −60 °C: no cold chain sensor reads lower',
      expect.stringMatching(/^invalid event: id: /),
    ]);
    expect(letters.every((l) => l.consumer === 'coldchain.readings' && l.issues.length > 0)).toBe(true);
  });
});
