import type { Consumer } from 'kafkajs';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { retryUntil, sleep } from '../retry.js';

/** Whether a consumer is reading its topics, and if not, why. */
export type ConsumerState = { up: true } | { up: false; reason: string };

export interface SupervisorSettings {
  name: string;
  logger: Logger;
  metrics?: Registry;
  /**
   * Creates, connects and runs a fresh kafkajs consumer, resolving once it has joined its group.
   * It calls `onCrash` when that consumer dies afterwards.
   */
  start: (onCrash: (error: Error) => void) => Promise<Consumer>;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface Supervised {
  state(): ConsumerState;
  stop(): Promise<void>;
}

/**
 * Keeps one consumer alive (issue #8). kafkajs gives up on a consumer for good on a non-retriable
 * error — a batch it cannot decode, say — and nothing else would notice: the service would stay up
 * but deaf. Here every crash replaces the consumer with a new one, after a backoff that grows while
 * it keeps crashing (a batch that kills it again and again) and is bounded, forever; `state()` and
 * the `consumer_up` gauge say it is down meanwhile, `consumer_restarts_total` counts the restarts.
 */
export async function supervise(settings: SupervisorSettings): Promise<Supervised> {
  const { name, initialDelayMs = 500, maxDelayMs = 30_000 } = settings;
  const log = settings.logger.child({ component: 'consumer', consumer: name });
  const metrics = supervisionMetrics(settings.metrics);
  const stopping = new AbortController();
  let state: ConsumerState = { up: false, reason: 'starting' };
  let current: Consumer | undefined;
  let upSince = 0;
  let crashes = 0;
  let restarting: Promise<void> | undefined;

  const setState = (next: ConsumerState) => {
    state = next;
    metrics?.up.set({ consumer: name }, next.up ? 1 : 0);
  };

  const onCrash = (error: Error) => {
    if (stopping.signal.aborted || restarting) return;
    restarting = restart(error).finally(() => {
      restarting = undefined;
    });
  };

  const restart = async (error: Error) => {
    // A consumer that stayed up longer than the longest delay was healthy: start the backoff afresh.
    if (Date.now() - upSince >= maxDelayMs) crashes = 0;
    crashes++;
    setState({ up: false, reason: `crashed: ${error.message}` });
    metrics?.restarts.inc({ consumer: name });
    const delay = Math.min(initialDelayMs * 2 ** (crashes - 1), maxDelayMs);
    log.error({ err: error.message, crashes, restartInMs: delay }, 'consumer crashed; restarting it');
    const crashed = current;
    current = undefined;
    try {
      await crashed?.disconnect().catch(() => undefined);
      await sleep(delay, stopping.signal);
      current = await retryUntil(() => settings.start(onCrash), {
        signal: stopping.signal,
        initialDelayMs: delay,
        maxDelayMs,
        onError: (err) => setState({ up: false, reason: `restarting: ${err.message}` }),
      });
      upSince = Date.now();
      setState({ up: true });
      log.info({ crashes }, 'consumer restarted');
    } catch {
      // Only stop() lands here (the sleep and the retries end on its abort): nothing to restart.
    }
  };

  setState({ up: false, reason: 'starting' });
  current = await settings.start(onCrash);
  upSince = Date.now();
  setState({ up: true });

  return {
    state: () => state,
    stop: async () => {
      stopping.abort();
      await restarting?.catch(() => undefined);
      await current?.disconnect();
      setState({ up: false, reason: 'stopped' });
    },
  };
}

function supervisionMetrics(registry: Registry | undefined) {
  if (!registry) return undefined;
  return {
    up:
      (registry.getSingleMetric('consumer_up') as Gauge<'consumer'> | undefined) ??
      new Gauge({ name: 'consumer_up', help: '1 while the consumer reads its topics, 0 while it is down or restarting', labelNames: ['consumer'], registers: [registry] }),
    restarts:
      (registry.getSingleMetric('consumer_restarts_total') as Counter<'consumer'> | undefined) ??
      new Counter({ name: 'consumer_restarts_total', help: 'Times a crashed consumer was restarted', labelNames: ['consumer'], registers: [registry] }),
  };
}
