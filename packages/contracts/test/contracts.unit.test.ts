import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../scripts/generate.js';
import { manifestParcelSchema, parseEnvelope } from '../src/index.js';

const reading = () => ({
  id: randomUUID(),
  type: 'coldchain.reading_recorded',
  version: 1,
  occurredAt: '2026-06-10T02:15:00.000Z',
  countyId: 'cn-511623',
  subject: 'truck-07',
  source: 'gateway-12',
  data: { containerId: 'truck-07', sensorId: 's1', temperatureC: 4.2, measuredAt: '2026-06-10T02:15:00.000Z' },
});

describe('event envelope', () => {
  it('accepts a valid event and returns its parsed data', () => {
    const result = parseEnvelope(reading());
    expect(result).toMatchObject({ ok: true, value: { type: 'coldchain.reading_recorded', data: { temperatureC: 4.2 } } });
  });

  it('names every bad envelope field with its reason', () => {
    const result = parseEnvelope({ ...reading(), id: 'nope', occurredAt: 'yesterday' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual(['id', 'occurredAt']);
  });

  it('takes an instant with an offset and keeps it in UTC', () => {
    expect(parseEnvelope({ ...reading(), occurredAt: '2026-11-29T08:00:00+08:00' })).toMatchObject({
      ok: true,
      value: { occurredAt: '2026-11-29T00:00:00.000Z', data: { measuredAt: '2026-06-10T02:15:00.000Z' } },
    });
    const local = parseEnvelope({ ...reading(), occurredAt: '2026-11-29T08:00:00' });
    expect(local).toMatchObject({ ok: false, issues: [{ path: 'occurredAt' }] });
  });

  it('rejects an unknown type and a version the registry does not have', () => {
    expect(parseEnvelope({ ...reading(), type: 'parcel.teleported' })).toMatchObject({
      ok: false,
      issues: [{ path: 'type', reason: expect.stringContaining('unknown event type') }],
    });
    expect(parseEnvelope({ ...reading(), version: 7 })).toMatchObject({ ok: false, issues: [{ path: 'version' }] });
  });

  it('reports bad data under the data path', () => {
    const bad = reading();
    bad.data.temperatureC = 400;
    expect(parseEnvelope(bad)).toMatchObject({ ok: false, issues: [{ path: 'data.temperatureC' }] });
  });
});

describe('parcel contract', () => {
  const parcel = {
    waybill: 'ZT7810002231',
    destination: { villageCode: '511623104201' },
    weightKg: 1.2,
    recipient: { name: '张三', phone: '13800001111' },
  };

  it('defaults direction and service type', () => {
    expect(manifestParcelSchema.parse(parcel)).toMatchObject({ direction: 'downstream', serviceType: 'standard' });
  });

  it('requires a destination downstream and an origin upstream', () => {
    const down = manifestParcelSchema.safeParse({ ...parcel, destination: undefined });
    expect(down.error?.issues[0]?.path).toEqual(['destination']);
    const up = manifestParcelSchema.safeParse({ ...parcel, direction: 'upstream' });
    expect(up.error?.issues[0]?.path).toEqual(['originStationId']);
  });

  it('rejects a village code that is not 12 digits', () => {
    const result = manifestParcelSchema.safeParse({ ...parcel, destination: { villageCode: '5116' } });
    expect(result.success).toBe(false);
  });
});

describe('generated documents', () => {
  it('are up to date with the zod schemas (run npm run generate -w @county/contracts)', async () => {
    for (const [name, text] of Object.entries(generatedFiles())) {
      const committed = await readFile(new URL(`../generated/${name}`, import.meta.url), 'utf8');
      expect(committed, name).toBe(text);
    }
  });

  it('describe the courier and IoT topics, their dead letters and the courier status topics in AsyncAPI 3', async () => {
    const doc = JSON.parse(await readFile(new URL('../generated/asyncapi.json', import.meta.url), 'utf8'));
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.channels).map((c: any) => c.address).sort()).toEqual([
      'coldchain.readings',
      'coldchain.readings.dlq',
      'county/{countyId}/coldchain/{containerId}/readings',
      'courier.bookings',
      'courier.bookings.dlq',
      'courier.manifests',
      'courier.manifests.dlq',
      'courier.status.{courierId}',
    ]);
    // Gateways' readings over MQTT sit on the MQTT server; everything else on Kafka.
    expect(doc.channels.coldchainReadingsMqtt.servers).toEqual([{ $ref: '#/servers/mqtt' }]);
    expect(doc.servers.mqtt.protocol).toBe('mqtt');
    expect(doc.operations.publish_coldchainReadingsMqtt.bindings.mqtt.qos).toBe(1);
  });
});
