import { fileURLToPath } from 'node:url';
import { buildEvent, topics, type Envelope, type EventType } from '@county/contracts';
import { consume, createKafka, createProducer, issueKey, openRuntime, publish, withTransaction, type BaseConfig, type Clock, type NewKey, type Producer, type Queryable } from '@county/platform';
import { testLogger, waitFor } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import { consumers } from '../src/consumers.js';

export const slaMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

/** sla as main.ts runs it, over a suite's own schema and topics: runtime, HTTP app, consumers. */
export async function runningSla(config: BaseConfig, options: { clock?: Clock } = {}) {
  const runtime = openRuntime({ service: 'sla', config, migrationsDir: slaMigrationsDir, logger: testLogger('sla'), ...(options.clock ? { clock: options.clock } : {}) });
  await runtime.migrated;
  const app = await buildApp(runtime);
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  for (const spec of consumers(runtime)) await consume(runtime, spec);
  const issue = async (input: NewKey) => (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, input, new Date()))).key;
  return { runtime, app, issue };
}

/** What stands in for intake, dispatch and coldchain: a producer of their events, keyed as they key them. */
export async function standInProducer(config: BaseConfig): Promise<Producer> {
  const producer = createProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'services-stand-in', logger: testLogger('stand-in') }));
  await producer.connect();
  return producer;
}

export function event(type: EventType, countyId: string, subject: string, data: unknown, source: string, occurredAt = new Date()): Envelope {
  return buildEvent({ type, countyId, subject, source, data, occurredAt } as Parameters<typeof buildEvent>[0]);
}

export async function publishTo(producer: Producer, config: BaseConfig, logicalTopic: string, messages: { key: string; event: Envelope }[]): Promise<void> {
  await publish(producer, `${config.TOPIC_PREFIX}${logicalTopic}`, messages.map((m) => ({ key: m.key, value: JSON.stringify(m.event) })));
}

export const topicOf = {
  masterdata: topics.masterdata.name,
  dispatch: topics.dispatchEvents.name,
  coldchain: topics.coldchainEvents.name,
};

/** Waits until the consumer named has applied (or skipped as a duplicate) every event. */
export async function applied(db: Queryable, consumer: string, eventIds: string[]): Promise<void> {
  await waitFor(async () => {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])`, [consumer, eventIds]);
    return Number(rows[0]?.n) === eventIds.length ? true : undefined;
  }, { timeoutMs: 60_000 });
}
