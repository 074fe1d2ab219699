import { withTransaction, type Clock, type Logger, type Outbox, type Pool } from '@county/platform';
import { legs } from '../timeline/domain/measure.js';
import { remeasureIds } from '../timeline/evaluate.js';
import { dueOpenParcels } from '../timeline/store.js';
import { evaluateRate } from './store.js';

export interface ScanDeps {
  pool: Pool;
  outbox: Outbox;
  source: string;
  clock: Clock;
  /**
   * The instant through which the parcel consumer has folded every event (`watermark.ts`, from Kafka), or null when
   * not known yet. Absent: now (the tests, which scan once the events are applied).
   */
  foldedThrough?: (now: Date) => Promise<Date | null>;
}

/**
 * What the runtime's clock decides, at each tick: open parcels whose ETA or deadline it has reached are measured
 * again (a parcel still waiting gets its next departure — its ETA slips, at risk —, one past its deadline is a breach
 * although no event came), up to `batch` at a time until none is due; then every county's rate of each leg over its
 * rolling window ending now (rate alerts raised, kept current, resolved). Returns how many parcels it measured.
 * An open parcel's breach is raised only when its deadline is at or before the consumer's watermark: while the
 * consumer lags behind, a parcel whose arrival is on the broker but not folded yet is not breached.
 */
export async function scanOnce(deps: ScanDeps, batch = 500): Promise<number> {
  let total = 0;
  const now = deps.clock();
  const folded = deps.foldedThrough ? await deps.foldedThrough(now) : now;
  const breachesUntil = folded === null ? null : new Date(Math.min(folded.getTime(), now.getTime()));
  for (let round = 0; round < 1_000; round += 1) {
    const measured = await withTransaction(deps.pool, async (tx) => {
      const ids = await dueOpenParcels(tx, now, breachesUntil, batch);
      await remeasureIds(tx, { outbox: deps.outbox, source: deps.source }, ids, now, breachesUntil);
      return ids.length;
    });
    total += measured;
    // measured at `now`, a parcel's ETA is `now` or later and its deadline seen: not due again in this loop
    if (measured < batch) break;
  }
  const { rows } = await deps.pool.query<{ county_id: string }>(`SELECT county_id FROM sla_counties ORDER BY county_id`);
  for (const { county_id: countyId } of rows) {
    for (const leg of legs) {
      await withTransaction(deps.pool, (tx) => evaluateRate(tx, { outbox: deps.outbox, source: deps.source }, countyId, leg, now));
    }
  }
  return total;
}

/** Scans every `everyMs` of real time until stopped. */
export function startScanner(deps: ScanDeps & { logger: Logger }, everyMs: number): () => Promise<void> {
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
