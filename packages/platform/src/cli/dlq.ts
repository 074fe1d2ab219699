// Lists a dead-letter topic and replays chosen records to their original topic.
//   npm run dlq -- list <topic>                       (e.g. courier.manifests; `.dlq` is added)
//   npm run dlq -- replay <topic> --offsets 0,3,7     (partition 0; or P:O pairs like 1:4)
//   npm run dlq -- replay <topic> --all
// Connection settings come from KAFKA_BROKERS and TOPIC_PREFIX, like the services'.
import { parseArgs } from 'node:util';
import { deadLetterTopic } from '@county/contracts';
import { createKafka, createProducer } from '../kafka.js';
import { createLogger } from '../logger.js';
import { readDeadLetters, replayDeadLetters, type StoredDeadLetter } from '../messaging/replay.js';

const usage = 'usage: dlq list <topic> | dlq replay <topic> (--offsets P:O,… | --all)';

function chosen(records: StoredDeadLetter[], offsets: string | undefined, all: boolean): StoredDeadLetter[] {
  if (all) return records;
  if (!offsets) throw new Error(`name the records to replay with --offsets or --all\n${usage}`);
  const wanted = new Set(offsets.split(',').map((o) => (o.includes(':') ? o.trim() : `0:${o.trim()}`)));
  const found = records.filter((r) => wanted.has(`${r.partition}:${r.offset}`));
  const missing = [...wanted].filter((w) => !found.some((r) => `${r.partition}:${r.offset}` === w));
  if (missing.length > 0) throw new Error(`no dead letter at ${missing.join(', ')}`);
  return found;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { offsets: { type: 'string' }, all: { type: 'boolean', default: false } },
  });
  const [command, topic] = positionals;
  if (!topic || (command !== 'list' && command !== 'replay')) throw new Error(usage);
  const logger = createLogger({ service: 'dlq', level: process.env.LOG_LEVEL ?? 'warn' });
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const physical = `${process.env.TOPIC_PREFIX ?? ''}${topic.replace(/\.dlq$/, '')}`;
  const dlq = deadLetterTopic(physical);
  const kafka = createKafka({ brokers, clientId: 'dlq-cli', logger, retries: 2 });
  const records = await readDeadLetters(kafka, dlq);
  if (command === 'list') {
    for (const { partition, offset, record } of records) {
      process.stdout.write(
        `${JSON.stringify({ at: `${partition}:${offset}`, deadLetteredAt: record.deadLetteredAt, consumer: record.consumer, reason: record.reason, failedIndexes: record.failedIndexes, original: { topic: record.original.topic, key: record.original.key, offset: record.original.offset } })}\n`,
      );
    }
    process.stderr.write(`${records.length} dead letter(s) in ${dlq}\n`);
    return;
  }
  const selection = chosen(records, values.offsets, values.all ?? false);
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    const sent = await replayDeadLetters(producer, dlq, selection);
    process.stderr.write(`replayed ${sent} record(s) from ${dlq}\n`);
  } finally {
    await producer.disconnect();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
