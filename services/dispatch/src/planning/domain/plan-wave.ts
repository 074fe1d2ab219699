import { waveContext, type WaveContext } from './context.js';
import { planCosts, reductionPct } from './costs.js';
import { counterfactual } from './counterfactual.js';
import { planDirect, type TierResult } from './direct.js';
import { splitByDue } from './due.js';
import { planFixedLines } from './fixed-lines.js';
import { keyRoutes } from './routes.js';
import type { SearchOptions } from './solve-call.js';
import { PlanRefusal } from './refusal.js';
import { planTwoTier } from './two-tier.js';
import type { DraftPlan, PlanLocks, PlannedRoute, PoolParcel, WaveInput } from './types.js';
import { sortUnplanned } from './unplanned.js';

export interface PlanOptions {
  readonly seed: number;
  /** The whole plan's budget: half for the consolidated plan, half for the counterfactual (README "Budget"). */
  readonly budgetSeconds: number;
  readonly locks?: PlanLocks;
  /** Milliseconds clock the solver reads to enforce its time cap (never for anything else). */
  readonly now?: () => number;
}

/** Share of the budget the consolidated plan (or, in fixed-line mode, the optimizer beside the lines) gets. */
export const CONSOLIDATED_SHARE = 0.5;

/**
 * Plans one wave (pure; the same input, seed and budget give the same plan while the time cap is not reached):
 * the not-due rule, the mode's routes, every parcel not planned with its reason, the costs, the counterfactual and
 * both reductions. Throws `PlanRefusal` for locks no plan can honour.
 */
export function planWave(input: WaveInput, options: PlanOptions): DraftPlan {
  if (!(Number.isFinite(options.budgetSeconds) && options.budgetSeconds > 0)) throw new PlanRefusal('budgetSeconds', 'must be a number of seconds above 0');
  if (!(Number.isSafeInteger(options.seed) && options.seed >= 0)) throw new PlanRefusal('seed', 'must be a whole number, 0 or more');
  const ctx = waveContext(input);
  const search: SearchOptions = { seed: options.seed, ...(options.now ? { now: options.now } : {}) };
  const consolidatedBudget = options.budgetSeconds * CONSOLIDATED_SHARE;
  const counterfactualBudget = options.budgetSeconds - consolidatedBudget;
  const mode = input.settings.mode;
  // A parcel a village loop brought back waits at its town station: only two-tier's loops start there.
  const atTown = mode === 'two_tier' ? [] : ctx.input.parcels.filter((p) => p.direction === 'downstream' && p.atStationId !== undefined);
  const due = splitByDue(
    ctx,
    ctx.input.parcels.filter((p) => !atTown.includes(p)),
    { frequency: mode !== 'fixed_lines' },
  );
  due.unplanned.push(
    ...atTown.map((p) => ({
      parcelId: p.parcelId,
      stationId: p.stationId,
      reason: 'at_town_station' as const,
      detail: `waits at town station ${p.atStationId}: only a two-tier village loop from there carries it on (mode ${mode})`,
    })),
  );
  let result: TierResult;
  let comparison: DraftPlan['optimizerComparison'];
  switch (mode) {
    case 'direct':
      result = planDirect(ctx, due.go, { ...lockOption(options), budgetSeconds: consolidatedBudget, search });
      break;
    case 'two_tier':
      result = planTwoTier(ctx, due.go, { ...lockOption(options), budgetSeconds: consolidatedBudget, search });
      break;
    case 'fixed_lines': {
      const lines = planFixedLines(ctx, due.go);
      const carried = parcelsOn(lines.routes.flatMap((d) => d.chunks.flatMap((c) => [...c.deliveries, ...c.pickups])));
      const optimizer = planDirect(ctx, carried, { budgetSeconds: consolidatedBudget, search, call: 'optimizer' });
      result = { routes: lines.routes, unplanned: lines.unplanned, calls: optimizer.calls };
      const optimizerRoutes = keyRoutes(ctx, optimizer.routes);
      // savingPct is set below, once the lines' own cost per parcel is known.
      comparison = { routes: optimizerRoutes, consolidated: { ...planCosts(ctx, optimizerRoutes), unplannedParcels: optimizer.unplanned.length }, savingPct: 0 };
      break;
    }
    default: {
      const unknown: never = mode;
      throw new Error(`unknown dispatch mode ${String(unknown)}`);
    }
  }
  const routes = keyRoutes(ctx, result.routes);
  const consolidated = planCosts(ctx, routes);
  const cf = counterfactual(ctx, plannedParcels(ctx, routes), counterfactualBudget, search);
  if (comparison) comparison.savingPct = reductionPct(comparison.consolidated.costPerParcel, consolidated.costPerParcel);
  const surveyed = input.county.baselineCostPerParcelYuan;
  return {
    mode,
    seed: options.seed,
    budgetSeconds: options.budgetSeconds,
    routes,
    unplanned: sortUnplanned([...due.unplanned, ...result.unplanned]),
    forcedNotDue: due.forcedNotDue,
    consolidated,
    counterfactual: cf.costs,
    surveyedCostPerParcel: surveyed,
    reductionVsCounterfactualPct: reductionPct(consolidated.costPerParcel, cf.costs.costPerParcel),
    reductionVsSurveyedPct: reductionPct(consolidated.costPerParcel, surveyed),
    ...(comparison ? { optimizerComparison: comparison } : {}),
    travel: ctx.travel.kind,
    search: [...result.calls, ...cf.calls],
  };
}

function lockOption(options: PlanOptions): { locks?: PlanLocks } {
  return options.locks ? { locks: options.locks } : {};
}

/** The parcels a plan carries (each once, though a two-tier village parcel rides two routes). */
export function plannedParcels(ctx: WaveContext, routes: readonly PlannedRoute[]): PoolParcel[] {
  const pool = new Map(ctx.input.parcels.map((p) => [p.parcelId, p]));
  const ids = new Set(routes.flatMap((r) => r.parcels.map((p) => p.parcelId)));
  return [...ids].flatMap((id) => pool.get(id) ?? []);
}

function parcelsOn(parcels: readonly PoolParcel[]): PoolParcel[] {
  const seen = new Map(parcels.map((p) => [p.parcelId, p]));
  return [...seen.values()];
}
