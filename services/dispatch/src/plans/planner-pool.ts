import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@county/platform';
import type { DraftPlan, WaveInput } from '../planning/domain/types.js';
import { fail } from '../errors.js';
import type { Outcome, PlanOptions } from './ports.js';

export interface PlannerRequest {
  id: number;
  input: WaveInput;
  options: PlanOptions;
}

export type PlannerResponse = { id: number; outcome: Outcome<DraftPlan> } | { id: number; error: string };

/** Plans waves off the service's thread, one at a time. */
export interface Planner {
  plan(input: WaveInput, options: PlanOptions): Promise<Outcome<DraftPlan>>;
  close(): Promise<void>;
}

/** Waves waiting beyond this are refused (503): each takes up to its budget, and two cores are shared. */
const MAX_QUEUED = 8;

/**
 * The compiled worker beside this file (dist/), or, where only the source is (tests run the sources), the source
 * imported through tsx: a worker's `--import` does not reach its entry module on Node 20, tsx's `tsImport` does.
 */
function startWorker(): Worker {
  const compiled = new URL('./planner-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled);
  const source = new URL('./planner-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`, { eval: true });
}

/**
 * One worker thread, started on first use and again after it dies; requests queue in order. A worker that exits
 * fails the requests in flight (the caller answers 500 and nothing was written), never the process.
 */
export function createPlannerPool({ logger }: { logger: Logger }): Planner {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (outcome: Outcome<DraftPlan>) => void; reject: (err: Error) => void }>();

  const start = (): Worker => {
    const started = startWorker();
    // Never what keeps the process alive: the app's close terminates it, a crash takes it along.
    started.unref();
    started.on('message', (response: PlannerResponse) => {
      const waiting = pending.get(response.id);
      if (!waiting) return;
      pending.delete(response.id);
      if ('error' in response) waiting.reject(new Error(`planner failed: ${response.error}`));
      else waiting.resolve(response.outcome);
    });
    const lost = (reason: string) => {
      if (worker === started) worker = undefined;
      for (const [id, waiting] of pending) {
        pending.delete(id);
        waiting.reject(new Error(`planner thread ${reason}`));
      }
    };
    started.on('error', (err) => {
      logger.error({ err: err.message }, 'planner thread failed');
      lost(`failed: ${err.message}`);
    });
    started.on('exit', (code) => lost(`exited (${code})`));
    return started;
  };

  return {
    plan: (input, options) => {
      if (closed) return Promise.reject(new Error('the planner is closed: the service is stopping'));
      if (pending.size >= MAX_QUEUED) return Promise.reject(fail('PLANNER_BUSY'));
      worker ??= start();
      const id = nextId++;
      const request: PlannerRequest = { id, input, options };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker!.postMessage(request);
      });
    },
    close: async () => {
      closed = true;
      const running = worker;
      worker = undefined;
      await running?.terminate();
    },
  };
}
