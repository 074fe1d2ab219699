import type { Pool, PoolClient, Queryable } from '@county/platform';
import type { WaveInput } from '../planning/domain/types.js';
import { listLines, loadMatrix, loadSettings } from '../settings/store.js';
import { splitPool } from './domain/pool.js';
import { dateProblem, waveTimes } from './domain/wave-times.js';
import { loadNetwork, vehiclesOut, vehiclesUsedOn, waitingParcels } from './store.js';

/** Why a wave's input cannot be read, naming the argument at fault (the plans' routes prefix `params.`). */
export type WaveInputRefusal =
  | { code: 'invalid_date'; field: 'date'; reason: string }
  | { code: 'unknown_county'; field: 'countyId'; reason: string }
  | { code: 'unknown_wave'; field: 'waveId'; reason: string }
  | { code: 'no_center'; field: 'countyId'; reason: string };

export type WaveInputResult = { ok: true; input: WaveInput } | { ok: false; refusal: WaveInputRefusal };

/**
 * Everything one wave's plan depends on (planning/domain/types.ts), read from one snapshot of dispatch's tables:
 * the county and its active network, the wave's departure and cut-off as instants, the settings, fixed lines and
 * travel matrix, the vehicles free for the wave and those whose vehicle-day is paid, and the parcels waiting
 * whose clock started before the cut-off. With a pool it opens its own read-only repeatable-read transaction;
 * given a client, it reads through the caller's transaction.
 */
export async function loadWaveInput(db: Pool | PoolClient, countyId: string, date: string, waveId: string): Promise<WaveInputResult> {
  const problem = dateProblem(date);
  if (problem) return { ok: false, refusal: { code: 'invalid_date', field: 'date', reason: problem } };
  if (!('totalCount' in db)) return read(db, countyId, date, waveId);
  const client = await db.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await read(client, countyId, date, waveId);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function read(db: Queryable, countyId: string, date: string, waveId: string): Promise<WaveInputResult> {
  const network = await loadNetwork(db, countyId);
  const county = network.county;
  if (!county) return { ok: false, refusal: { code: 'unknown_county', field: 'countyId', reason: `dispatch has no master data of county ${countyId} yet` } };
  const wave = county.waves.find((w) => w.id === waveId);
  if (!wave) {
    const known = county.waves.map((w) => w.id).join(', ');
    return { ok: false, refusal: { code: 'unknown_wave', field: 'waveId', reason: `county ${countyId} has no wave ${waveId} (its waves: ${known})` } };
  }
  const center = network.stations.find((s) => s.kind === 'center');
  if (!center) return { ok: false, refusal: { code: 'no_center', field: 'countyId', reason: `county ${countyId} has no active center station` } };

  const { departureAt, cutoffAt } = waveTimes(county, wave, date);
  const { settings } = await loadSettings(db, countyId);
  const fixedLines = await listLines(db, countyId);
  const matrix = await loadMatrix(db, countyId);
  const out = new Set(await vehiclesOut(db, countyId, date, waveId));
  const usedToday = await vehiclesUsedOn(db, countyId, date, waveId);
  const waiting = await waitingParcels(db, countyId, cutoffAt);
  const { parcels, held } = splitPool(waiting, new Set(network.stations.map((s) => s.id)));
  return {
    ok: true,
    input: {
      county,
      date,
      waveId,
      departureAt: departureAt.toISOString(),
      cutoffAt: cutoffAt.toISOString(),
      settings,
      stations: network.stations,
      centerStationId: center.id,
      vehicles: network.vehicles.filter((v) => !out.has(v.id)),
      vehiclesUsedToday: usedToday,
      courierIds: network.couriers.map((c) => c.id),
      parcels,
      ...(matrix ? { matrix: matrix.matrix } : {}),
      fixedLines,
      held,
    },
  };
}
