import { manifestParcelSchema } from '@county/contracts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { intakeApp } from './support.js';

const config = testConfig(isolation());
let intake: Awaited<ReturnType<typeof intakeApp>>;
let document: { openapi: string; paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Record<string, any> }> } }>> };

beforeAll(async () => {
  intake = await intakeApp(config);
  const res = await intake.app.inject({ method: 'GET', url: '/docs/json' });
  expect(res.statusCode).toBe(200);
  document = res.json();
});

afterAll(() => intake?.close());

const bodyOf = (path: string) => document.paths[path]!.post!.requestBody.content['application/json']!.schema;

function validator(schema: object) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

const examples = (manifestParcelSchema.meta()?.examples ?? []) as Record<string, unknown>[];

describe('the API document (/docs/json)', () => {
  it('publishes the parcel contract as the body of POST /parcels, with courierId', () => {
    expect(document.openapi).toBe('3.1.0');
    const body = bodyOf('/parcels');
    expect(body).toMatchObject({ title: 'ManifestParcel', required: ['waybill', 'weightKg', 'recipient'] });
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['courierId', 'waybill', 'destination', 'weightKg', 'recipient', 'sender']));
    const validate = validator(body);
    for (const example of examples) expect(validate({ ...example, courierId: 'zto' }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...examples[0], weightKg: 0 })).toBe(false);
  });

  it('publishes the parcel contract as each item of POST /parcels/batch', () => {
    const items = bodyOf('/parcels/batch').properties.parcels.items;
    expect(items).toMatchObject({ title: 'ManifestParcel', properties: { recipient: { required: ['name', 'phone'] } } });
    const validate = validator(bodyOf('/parcels/batch'));
    expect(validate({ courierId: 'zto', parcels: examples }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ parcels: [{ ...examples[0], destination: { villageCode: '5116' } }] })).toBe(false);
  });

  it('documents the items without validating the batch by them: a malformed item does not refuse the request', async () => {
    const admin = await intake.issue({ countyId: 'cn-511623', role: 'admin', name: 'docs' });
    const res = await intake.app.inject({
      method: 'POST',
      url: '/parcels/batch',
      headers: { 'x-api-key': admin },
      payload: { courierId: 'nobody', parcels: [{ junk: true }] },
    });
    // Refused for the unknown courier, not by the body schema: each item is checked on its own.
    expect(res.json().error.code).toBe('UNKNOWN_COURIER');
  });
});
