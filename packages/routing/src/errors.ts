/** One thing wrong with a problem, located by a path such as `stops[3].timeWindow`. */
export interface ProblemIssue {
  readonly path: string;
  readonly message: string;
}

/** Thrown by `solve` for a problem it cannot plan at all; lists every issue at once. */
export class InvalidProblemError extends Error {
  constructor(readonly issues: readonly ProblemIssue[]) {
    super(`invalid routing problem: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidProblemError';
  }
}
