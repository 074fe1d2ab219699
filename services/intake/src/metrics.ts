import type { Scan } from '@county/contracts';
import { afterCommit, type PoolClient } from '@county/platform';
import { Counter, type Registry } from 'prom-client';

/** What registering a parcel came to; `address_unknown` is a created parcel held at the center. */
type ParcelOutcome = 'created' | 'duplicate' | 'conflict' | 'rejected' | 'address_unknown';
type ManifestOutcome = 'applied' | 'partly_refused' | 'dead_lettered';

/**
 * The counters an operator graphs for intake (issue #9, "What operators watch"). Labels stay
 * bounded: a county's couriers, the scan kinds, the outcomes — never a parcel id or a waybill.
 * Each `count…` runs after the transaction commits (`afterCommit`), so work an outage rolls back
 * and the consumer retries is counted once, when it is done.
 */
export interface IntakeMetrics {
  countParcels(tx: PoolClient, courierId: string, results: readonly { result: string; exception?: string | null }[]): void;
  countScans(tx: PoolClient, scans: readonly Pick<Scan, 'kind'>[], results: readonly { index: number; result: string }[]): void;
  countManifest(tx: PoolClient, outcome: ManifestOutcome): void;
  /** Parcels listed on a dispatch event (`dispatch.route_confirmed` …), by what their fact came to. */
  countDispatchParcels(tx: PoolClient, type: string, results: readonly { result: string }[]): void;
}

const created = new WeakMap<Registry, IntakeMetrics>();

/** Intake's counters in `registry`, created once per registry (the app and the consumers share them). */
export function intakeMetrics(registry: Registry): IntakeMetrics {
  const existing = created.get(registry);
  if (existing) return existing;
  const parcels = new Counter({
    name: 'intake_parcels_registered_total',
    help: 'Parcels announced (REST and manifests), by courier and outcome',
    labelNames: ['courier', 'outcome'] as const,
    registers: [registry],
  });
  const scans = new Counter({ name: 'intake_scans_total', help: 'Scans, by kind and outcome', labelNames: ['kind', 'outcome'] as const, registers: [registry] });
  const manifests = new Counter({ name: 'intake_manifests_total', help: 'Courier manifests consumed, by outcome', labelNames: ['outcome'] as const, registers: [registry] });
  const dispatchParcels = new Counter({
    name: 'intake_dispatch_parcels_total',
    help: 'Parcels listed on dispatch events, by event and outcome',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  const metrics: IntakeMetrics = {
    countParcels: (tx, courier, results) => {
      const counts = new Map<ParcelOutcome, number>();
      for (const r of results) {
        const outcome = (r.result === 'created' && r.exception === 'address_unknown' ? 'address_unknown' : r.result) as ParcelOutcome;
        counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      }
      afterCommit(tx, () => {
        for (const [outcome, n] of counts) parcels.inc({ courier, outcome }, n);
      });
    },
    countScans: (tx, sent, results) => {
      const counts = new Map<string, { kind: string; outcome: string; n: number }>();
      for (const r of results) {
        const kind = sent[r.index]?.kind ?? 'unknown';
        const key = `${kind}/${r.result}`;
        const entry = counts.get(key) ?? { kind, outcome: r.result, n: 0 };
        entry.n += 1;
        counts.set(key, entry);
      }
      afterCommit(tx, () => {
        for (const { kind, outcome, n } of counts.values()) scans.inc({ kind, outcome }, n);
      });
    },
    countManifest: (tx, outcome) => afterCommit(tx, () => manifests.inc({ outcome })),
    countDispatchParcels: (tx, type, results) => {
      const counts = new Map<string, number>();
      for (const r of results) counts.set(r.result, (counts.get(r.result) ?? 0) + 1);
      const event = type.replace(/^dispatch\./, '');
      afterCommit(tx, () => {
        for (const [outcome, n] of counts) dispatchParcels.inc({ event, outcome }, n);
      });
    },
  };
  created.set(registry, metrics);
  return metrics;
}
