import { withTransaction, type Clock, type Logger, type Outbox, type Pool } from '@county/platform';
import { remeasureIds } from '../timeline/evaluate.js';
import { dueOpenParcels } from '../timeline/store.js';

/**
 * Open parcels whose ETA or deadline the runtime's clock has reached are measured again: a parcel still waiting
 * gets its next departure (its ETA slips, at risk), one past its deadline is a breach although no event came.
 * `scanOnce` takes up to `batch` at a time until none is due; returns how many it measured.
 */
export async function scanOnce(deps: { pool: Pool; outbox: Outbox; source: string; clock: Clock }, batch = 500): Promise<number> {
  let total = 0;
  const now = deps.clock();
  for (;;) {
    const measured = await withTransaction(deps.pool, async (tx) => {
      const ids = await dueOpenParcels(tx, now, batch);
      await remeasureIds(tx, { outbox: deps.outbox, source: deps.source }, ids, now);
      return ids.length;
    });
    total += measured;
    // measured at `now`, a parcel's ETA is `now` or later and its deadline seen: not due again in this loop
    if (measured < batch) return total;
  }
}

/** Scans every `everyMs` of real time until stopped. */
export function startScanner(deps: { pool: Pool; outbox: Outbox; source: string; clock: Clock; logger: Logger }, everyMs: number): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = scanOnce(deps).catch((err: unknown) => deps.logger.warn({ err }, 'sla scan failed; retrying at the next tick'));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
