import type { Logger, Queryable } from '@county/platform';
import { latestOf, listContainerStates } from './store/state.js';
import type { Tracker } from './tracker.js';

/** How far before each container's checkpoint an instance folds again when it starts. */
export const RESYNC_WINDOW_MS = 15 * 60_000;

/**
 * When an instance starts, every container is folded again (through Postgres) from `windowMs` before its checkpoint:
 * readings this instance's ingest stored just before it died, whose listener call never came, are folded now — the
 * ingest tells the tracker after its commit, and nothing else would tell it again. Readings stored that way but older
 * than the window are folded when a later late reading folds their period again.
 */
export async function resyncAll(db: Queryable, tracker: Pick<Tracker, 'resync'>, logger: Logger, windowMs = RESYNC_WINDOW_MS): Promise<number> {
  let folded = 0;
  for (const row of await listContainerStates(db)) {
    const latest = latestOf(row.state);
    if (!latest) continue;
    try {
      await tracker.resync(row.countyId, row.containerId, { at: latest.at - windowMs, sensorId: '' });
      folded += 1;
    } catch (err) {
      logger.warn({ err: (err as Error).message, countyId: row.countyId, containerId: row.containerId }, 'resync failed; the tracker retries it');
    }
  }
  return folded;
}
