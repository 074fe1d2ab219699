import { randomUUID } from 'node:crypto';
import { topics } from '@county/contracts';
import type { Producer } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, waitFor } from '../../../tests/support/harness.js';
import { runningConsole } from './support.js';
import { COUNTY, complianceEvent, placeEvents, publishTo, standInProducer, stepEvent, type TestParcel } from './trace-events.js';

const PUBLIC_URL = 'https://trace.example.cn';
const RATE = 8;
const HOUR = 3_600_000;
const T0 = new Date('2026-08-02T22:10:00Z'); // 06:10 on 3 August in the county

interface Label {
  parcelId: string;
  status: number;
  code?: string;
  url?: string;
  svg?: string;
  error?: { code: string; message: string; details: { path: string; reason: string }[] };
}

describe('the public trace page, from the read model the console folds from real events', () => {
  const iso = isolation();
  let running: Awaited<ReturnType<typeof runningConsole>>;
  let producer: Producer;
  let keys: { operator: string; stationA: string; bureau: string };
  // a peach from 桃园村 that went all the way, one still on its way, one from another station, and a downstream parcel
  const peach: TestParcel = { id: randomUUID(), direction: 'upstream', stationId: 'vs-taoyuan', profileId: 'yellow-peach' };
  const onItsWay: TestParcel = { id: randomUUID(), direction: 'upstream', stationId: 'vs-taoyuan', profileId: 'yellow-peach' };
  const elsewhere: TestParcel = { id: randomUUID(), direction: 'upstream', stationId: 'vs-liziping' };
  const downstream: TestParcel = { id: randomUUID(), direction: 'downstream', stationId: 'vs-taoyuan' };
  let ip = 0;
  const nextIp = () => `10.1.0.${++ip}`;

  const labels = async (key: string, parcelIds: string[]) => {
    const res = await running.app.inject({ method: 'POST', url: '/api/console/labels', headers: { 'x-api-key': key }, payload: { parcelIds } });
    return { status: res.statusCode, labels: (res.json() as { labels: Label[] }).labels, body: res.json() };
  };
  const page = (path: string, headers: Record<string, string> = {}, remoteAddress = nextIp()) => running.app.inject({ method: 'GET', url: path, headers, remoteAddress });

  beforeAll(async () => {
    running = await runningConsole(iso, { PUBLIC_URL, TRACE_RATE_LIMIT_PER_MINUTE: String(RATE) });
    keys = {
      operator: await running.issue({ countyId: COUNTY, role: 'operator', name: 'operator' }),
      stationA: await running.issue({ countyId: COUNTY, role: 'station', name: '桃园村服务站', scope: { stationId: 'vs-taoyuan' } }),
      bureau: await running.issue({ countyId: COUNTY, role: 'bureau', name: 'bureau' }),
    };
    producer = await standInProducer(running.config);
    await publishTo(producer, iso.topicPrefix, topics.masterdata.name, placeEvents());
    await publishTo(producer, iso.topicPrefix, topics.parcelEvents.name, [
      stepEvent(peach, 'booked', T0),
      stepEvent(peach, 'collected', new Date(T0.getTime() + 0.5 * HOUR)),
      stepEvent(peach, 'at_center', new Date(T0.getTime() + 3 * HOUR)),
      stepEvent(peach, 'handed_over', new Date(T0.getTime() + 4 * HOUR)),
      stepEvent(onItsWay, 'booked', T0),
      stepEvent(onItsWay, 'collected', new Date(T0.getTime() + HOUR)),
      stepEvent(elsewhere, 'booked', T0),
      stepEvent(downstream, 'manifested', T0),
    ]);
    const trip = { from: new Date(T0.getTime() + HOUR), to: new Date(T0.getTime() + 4 * HOUR) };
    // the later revision first: the earlier, arriving after it, must not replace it
    await publishTo(producer, iso.topicPrefix, topics.coldchainEvents.name, [
      complianceEvent(peach.id, 2, { ...trip, minutesInRange: 172, minutesOutOfRange: 8, minC: 1.2, maxC: 6.4, mktC: 3.1, compliant: true }),
      complianceEvent(peach.id, 1, { ...trip, minutesInRange: 100, minutesOutOfRange: 80, minC: 1.2, maxC: 12, mktC: 6.9, compliant: false }),
    ]);
    await waitFor(async () => {
      const { rows } = await running.runtime.pool.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM trace_steps) + (SELECT count(*) FROM trace_compliance) + (SELECT count(*) FROM trace_stations) AS n`,
      );
      const consumed = await running.runtime.pool.query<{ n: string }>(`SELECT count(*) AS n FROM inbox WHERE consumer = 'console.trace-compliance'`);
      return Number(rows[0]!.n) === 4 + 2 + 1 + 1 + 3 && Number(consumed.rows[0]!.n) === 2 ? true : undefined;
    }, { timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await producer?.disconnect();
    await running?.close();
  });

  it('gives an upstream parcel a random code, its URL and QR as SVG, and the same code every time', async () => {
    const first = await labels(keys.operator, [peach.id]);
    expect(first.status).toBe(200);
    const label = first.labels[0]!;
    expect(label).toMatchObject({ parcelId: peach.id, status: 200 });
    expect(label.code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(label.url).toBe(`${PUBLIC_URL}/t/${label.code}`);
    expect(label.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const again = await labels(keys.stationA, [peach.id]);
    expect(again.labels[0]!.code).toBe(label.code);
    const png = await running.app.inject({ method: 'GET', url: `/api/console/labels/${label.code}.png`, headers: { 'x-api-key': keys.operator } });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses, item by item, a downstream or unknown parcel and, for a station key, another station’s parcel', async () => {
    const res = await labels(keys.stationA, [onItsWay.id, downstream.id, randomUUID(), elsewhere.id]);
    expect(res.status).toBe(200);
    expect(res.labels.map((l) => l.status)).toEqual([200, 404, 404, 403]);
    expect(res.labels[1]!.error).toMatchObject({ code: 'TRACE_PARCEL_UNKNOWN', details: [{ path: 'body.parcelIds[1]' }] });
    expect(res.labels[3]!.error).toMatchObject({ code: 'FORBIDDEN', details: [{ path: 'body.parcelIds[3]', reason: expect.stringContaining('another station') }] });
    // the operator may label the other station's parcel
    expect((await labels(keys.operator, [elsewhere.id])).labels[0]!.status).toBe(200);
    const elsewhereCode = (await labels(keys.operator, [elsewhere.id])).labels[0]!.code!;
    const png = await running.app.inject({ method: 'GET', url: `/api/console/labels/${elsewhereCode}.png`, headers: { 'x-api-key': keys.stationA } });
    expect(png.statusCode).toBe(403);
  });

  it('lets only admin, operator and station keys label, and validates the body', async () => {
    expect((await labels(keys.bureau, [peach.id])).status).toBe(403);
    const tooMany = await running.app.inject({ method: 'POST', url: '/api/console/labels', headers: { 'x-api-key': keys.operator }, payload: { parcelIds: Array.from({ length: 201 }, () => randomUUID()) } });
    expect(tooMany.statusCode).toBe(400);
    const notUuid = await running.app.inject({ method: 'POST', url: '/api/console/labels', headers: { 'x-api-key': keys.operator }, payload: { parcelIds: ['nope'] } });
    expect(notUuid.json().error.details[0].path).toBe('body.parcelIds.0');
  });

  it('shows a buyer the village, station, town, county, product, journey and cold-chain record — nothing personal', async () => {
    const { code } = (await labels(keys.operator, [peach.id])).labels[0]!;
    const res = await page(`/t/${code}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toContain('<html lang="zh-CN">');
    for (const text of ['桃园村', '桃园村服务站', '桃园乡', '邻水县', '黄桃', '揽收', '2026-08-03 06:40', '到达县级物流配送中心', '邻水县物流配送中心', '交接干线运输', '全程合规', '172 分钟', '8 分钟', '1.2 °C', '6.4 °C', '3.1 °C']) {
      expect(html, text).toContain(text);
    }
    // the later compliance revision, not the earlier one that arrived after it
    expect(html).not.toContain('12.0 °C');
    // nothing personal, nothing internal
    for (const text of [peach.id, 'ZT', 'zto', 'k-station-keeper', '138', '张', 'courier', 'actor']) expect(html, text).not.toContain(text);
    expect(html).not.toMatch(/<script/i);
  });

  it('speaks English with ?lang=en', async () => {
    const { code } = (await labels(keys.operator, [peach.id])).labels[0]!;
    const html = (await page(`/t/${code}?lang=en`)).body;
    expect(html).toContain('<html lang="en">');
    for (const text of ['Yellow peach', 'Collected', 'Compliant throughout', 'Village station', '2026-08-03 06:40']) expect(html, text).toContain(text);
  });

  it('says the cold-chain record is pending while the parcel is on its way', async () => {
    const { code } = (await labels(keys.stationA, [onItsWay.id])).labels[0]!;
    const html = (await page(`/t/${code}`)).body;
    expect(html).toContain('data-cold-chain="pending"');
    expect(html).not.toContain('交接干线运输');
  });

  it('answers an EPCIS 2.0 JSON-LD document on Accept: application/ld+json', async () => {
    const { code } = (await labels(keys.operator, [peach.id])).labels[0]!;
    const res = await page(`/t/${code}`, { accept: 'application/ld+json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    const doc = res.json();
    expect(doc['@context'][0]).toBe('https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld');
    expect(doc).toMatchObject({ type: 'EPCISDocument', schemaVersion: '2.0', creationDate: expect.any(String), epcisBody: { eventList: expect.any(Array) } });
    const events = doc.epcisBody.eventList as Record<string, any>[];
    expect(events.map((e) => e.bizStep)).toEqual(['commissioning', 'accepting', 'arriving', 'shipping']);
    expect(events.map((e) => e.action)).toEqual(['ADD', 'OBSERVE', 'OBSERVE', 'OBSERVE']);
    for (const event of events) {
      expect(event).toMatchObject({ type: 'ObjectEvent', eventTimeZoneOffset: '+08:00', epcList: [`urn:county:parcel:${code}`] });
      expect(new Date(event.eventTime).toISOString()).toBe(event.eventTime);
      expect(event.readPoint.id).toMatch(/^urn:county:station:cn-511623:/);
    }
    expect(events[0]!.readPoint.id).toBe('urn:county:station:cn-511623:vs-taoyuan');
    expect(events[3]!.sensorElementList[0]).toMatchObject({ sensorReport: [{ type: 'Temperature', minValue: 1.2, maxValue: 6.4, uom: 'CEL' }], 'county:mktC': 3.1, 'county:compliant': true });
    expect(JSON.stringify(doc)).not.toContain(peach.id);
  });

  it('answers 404 for a code nobody was given, as a page or as JSON', async () => {
    const res = await page('/t/AAAAAAAAAAAAAAAAAAAAAA');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('未找到该溯源码');
    const json = await page('/t/not-a-code', { accept: 'application/ld+json' });
    expect(json.statusCode).toBe(404);
    expect(json.json().error.code).toBe('NOT_FOUND');
  });

  it('limits trace pages per client address: past the limit, 429 with a clear message, other addresses unaffected', async () => {
    const { code } = (await labels(keys.operator, [peach.id])).labels[0]!;
    const address = '10.9.9.9';
    for (let i = 0; i < RATE; i += 1) expect((await page(`/t/${code}`, {}, address)).statusCode).toBe(200);
    const limited = await page(`/t/${code}`, {}, address);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.body).toContain('请求过于频繁');
    const json = await page(`/t/${code}`, { accept: 'application/ld+json' }, address);
    expect(json.statusCode).toBe(429);
    expect(json.json().error.code).toBe('RATE_LIMITED');
    expect((await page(`/t/${code}`, {}, '10.9.9.10')).statusCode).toBe(200);
  });
});
