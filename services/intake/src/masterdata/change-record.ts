import { isDeepStrictEqual } from 'node:util';
import type { MasterDataEntity, MasterDataRecords, Station } from '@county/contracts';
import { afterCommit, type Outbox, type PoolClient } from '@county/platform';
import { fail } from '../errors.js';
import { countyIdOfRecord, isActive, recordId, type AnyRecord } from './domain/entities.js';
import { changeEvents } from './domain/events.js';
import { problemsOfChange } from './domain/change-rules.js';
import { findRecord, loadCountyState, lockCounty, setStationVillages, villagesServedElsewhere, writeRecords } from './store.js';

export interface ChangeDeps {
  outbox: Outbox;
  source: string;
  now: () => Date;
  /** Told once a change of the county's master data has committed: cached reads of it are dropped. */
  changed?: (countyId: string) => void;
}

/** Tells `deps.changed` of a change once the transaction of `tx` commits. */
export function reportChange(tx: PoolClient, deps: ChangeDeps, countyId: string): void {
  const { changed } = deps;
  if (changed) afterCommit(tx, () => changed(countyId));
}

export interface ChangeResult<E extends MasterDataEntity> {
  record: MasterDataRecords[E];
  revision: number;
  /** A new record. */
  created: boolean;
  /** False when the stored record was the same: nothing was written or published. */
  changed: boolean;
}

/**
 * Creates or replaces one record, in the caller's transaction: checked against the county by the
 * import's rules, written, the village→station index kept, and its event in the outbox.
 */
export async function putRecord<E extends MasterDataEntity>(
  tx: PoolClient,
  deps: ChangeDeps,
  change: { entity: E; record: MasterDataRecords[E] },
  correlationId?: string,
): Promise<ChangeResult<E>> {
  const item = change as AnyRecord;
  const countyId = countyIdOfRecord(item);
  const id = recordId(change.entity, change.record);
  await lockCounty(tx, countyId);
  const stored = await findRecord(tx, countyId, change.entity, id);
  if (stored && isDeepStrictEqual(stored.record, asStored(change.record))) {
    return { record: stored.record, revision: stored.revision, created: false, changed: false };
  }
  const state = await loadCountyState(tx, countyId);
  if (change.entity !== 'county' && !state.county) throw fail('COUNTY_NOT_SET_UP');
  if (item.entity === 'station') await refuseServedVillages(tx, item.record);

  const problems = problemsOfChange(state, item);
  if (problems.own.length > 0) {
    throw fail('MASTERDATA_INVALID', `${change.entity} ${id}: ${problems.own[0]!.reason}`, [...problems.own, ...problems.others]);
  }
  if (problems.others.length > 0) {
    throw fail(
      'MASTERDATA_CONFLICT',
      `${change.entity} ${id}: ${problems.others.length} other record(s) would break; change them first`,
      problems.others,
    );
  }

  const [written] = await writeRecords(tx, countyId, [{ entity: change.entity, id, record: change.record, active: isActive(item) }]);
  if (!written) throw new Error(`${change.entity} ${id} differs from the stored record but was not written`);
  if (item.entity === 'station') await setStationVillages(tx, item.record);
  await deps.outbox.addMany(tx, changeEvents([written], { countyId, source: deps.source, now: deps.now, ...(correlationId ? { correlationId } : {}) }));
  reportChange(tx, deps, countyId);
  return { record: change.record, revision: written.revision, created: written.created, changed: true };
}

/**
 * The record as jsonb keeps it, the form writeRecords compares: JSON has no -0 (it is 0) and no
 * undefined. Compared as sent, `-0` for a stored 0 looked changed here, yet the upsert saw no
 * difference and wrote nothing (a 500, issue #8).
 */
function asStored<T>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}

/** Takes a record out of service (it stays on record); one already inactive is left as it is. */
export async function deactivateRecord<E extends Exclude<MasterDataEntity, 'county'>>(
  tx: PoolClient,
  deps: ChangeDeps,
  target: { countyId: string; entity: E; id: string },
  correlationId?: string,
): Promise<ChangeResult<E>> {
  await lockCounty(tx, target.countyId);
  const stored = await findRecord(tx, target.countyId, target.entity, target.id);
  if (!stored) throw fail('MASTERDATA_NOT_FOUND', `no ${target.entity} ${target.id} in county ${target.countyId}`);
  const record = { ...stored.record, active: false } as MasterDataRecords[E];
  return putRecord(tx, deps, { entity: target.entity, record }, correlationId);
}

/**
 * One village station per village (the intake issue): a station claiming a village another active
 * village station serves is refused, naming both, whatever else is wrong with it.
 */
async function refuseServedVillages(tx: PoolClient, station: Station): Promise<void> {
  if (!station.active || station.kind !== 'village') return;
  const served = await villagesServedElsewhere(tx, station.countyId, station.villageCodes, station.id);
  const [first] = served;
  if (!first) return;
  const reasonOf = ({ villageCode, stationId }: { villageCode: string; stationId: string }) =>
    `village ${villageCode} is served by village station ${stationId} already`;
  throw fail(
    'VILLAGE_SERVED',
    `${reasonOf(first)}; change or deactivate that station first`,
    served.map((claim) => ({ path: `body.villageCodes.${station.villageCodes.indexOf(claim.villageCode)}`, reason: reasonOf(claim) })),
  );
}
