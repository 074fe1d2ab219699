import type { Producer } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import pg from 'pg';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { requestsArriving, timeSlices, type Pacer } from '../pacer.js';
import { onOutboxCommitted, type Pool } from '../postgres.js';

export interface RelaySettings {
  url: string;
  schema: string;
  producer: Producer;
  logger: Logger;
  metrics: Registry;
  /**
   * This process's pool: its commits that wrote outbox rows wake the relay at once
   * (`signalOutboxWrite`). Rows written by other processes (another instance of the service) are
   * found by polling.
   */
  pool?: Pool;
  /** Each batch waits for the service's HTTP requests in flight first (pacer.ts). */
  pacer?: Pacer;
  batchSize?: number;
  /**
   * Rows published at once while HTTP requests keep arriving (pacer.ts): encoding a batch for the
   * broker holds the event loop, about 100 ms for 500 rows beside 200 POSTs/s (bench:intake).
   */
  busyBatchSize?: number;
  /** How often the outbox is read without a wake-up: rows another process wrote wait at most this. */
  pollIntervalMs?: number;
  /**
   * How long a wake-up waits for more before the relay reads the outbox, like a producer's
   * `linger.ms`: under steady single-row writes one publish carries several rows instead of one.
   */
  lingerMs?: number;
  /** How often a standby tries to take over. */
  standbyRetryMs?: number;
  /** Sent rows (and idempotency records) are kept this long, then deleted. */
  retainSentMs?: number;
  /**
   * Inbox rows (the ids of events consumed) are kept this long, then deleted: 30 days by default, well past the
   * broker's 7-day log retention (infra/lib/kafka.mjs), so no event still on a topic can be taken for new.
   */
  retainInboxMs?: number;
  /**
   * Makes sure topics exist before the first publish to them (a new courier's status topic, say),
   * so one missing topic cannot hold up the whole outbox behind it. Must be idempotent.
   */
  createTopics?: (topics: string[]) => Promise<void>;
  /** Fault injection for tests: runs after a batch is published and before it is marked sent. */
  afterPublish?: (seqs: string[]) => Promise<void>;
}

export interface Relay {
  isLeader(): boolean;
  stop(): Promise<void>;
}

interface Row {
  seq: string;
  topic: string;
  key: string;
  payload: unknown;
  headers: Record<string, string>;
}

const BACKLOG_LOG_INTERVAL_MS = 30_000;
/** The longest a batch waits for requests in flight: events are late by at most this under load. */
const MAX_YIELD_MS = 500;
const PURGE_INTERVAL_MS = 10 * 60_000;

/**
 * Publishes the outbox of one schema in `seq` order, woken by this process's commits and polling
 * for the others'. Exactly one relay per schema is active: it
 * holds a session advisory lock on its own connection, so when its process or connection dies the
 * lock is released and a standby takes over within `standbyRetryMs`. Every read and update runs on
 * that same connection, so a relay that lost its lock can no longer mark rows.
 */
export function startRelay(settings: RelaySettings): Relay {
  const { schema, producer, logger, batchSize = 500, busyBatchSize = 100, pollIntervalMs = 250, standbyRetryMs = 1000, lingerMs = 10 } = settings;
  const log = logger.child({ component: 'outbox-relay', schema });
  let stopped = false;
  let leader = false;
  let wake: () => void = () => undefined;
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const gauges = relayGauges(settings.metrics);
  const slices = settings.pacer ? timeSlices(settings.pacer, { maxWaitMs: MAX_YIELD_MS }) : undefined;

  // Set by a commit since the last read, even while the relay was busy publishing, so no commit
  // waits for the next poll.
  let notified = false;
  const unsubscribe = settings.pool
    ? onOutboxCommitted(settings.pool, () => {
        notified = true;
        wake();
      })
    : () => undefined;

  const lead = async (client: pg.Client): Promise<void> => {
    const waitForMore = async () => {
      if (!notified) await nap(pollIntervalMs);
      if (notified) await new Promise((resolve) => setTimeout(resolve, lingerMs));
    };
    // Topics made sure of once per leadership, so a new courier's topic never blocks the rows behind it.
    const knownTopics = new Set<string>();
    let lastBacklogLog = 0;
    let lastPurge = 0;
    let failures = 0;
    while (!stopped) {
      const now = Date.now();
      if (now - lastBacklogLog >= BACKLOG_LOG_INTERVAL_MS) {
        lastBacklogLog = now;
        await reportBacklog(client, gauges, log);
      }
      if (now - lastPurge >= PURGE_INTERVAL_MS) {
        lastPurge = now;
        await housekeeping(client, (settings.retainSentMs ?? 86_400_000) / 1000, (settings.retainInboxMs ?? INBOX_RETENTION_MS) / 1000);
      }
      notified = false;
      await slices?.checkpoint();
      const limit = settings.pacer && requestsArriving(settings.pacer) ? Math.min(busyBatchSize, batchSize) : batchSize;
      const { rows } = await client.query<Row>(
        'SELECT seq, topic, key, payload, headers FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1',
        [limit],
      );
      if (rows.length === 0) {
        gauges.backlog.set(0);
        gauges.oldestAge.set(0);
        await waitForMore();
        continue;
      }
      try {
        const unseen = [...new Set(rows.map((r) => r.topic))].filter((topic) => !knownTopics.has(topic));
        if (unseen.length > 0 && settings.createTopics) await settings.createTopics(unseen);
        for (const topic of unseen) knownTopics.add(topic);
        await publishRows(producer, rows);
        failures = 0;
      } catch (err) {
        // The broker is away: keep the lock and the rows, and try again later.
        failures += 1;
        if (failures === 1) log.warn({ err: (err as Error).message, pending: rows.length }, 'kafka unavailable; outbox holds events until it returns');
        await nap(Math.min(500 * 2 ** failures, 30_000));
        await producer.connect().catch(() => undefined);
        continue;
      }
      const seqs = rows.map((r) => r.seq);
      await settings.afterPublish?.(seqs);
      await client.query('UPDATE outbox SET sent_at = now() WHERE seq = ANY($1::bigint[])', [seqs]);
      if (rows.length < limit) await waitForMore();
    }
  };

  const run = async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      const client = new pg.Client({ connectionString: settings.url, options: `-c search_path=${schema}`, application_name: `${schema}-relay` });
      client.on('error', (err) => log.warn({ err: err.message }, 'relay connection lost'));
      try {
        await client.connect();
        while (!stopped && !leader) {
          const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`${schema}.outbox-relay`]);
          leader = rows[0]?.ok === true;
          if (!leader) await nap(standbyRetryMs);
        }
        if (leader) {
          log.info('relay active');
          failures = 0;
          await lead(client);
        }
      } catch (err) {
        failures += 1;
        if (!stopped) log.warn({ err: (err as Error).message }, 'relay interrupted; retrying');
      } finally {
        leader = false;
        await client.end().catch(() => undefined);
      }
      if (!stopped) await nap(Math.min(500 * 2 ** failures, 15_000));
    }
  };

  const done = run();
  return {
    isLeader: () => leader,
    stop: async () => {
      stopped = true;
      unsubscribe();
      wake();
      await done;
    },
  };
}

/**
 * Below this many characters of JSON (bytes, for the ASCII most events are) a batch goes uncompressed: the few events of a single request gain nothing
 * from gzip, and compressing them cost the relay more CPU than anything else it did under
 * single-POST load (bench:intake profile).
 */
const COMPRESS_FROM_CHARS = 16 * 1024;

async function publishRows(producer: Producer, rows: Row[]): Promise<void> {
  const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
  let chars = 0;
  for (const row of rows) {
    const messages = byTopic.get(row.topic) ?? [];
    const value = JSON.stringify(row.payload);
    chars += value.length;
    messages.push({ key: row.key, value, headers: row.headers });
    byTopic.set(row.topic, messages);
  }
  await producer.sendBatch({
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    compression: chars >= COMPRESS_FROM_CHARS ? CompressionTypes.GZIP : CompressionTypes.None,
    acks: -1,
  });
}

const INBOX_RETENTION_MS = 30 * 86_400_000;

/**
 * The schema's periodic clean-up, done by the one active relay so instances never race for it:
 * published outbox rows and idempotency records older than the retention go, and inbox rows older than theirs.
 * Times are the database's own (real time, as retention is), not the domain clock.
 */
async function housekeeping(client: pg.Client, retainSeconds: number, retainInboxSeconds: number): Promise<void> {
  await client.query('DELETE FROM outbox WHERE sent_at < now() - make_interval(secs => $1)', [retainSeconds]);
  await client.query('DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)', [retainSeconds]);
  await client.query('DELETE FROM inbox WHERE processed_at < now() - make_interval(secs => $1)', [retainInboxSeconds]);
}

function relayGauges(registry: Registry) {
  const existing = registry.getSingleMetric('outbox_backlog_events') as Gauge | undefined;
  return {
    backlog:
      existing ??
      new Gauge({ name: 'outbox_backlog_events', help: 'Outbox rows not yet published', registers: [registry] }),
    oldestAge:
      (registry.getSingleMetric('outbox_oldest_pending_age_seconds') as Gauge | undefined) ??
      new Gauge({ name: 'outbox_oldest_pending_age_seconds', help: 'Age of the oldest unpublished outbox row', registers: [registry] }),
  };
}

async function reportBacklog(client: pg.Client, gauges: ReturnType<typeof relayGauges>, log: Logger): Promise<void> {
  const { rows } = await client.query<{ pending: string; oldest_age: number | null }>(
    `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS oldest_age FROM outbox WHERE sent_at IS NULL`,
  );
  const pending = Number(rows[0]?.pending ?? 0);
  const oldestAge = rows[0]?.oldest_age ?? 0;
  gauges.backlog.set(pending);
  gauges.oldestAge.set(oldestAge);
  if (pending > 0) log.info({ pending, oldestAgeSeconds: Math.round(oldestAge) }, 'outbox backlog');
}
