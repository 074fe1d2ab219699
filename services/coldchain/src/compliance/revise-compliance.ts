import { withTransaction, type Pool } from '@county/platform';
import type { CustodyListener } from '../catalogue/custody.js';
import { lockColdParcels } from '../catalogue/store/custody.js';
import type { ComplianceRecord } from './domain/record.js';
import { recordCompliance, type ComplianceDeps } from './record-compliance.js';
import { parcelsCovering } from './store.js';

export type ComplianceRevisionDeps = ComplianceDeps & { pool: Pool };

export interface ComplianceReviser {
  /**
   * Readings were stored for the container between `from` and `to` (measured): every parcel whose latest record
   * looked at that container then is computed again, and revised (revision + 1, event published) where the result
   * differs. Cheap when no record covers them — one indexed read — so call it for every stored batch: a reading can
   * be late for a record without being late for the tracker (the gateway uploaded after the hand-over).
   */
  reviseCompliance(countyId: string, containerId: string, from: Date | string, to: Date | string): Promise<ComplianceRecord[]>;
  /** The same as a `ReadingsListener` (src/readings/listener.ts): the batch's earliest to latest reading. */
  onReadings(countyId: string, containerId: string, readings: readonly { measuredAt: string }[]): Promise<void>;
}

export function createComplianceReviser(deps: ComplianceRevisionDeps): ComplianceReviser {
  const reviseCompliance = async (countyId: string, containerId: string, from: Date | string, to: Date | string) => {
    const parcels = await parcelsCovering(deps.pool, countyId, containerId, new Date(from), new Date(to));
    if (parcels.length === 0) return [];
    return withTransaction(deps.pool, async (tx) => {
      await lockColdParcels(tx, parcels);
      return recordCompliance(
        tx,
        deps,
        countyId,
        parcels.map((parcelId) => ({ parcelId, cause: 'late_reading' as const })),
      );
    });
  };
  return {
    reviseCompliance,
    async onReadings(countyId, containerId, readings) {
      if (readings.length === 0) return;
      const times = readings.map((r) => r.measuredAt).sort();
      await reviseCompliance(countyId, containerId, times[0]!, times[times.length - 1]!);
    },
  };
}

/**
 * Compliance following custody (the catalogue's consumers call it in their transaction): a hand-over or delivery
 * records the parcel's compliance; any other change to a parcel's facts revises a record it already has.
 */
export function complianceCustodyListener(deps: ComplianceDeps): CustodyListener {
  return {
    async afterCustody(tx, change) {
      const requests = [
        ...change.triggers.map((t) => ({ parcelId: t.parcelId, cause: t.cause, at: t.at })),
        ...change.touched.map((parcelId) => ({ parcelId, cause: 'custody_changed' as const })),
      ];
      await recordCompliance(tx, deps, change.countyId, requests);
    },
  };
}
