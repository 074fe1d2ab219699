/**
 * The default budget of a whole plan (consolidated plan and counterfactual together), chosen with
 * bench/dispatch-plan.ts so that a 300-station, 20,000-parcel wave plans within 30 s on the development machine
 * (README "Budget"). A county may set its own (`settings.budgetSeconds`).
 */
export const DEFAULT_PLAN_BUDGET_SECONDS = 20;
