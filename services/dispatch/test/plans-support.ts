import { fileURLToPath } from 'node:url';
import { topics, type Envelope, type Role } from '@county/contracts';
import { issueKey, migrateService, readTopic, withTransaction, type BaseConfig, type Kafka, type Pool } from '@county/platform';
import { testLogger, waitFor } from '../../../tests/support/harness.js';
import { lockList } from '../src/plans/domain/plan.js';
import { insertPlan } from '../src/plans/store/index.js';
import type { DraftPlan, WaveInput } from '../src/planning/domain/types.js';

export const dispatchMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

/** Key events stay in this schema: dispatch's copy of the keys is what these tests need, not intake's topic. */
const noOutbox = { add: async () => undefined };

/** Issues a key straight into dispatch's copy of the keys (what its key consumer would write). */
export async function issueDispatchKey(pool: Pool, countyId: string, role: Role, scope: Record<string, unknown> = {}): Promise<string> {
  const input = { countyId, role, name: `${role} of a plans test`, scope };
  return (await withTransaction(pool, (tx) => issueKey(tx, noOutbox, input as Parameters<typeof issueKey>[2], new Date(), 'dispatch'))).key;
}

/** Only the schema, migrated: for a pool a test reads and seeds with beside a dispatch process. */
export async function migrateDispatch(config: BaseConfig): Promise<void> {
  await migrateService({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, dir: dispatchMigrationsDir, logger: testLogger('dispatch') });
}

/**
 * A draft as the planner would have written it, for the confirm path's tests (confirm reads the plan only, never
 * the wave input).
 */
export async function seedDraft(pool: Pool, wave: { countyId: string; date: string; waveId: string }, planId: string, plan: DraftPlan): Promise<void> {
  await withTransaction(pool, (tx) =>
    insertPlan(tx, { planId, ...wave, origin: 'operator', seed: plan.seed, budgetSeconds: plan.budgetSeconds, plan, input: {} as WaveInput, locks: lockList(plan), by: 'seed', at: new Date() }),
  );
}

/** The events on dispatch.events under the test's prefix, once `found` holds for them. */
export async function dispatchEvents(kafka: Kafka, prefix: string, found: (events: Envelope[]) => boolean): Promise<{ key: string | null; event: Envelope }[]> {
  return waitFor(async () => {
    const messages = await readTopic<Envelope>(kafka, `${prefix}${topics.dispatchEvents.name}`).catch(() => []);
    const events = messages.map((m) => ({ key: m.key, event: m.value }));
    return found(events.map((e) => e.event)) ? events : undefined;
  });
}

/** dispatch as main.ts runs it, consumers included (the read model's support). */
export { runningDispatch } from './readmodel-support.js';
export type RunningDispatch = Awaited<ReturnType<typeof import('./readmodel-support.js').runningDispatch>>;
