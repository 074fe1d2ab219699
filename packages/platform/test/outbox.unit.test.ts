import { describe, expect, it } from 'vitest';
import { createOutbox, type Queryable } from '../src/index.js';

/** Captures the parameters the outbox would send to Postgres. */
function capturing() {
  const calls: unknown[][] = [];
  const tx = { query: async (_sql: string, params: unknown[]) => void calls.push(params) } as unknown as Queryable;
  return { tx, payloads: () => calls.flatMap((params) => params[3] as string[]) };
}

const event = (subject: string) => ({
  id: '8f14e45f-ceea-467f-a0e6-1b1a0f1a0b1c',
  type: 'courier.manifest_rejected',
  version: 1,
  occurredAt: '2026-11-29T00:00:00.000Z',
  countyId: 'cn-511623',
  subject,
  source: 'intake',
  data: { note: subject },
});

describe('the outbox', () => {
  it('writes an event quoting NUL or a lone surrogate as JSON Postgres can store, with U+FFFD in their place', async () => {
    const { tx, payloads } = capturing();
    await createOutbox({ topicPrefix: '' }).add(tx, { topic: 'parcel.events', key: 'k', event: event('ZT\u0000\uD800-1') as never });
    const [json] = payloads();
    expect(json).not.toMatch(/\\u0000|\\ud800/i);
    expect(JSON.parse(json!).subject).toBe('ZT\uFFFD\uFFFD-1');
  });

  it('writes a clean event exactly as JSON.stringify does', async () => {
    const { tx, payloads } = capturing();
    const clean = event('ZT-1 \\u0000 is just text here');
    await createOutbox({ topicPrefix: '' }).add(tx, { topic: 'parcel.events', key: 'k', event: clean as never });
    expect(payloads()).toEqual([JSON.stringify(clean)]);
  });
});
