export type {
  Depot,
  GeoPoint,
  Location,
  Lock,
  Minute,
  Problem,
  SolveOptions,
  Stop,
  TimeWindow,
  Travel,
  VehicleType,
} from './problem.js';
export type { CostBreakdown, Route, Solution, Unassigned, UnassignedReason, Visit } from './solution.js';
export { InvalidProblemError, type ProblemIssue } from './errors.js';
export { solve } from './solve.js';
export { validateProblem } from './validate.js';
export { parseCvrplib, type CvrplibInstance } from './cvrplib/parse.js';
export { cvrplibFleet, cvrplibProblem, formatCvrplibSolution } from './cvrplib/problem.js';
export { checkSolution, type CheckResult } from './check.js';
export { generateCountyProblem, type CountyOptions } from './county/generate.js';
export { createRandom, type Random } from './random.js';
