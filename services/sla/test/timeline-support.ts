import { fileURLToPath } from 'node:url';
import { topics, type Envelope } from '@county/contracts';
import {
  consume,
  createKafka,
  createProducer,
  issueKey,
  openRuntime,
  publish,
  readTopic,
  withTransaction,
  type BaseConfig,
  type Clock,
  type NewKey,
  type Producer,
  type Queryable,
  type Runtime,
} from '@county/platform';
import { testLogger, waitFor } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import { consumers } from '../src/consumers.js';

export const slaMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

/**
 * sla as main.ts runs it, over a suite's own schema and topics, on the suite's clock: the runtime (relay included),
 * the HTTP app (its scanner off: suites scan with `scanOnce`) and its consumers.
 */
export async function runningSla(config: BaseConfig, clock: Clock) {
  const runtime = openRuntime({ service: 'sla', config, migrationsDir: slaMigrationsDir, logger: testLogger('sla'), clock });
  await runtime.migrated;
  const app = await buildApp({ ...runtime, scanEveryMs: 0 });
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  for (const spec of consumers(runtime)) await consume(runtime, spec);
  const issue = async (input: NewKey) => (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, input, new Date()))).key;
  return { runtime, app, issue };
}

/** What stands in for intake and dispatch: a producer of their events. */
export async function upstreamProducer(config: BaseConfig): Promise<Producer> {
  const producer = createProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'upstream-stand-in', logger: testLogger('upstream') }));
  await producer.connect();
  return producer;
}

export async function publishTo(producer: Producer, config: BaseConfig, topic: string, messages: { key: string; event: Envelope }[]): Promise<void> {
  await publish(producer, `${config.TOPIC_PREFIX}${topic}`, messages.map((m) => ({ key: m.key, value: JSON.stringify(m.event) })));
}

export const publishMasterData = (p: Producer, c: BaseConfig, messages: { key: string; event: Envelope }[]) => publishTo(p, c, topics.masterdata.name, messages);
export const publishParcelEvents = (p: Producer, c: BaseConfig, events: Envelope[]) => publishTo(p, c, topics.parcelEvents.name, events.map((e) => ({ key: e.subject, event: e })));
export const publishDispatchEvents = (p: Producer, c: BaseConfig, events: Envelope[]) => publishTo(p, c, topics.dispatchEvents.name, events.map((e) => ({ key: e.subject, event: e })));

/** Waits until the consumer named has applied (or skipped as a duplicate) the event. */
export async function applied(db: Queryable, consumer: string, eventId: string): Promise<void> {
  await waitFor(async () => {
    const { rowCount } = await db.query(`SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2`, [consumer, eventId]);
    return rowCount ? true : undefined;
  });
}

/** The events on `sla.events` (as the relay published them) that satisfy `until`, waiting for them. */
export async function slaEvents(runtime: Runtime, config: BaseConfig, until: (events: { key: string | null; value: Envelope }[]) => boolean) {
  return waitFor(async () => {
    const messages = await readTopic<Envelope>(runtime.kafka, `${config.TOPIC_PREFIX}${topics.slaEvents.name}`);
    return until(messages) ? messages : undefined;
  });
}
