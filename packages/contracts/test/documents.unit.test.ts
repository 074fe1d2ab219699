import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { manifestParcelSchema, parseEnvelope } from '../src/index.js';

// The official parser and ajv take seconds on the whole document (2–3 s alone, more beside the integration
// suites on two cores), past the unit project's default 5 s: these tests get a minute.
const SLOW = 60_000;

const generated = (name: string) => new URL(`../generated/${name}`, import.meta.url);
const readJson = async (name: string) => JSON.parse(await readFile(generated(name), 'utf8'));

async function asyncApiErrors(document: unknown): Promise<string[]> {
  const { diagnostics } = await new Parser().parse(JSON.stringify(document));
  return diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => `${d.path.join('.')}: ${d.message}`);
}

function ajv() {
  const instance = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(instance);
  return instance;
}

/** The examples the parcel schema publishes, the first downstream, the second upstream. */
const examples = (manifestParcelSchema.meta()?.examples ?? []) as Record<string, unknown>[];

const manifest = (parcels: unknown[]) => ({
  id: randomUUID(),
  type: 'courier.manifest_submitted',
  version: 1,
  occurredAt: '2026-11-29T08:00:00+08:00',
  countyId: 'cn-511623',
  subject: 'zto-511623',
  source: 'zto-511623',
  data: { courierId: 'zto-511623', manifestId: 'm-1', parcels },
});

describe('the AsyncAPI document', () => {
  it('passes the official AsyncAPI parser without an error', async () => {
    expect(await asyncApiErrors(await readJson('asyncapi.json'))).toEqual([]);
  }, SLOW);

  it('is checked by a parser that does report errors', async () => {
    const broken = await readJson('asyncapi.json');
    broken.operations.courierStatus.channel = { $ref: '#/channels/nowhere' };
    expect(await asyncApiErrors(broken)).not.toEqual([]);
  }, SLOW);

  it('publishes the parcel item, the status channel, the dead letters and the Kafka keys', async () => {
    const doc = await readJson('asyncapi.json');
    const manifestPayload = doc.components.messages.courier_manifest_submitted.payload;
    expect(manifestPayload.properties.data.properties.parcels.items).toMatchObject({
      title: 'ManifestParcel',
      required: expect.arrayContaining(['waybill', 'weightKg', 'recipient']),
    });
    expect(doc.channels.courierStatus).toMatchObject({ address: 'courier.status.{courierId}', parameters: { courierId: {} } });
    expect(Object.keys(doc.channels.courierStatus.messages)).toEqual(
      expect.arrayContaining(['courier_status_opened', 'courier_manifest_rejected', 'parcel_manifested', 'parcel_delivered']),
    );
    expect(doc.channels.courierManifestsDeadLetters.address).toBe('courier.manifests.dlq');
    expect(doc.components.messages.dead_letter.payload.required).toEqual(expect.arrayContaining(['original', 'issues', 'reason']));
    expect(doc.components.messages.courier_manifest_submitted.bindings.kafka.key.description).toMatch(/^courier id/);
    expect(doc.channels.courierManifests['x-accepted-compression']).toEqual(['gzip', 'snappy', 'lz4', 'zstd']);
  });
});

describe('the JSON Schemas', () => {
  it('each compile with ajv', async () => {
    const names = await readdir(generated('schemas/'));
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      const schema = await readJson(`schemas/${name}`);
      expect(() => ajv().compile(schema), name).not.toThrow();
    }
  }, SLOW);

  it('accept the published parcel examples in a manifest with a +08:00 instant', async () => {
    const validate = ajv().compile(await readJson('schemas/courier.manifest_submitted.v1.json'));
    expect(examples).toHaveLength(2);
    const event = manifest(examples);
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    for (const example of examples) expect(manifestParcelSchema.safeParse(example).success).toBe(true);
  });

  it('describe a bad parcel as bad, while the runtime envelope still takes the manifest to refuse it by index', async () => {
    const validate = ajv().compile(await readJson('schemas/courier.manifest_submitted.v1.json'));
    const bad = { ...examples[0], weightKg: -1, recipient: { name: '张三' } };
    const upstreamWithoutOrigin = { ...examples[1], originStationId: undefined };
    for (const parcel of [bad, JSON.parse(JSON.stringify(upstreamWithoutOrigin))]) {
      expect(validate(manifest([examples[0], parcel])), JSON.stringify(parcel)).toBe(false);
      expect(parseEnvelope(manifest([examples[0], parcel])).ok).toBe(true);
    }
  });
});
