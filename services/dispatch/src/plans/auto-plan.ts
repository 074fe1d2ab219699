import { AppError, startLeaderLoop, withTransaction, type LeaderLoop, type PoolClient, type Runtime } from '@county/platform';
import { wavesAtCutoff, type DueWave } from './domain/dates.js';
import { createPlan } from './create-plan.js';
import type { PlanDeps } from './deps.js';
import { createPlannerPool } from './planner-pool.js';
import { planningPorts, type AutoPlanCounty } from './ports.js';
import { markedWaves, markWave, type AutoPlanOutcome } from './store/index.js';

/** Who the auto-planner's drafts are created by. */
export const AUTO_PLANNER = 'auto-planner';

export interface AutoPlanned {
  countyId: string;
  date: string;
  waveId: string;
  outcome: AutoPlanOutcome;
  planId?: string;
  detail?: string;
}

class AlreadyMarked extends Error {}

/**
 * One pass of the auto-planner (issue #10: "Waves can also be planned automatically at their cut-off … leaving
 * the confirm to an operator"): for every county whose settings say `autoPlan`, each wave whose cut-off has
 * passed by the runtime's clock and which has not departed gets a draft, once per wave and date. A wave the
 * planner refuses (confirmed already, unknown to the read model) is recorded as such and not tried again; an
 * outage leaves it for the next pass.
 */
export async function planWavesAtCutoff(deps: PlanDeps): Promise<AutoPlanned[]> {
  const now = deps.now();
  const done: AutoPlanned[] = [];
  for (const county of await deps.ports.autoPlanCounties(deps.pool)) {
    const due = wavesAtCutoff(now, county.timeZone, county.waves);
    const marked = await markedWaves(deps.pool, county.countyId, due);
    for (const wave of due) {
      if (marked.has(`${wave.date}/${wave.waveId}`)) continue;
      const result = await planAtCutoff(deps, county, wave);
      if (result) done.push(result);
    }
  }
  return done;
}

async function planAtCutoff(deps: PlanDeps, county: AutoPlanCounty, wave: DueWave): Promise<AutoPlanned | undefined> {
  const where = { countyId: county.countyId, date: wave.date, waveId: wave.waveId };
  try {
    const plan = await createPlan(deps, { keyId: AUTO_PLANNER, countyId: county.countyId }, { date: wave.date, waveId: wave.waveId, origin: 'auto' }, async (tx, record) => {
      const first = await markWave(tx, { ...where, planId: record.planId, outcome: 'planned', detail: null, at: deps.now() });
      if (!first) throw new AlreadyMarked();
    });
    return { ...where, outcome: 'planned', planId: plan.planId };
  } catch (err) {
    if (err instanceof AlreadyMarked) return undefined;
    if (err instanceof AppError && err.statusCode < 500) {
      const outcome: AutoPlanOutcome = err.code === 'WAVE_ALREADY_CONFIRMED' ? 'skipped' : 'refused';
      const detail = `${err.code}: ${err.message}`;
      const first = await withTransaction(deps.pool, (tx) => markWave(tx, { ...where, planId: null, outcome, detail, at: deps.now() }));
      if (first) deps.logger.warn({ ...where, code: err.code }, 'auto-plan: wave not planned');
      return first ? { ...where, outcome, detail } : undefined;
    }
    deps.logger.warn({ ...where, err: (err as Error).message }, 'auto-plan failed; retrying on the next pass');
    return undefined;
  }
}

export interface AutoPlannerSettings {
  /** Names the lock: one leader per service schema. */
  schema: string;
  /** Real time between passes (the clock it compares cut-offs with is the runtime's). */
  intervalMs?: number;
  standbyRetryMs?: number;
}

export type AutoPlanner = LeaderLoop;

/**
 * Runs `planWavesAtCutoff` every `intervalMs` in one instance of the service (the platform's `startLeaderLoop`, an
 * advisory lock like the outbox relay's): when it dies a standby takes over within `standbyRetryMs`, and two
 * instances never plan the same cut-off twice (the mark is the second guard).
 */
export function startAutoPlanner(deps: PlanDeps, settings: AutoPlannerSettings): AutoPlanner {
  return startLeaderLoop({
    pool: deps.pool,
    name: `${settings.schema}.auto-planner`,
    logger: deps.logger,
    intervalMs: settings.intervalMs ?? 15_000,
    standbyRetryMs: settings.standbyRetryMs ?? 5_000,
    pass: async () => {
      const planned = await planWavesAtCutoff(deps);
      if (planned.length > 0) deps.logger.info({ waves: planned.length }, 'auto-planned waves at their cut-off');
    },
  });
}

/**
 * The auto-planner as `main.ts` runs it: with a planner thread of its own, once the schema is migrated, stopped
 * (after the HTTP server) on shutdown.
 */
export function runAutoPlanner(runtime: Pick<Runtime, 'service' | 'config' | 'logger' | 'pool' | 'outbox' | 'clock' | 'lifecycle' | 'migrated'>, settings: Partial<AutoPlannerSettings> = {}): void {
  const planner = createPlannerPool({ logger: runtime.logger });
  const deps: PlanDeps = { pool: runtime.pool, outbox: runtime.outbox, source: runtime.service, now: runtime.clock, logger: runtime.logger, ports: planningPorts, planner };
  let started: AutoPlanner | undefined;
  runtime.lifecycle.add('auto-planner', async () => {
    const stopping = started?.stop();
    // A solve in flight is abandoned (its wave is planned again after the restart), not waited for.
    await planner.close();
    await stopping;
  });
  runtime.migrated.then(
    () => {
      started = startAutoPlanner(deps, { schema: runtime.config.DB_SCHEMA, ...settings });
    },
    () => undefined,
  );
}
