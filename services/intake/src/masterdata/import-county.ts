import type { MasterDataEntity } from '@county/contracts';
import type { PoolClient } from '@county/platform';
import type { CountyImportPlan, CountyImportSummary } from './domain/import/index.js';
import { reportChange, type ChangeDeps } from './change-record.js';
import { entitySpecs, isActive, recordId, type AnyRecord } from './domain/entities.js';
import { changeEvents } from './domain/events.js';
import type { WrittenRow } from './domain/events.js';
import { deactivateAllBut, lockCounty, rebuildVillageStations, writeRecords } from './store.js';

/** What an import did to one kind of record. */
export interface EntityCounts {
  /** Records of this kind in the document. */
  inDocument: number;
  created: number;
  /** Existing records the document changed (an inactive one in the document included). */
  changed: number;
  unchanged: number;
  /** Active records absent from the document, now deactivated. */
  deactivated: number;
}

export interface CountyImportOutcome {
  countyId: string;
  counts: Record<MasterDataEntity, EntityCounts>;
  /** Events written to the outbox: one per created, changed or deactivated record. */
  events: number;
  /** Coverage and network of the county as imported (active records). */
  summary: CountyImportSummary;
}

export interface ImportProgress {
  countyId: string;
  imported: number;
  total: number;
}

export interface ImportOptions {
  correlationId?: string;
  /** Called after each chunk of records is written; the route logs it. */
  onProgress?: (progress: ImportProgress) => void;
  /** Records per statement and per progress report. */
  chunkSize?: number;
}

const DEFAULT_CHUNK = 250;

/**
 * Writes a validated county (validateCountyImport's plan) in the caller's transaction, replacing
 * the county's master data: every record of the document is created or replaced (an identical one
 * is left alone), every active record absent from it is deactivated — never deleted, so old parcels
 * still resolve — and the village→station index is rebuilt. One event per record that changed.
 */
export async function importCounty(tx: PoolClient, deps: ChangeDeps, plan: CountyImportPlan, options: ImportOptions = {}): Promise<CountyImportOutcome> {
  const countyId = plan.county.id;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  await lockCounty(tx, countyId);

  const items = recordsOf(plan).map((item) => ({ entity: item.entity, id: recordId(item.entity, item.record as never), record: item.record, active: isActive(item) }));
  const written: WrittenRow[] = [];
  for (let start = 0; start < items.length; start += chunkSize) {
    written.push(...(await writeRecords(tx, countyId, items.slice(start, start + chunkSize))));
    options.onProgress?.({ countyId, imported: Math.min(start + chunkSize, items.length), total: items.length });
  }
  const deactivated = await deactivateAllBut(tx, countyId, items);
  await rebuildVillageStations(tx, countyId, plan.stations);

  const changes = [...written, ...deactivated];
  await deps.outbox.addMany(tx, changeEvents(changes, { countyId, source: deps.source, now: deps.now, ...(options.correlationId ? { correlationId: options.correlationId } : {}) }));
  reportChange(tx, deps, countyId);
  return { countyId, counts: countsOf(items, written, deactivated), events: changes.length, summary: plan.summary };
}

/** The plan's records in dependency order: the county, towns, villages, stations, couriers, vehicles. */
function recordsOf(plan: CountyImportPlan): AnyRecord[] {
  return [
    { entity: 'county', record: plan.county },
    ...plan.towns.map((record) => ({ entity: 'town' as const, record })),
    ...plan.villages.map((record) => ({ entity: 'village' as const, record })),
    ...plan.stations.map((record) => ({ entity: 'station' as const, record })),
    ...plan.couriers.map((record) => ({ entity: 'courier' as const, record })),
    ...plan.vehicles.map((record) => ({ entity: 'vehicle' as const, record })),
  ];
}

function countsOf(items: readonly { entity: MasterDataEntity }[], written: readonly WrittenRow[], deactivated: readonly WrittenRow[]) {
  const counts = Object.fromEntries(
    Object.keys(entitySpecs).map((entity) => [entity, { inDocument: 0, created: 0, changed: 0, unchanged: 0, deactivated: 0 }]),
  ) as Record<MasterDataEntity, EntityCounts>;
  for (const item of items) counts[item.entity].inDocument += 1;
  for (const row of written) counts[row.entity][row.created ? 'created' : 'changed'] += 1;
  for (const row of deactivated) counts[row.entity].deactivated += 1;
  for (const entry of Object.values(counts)) entry.unchanged = entry.inDocument - entry.created - entry.changed;
  return counts;
}
