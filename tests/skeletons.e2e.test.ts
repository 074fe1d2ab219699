import { createLogger, createOutbox, createPool, issueKey, systemClock, withTransaction, type Pool } from '@county/platform';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isolation, waitFor } from './support/harness.js';
import { killService, startServiceProcess, type ServiceProcess } from './support/service-process.js';

const iso = isolation();
const skeletons = ['dispatch', 'coldchain', 'sla'] as const;
const schemaOf = (service: string) => `${iso.schema}_${service}`;
const running: ServiceProcess[] = [];
let intakePool: Pool;

beforeAll(async () => {
  running.push(await startServiceProcess('intake', iso, { schema: schemaOf('intake') }));
  intakePool = createPool({ url: inject('infra').DATABASE_URL, schema: schemaOf('intake'), logger: createLogger({ service: 'test', level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  await intakePool?.end();
  await Promise.all(running.map((service) => killService(service)));
});

describe('the skeleton services', () => {
  it('each starts, is ready with nothing degraded, and answers whoami with a key issued at intake', async () => {
    const outbox = createOutbox({ topicPrefix: iso.topicPrefix });
    const { key } = await withTransaction(intakePool, (tx) =>
      issueKey(tx, outbox, { countyId: 'cn-511623', role: 'operator', name: 'skeleton check' }, systemClock()),
    );
    const started = await Promise.all(skeletons.map((service) => startServiceProcess(service, iso, { schema: schemaOf(service) })));
    running.push(...started);

    for (const [i, service] of skeletons.entries()) {
      const { url } = started[i]!;
      const ready = await waitFor(async () => {
        const body = (await (await fetch(`${url}/health/ready`)).json()) as { status: string; degraded: string[] };
        return body.status === 'ready' ? body : undefined;
      });
      expect(ready, service).toEqual(expect.objectContaining({ status: 'ready', degraded: [] }));
      // Replicated by the platform's key consumer, which every service runs without listing it.
      const whoami = await waitFor(async () => {
        const res = await fetch(`${url}/auth/whoami`, { headers: { 'x-api-key': key } });
        return res.status === 200 ? res.json() : undefined;
      });
      expect(whoami, service).toMatchObject({ countyId: 'cn-511623', role: 'operator' });
    }
  }, 120_000);
});
