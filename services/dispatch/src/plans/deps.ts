import type { Clock, Logger, Outbox, Pool } from '@county/platform';
import { fail } from '../errors.js';
import type { Planner } from './planner-pool.js';
import type { PlanningPorts, Refusal } from './ports.js';

/** What the plans use-cases work with; `main.ts` and the tests pass them in. */
export interface PlanDeps {
  pool: Pool;
  outbox: Outbox;
  /** The `source` of the events: the service. */
  source: string;
  now: Clock;
  logger: Logger;
  ports: PlanningPorts;
  planner: Planner;
}

/** Who asks: the key (recorded as created/updated/confirmed by) and its county. */
export interface Actor {
  keyId: string;
  countyId: string;
}

/** The plan's revision an edit was written against, and the request's field that carried it (for a refusal). */
export interface Revision {
  value: number;
  field: string;
}

/**
 * A neighbour's refusal as the error the client gets, naming the field: `where` says where it is (`params` for the
 * wave, `body` for an edit, `plan` for the plan's own locks a re-plan could not honour).
 */
export function refusalError(refusal: Refusal, where: 'params' | 'body' | 'plan') {
  const path = refusal.field.startsWith(`${where}.`) ? refusal.field : `${where}.${refusal.field}`;
  const details = [{ path, reason: refusal.reason }];
  switch (refusal.code) {
    case 'COUNTY_UNKNOWN':
      return fail('COUNTY_NOT_KNOWN', refusal.reason, details);
    case 'WAVE_UNKNOWN':
      return fail('WAVE_NOT_FOUND', refusal.reason, details);
    case 'DATE_INVALID':
      return fail('VALIDATION_FAILED', undefined, details);
    case 'EDIT_REFUSED':
      return fail('PLAN_EDIT_REFUSED', refusal.reason, details);
    default: {
      const unknown: never = refusal.code;
      throw new Error(`unknown refusal ${String(unknown)}`);
    }
  }
}
