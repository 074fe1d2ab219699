import { afterCommit, type PoolClient } from '@county/platform';
import { Counter, type Registry } from 'prom-client';

/**
 * What an operator graphs of monitoring: how the tracker took each batch (`hot`: Redis only; `postgres`: through
 * the truth — transitions, late readings, checkpoints, misses), and the alarms raised by kind, counted once their
 * transaction commits. Labels stay bounded: never a container id.
 */
export interface MonitoringMetrics {
  countBatch(path: 'hot' | 'postgres'): void;
  countAlarm(tx: PoolClient, kind: string): void;
}

const created = new WeakMap<Registry, MonitoringMetrics>();

export function monitoringMetrics(registry: Registry): MonitoringMetrics {
  const existing = created.get(registry);
  if (existing) return existing;
  const batches = new Counter({ name: 'coldchain_tracker_batches_total', help: 'Readings batches the tracker folded, by path', labelNames: ['path'] as const, registers: [registry] });
  const alarms = new Counter({ name: 'coldchain_alarms_raised_total', help: 'Alarms raised, by kind', labelNames: ['kind'] as const, registers: [registry] });
  const metrics: MonitoringMetrics = {
    countBatch: (path) => batches.inc({ path }),
    countAlarm: (tx, kind) => afterCommit(tx, () => alarms.inc({ kind })),
  };
  created.set(registry, metrics);
  return metrics;
}
