import { parentPort } from 'node:worker_threads';
import { planningPorts } from './ports.js';
import type { PlannerRequest, PlannerResponse } from './planner-pool.js';

/**
 * The planner's thread (planner-pool.ts): a solve is seconds of CPU, which on the service's own thread would
 * stall its HTTP answers, its outbox relay and its consumers' heartbeats.
 */
parentPort?.on('message', (request: PlannerRequest) => {
  let response: PlannerResponse;
  try {
    response = { id: request.id, outcome: planningPorts.planWave(request.input, request.options) };
  } catch (err) {
    response = { id: request.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort?.postMessage(response);
});
