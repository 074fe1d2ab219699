import type { Queryable } from '@county/platform';
import { emptyState, type TrackerState } from '../domain/fold.js';

/** container_state (migration 0020): each container's fold as of its last reading, the checkpoint Redis is rebuilt from. */
export interface ContainerStateRow {
  countyId: string;
  containerId: string;
  profileId: string | null;
  state: TrackerState;
  openExcursionId: string | null;
  silentAlarmId: string | null;
  updatedAt: string;
}

interface Row {
  county_id: string;
  container_id: string;
  profile_id: string | null;
  state: TrackerState;
  open_excursion_id: string | null;
  silent_alarm_id: string | null;
  updated_at: Date;
}

const rowOf = (row: Row): ContainerStateRow => ({
  countyId: row.county_id,
  containerId: row.container_id,
  profileId: row.profile_id,
  state: row.state,
  openExcursionId: row.open_excursion_id,
  silentAlarmId: row.silent_alarm_id,
  updatedAt: row.updated_at.toISOString(),
});

const COLUMNS = 'county_id, container_id, profile_id, state, open_excursion_id, silent_alarm_id, updated_at';

/** The container's row, locked for the transaction; created empty for a container not seen before. */
export async function lockContainerState(tx: Queryable, countyId: string, containerId: string, at: Date): Promise<ContainerStateRow> {
  await tx.query(
    `INSERT INTO container_state (county_id, container_id, state, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [countyId, containerId, JSON.stringify(emptyState()), at],
  );
  const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM container_state WHERE county_id = $1 AND container_id = $2 FOR UPDATE`, [countyId, containerId]);
  return rowOf(rows[0]!);
}

export async function findContainerState(db: Queryable, countyId: string, containerId: string): Promise<ContainerStateRow | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM container_state WHERE county_id = $1 AND container_id = $2`, [countyId, containerId]);
  return rows[0] && rowOf(rows[0]);
}

/** The latest reading of a state: the greatest key and its temperature. */
export function latestOf(state: TrackerState): { sensorId: string; at: number; temperatureC: number } | null {
  if (!state.last) return null;
  const sensor = state.sensors[state.last.sensorId];
  return sensor ? { sensorId: state.last.sensorId, at: sensor.at, temperatureC: sensor.temperatureC } : null;
}

export async function saveContainerState(tx: Queryable, row: Omit<ContainerStateRow, 'updatedAt'>, at: Date): Promise<void> {
  const latest = latestOf(row.state);
  await tx.query(
    `UPDATE container_state
        SET profile_id = $3, state = $4, last_reading_at = $5, last_sensor_id = $6, last_temperature_c = $7,
            open_excursion_id = $8, silent_alarm_id = $9, updated_at = $10
      WHERE county_id = $1 AND container_id = $2`,
    [
      row.countyId,
      row.containerId,
      row.profileId,
      JSON.stringify(row.state),
      latest ? new Date(latest.at) : null,
      latest?.sensorId ?? null,
      latest?.temperatureC ?? null,
      row.openExcursionId,
      row.silentAlarmId,
      at,
    ],
  );
}

/** Every container monitoring has heard from, or of a county, with its checkpoint. */
export async function listContainerStates(db: Queryable, countyId?: string): Promise<ContainerStateRow[]> {
  const { rows } = countyId
    ? await db.query<Row>(`SELECT ${COLUMNS} FROM container_state WHERE county_id = $1 ORDER BY container_id`, [countyId])
    : await db.query<Row>(`SELECT ${COLUMNS} FROM container_state ORDER BY county_id, container_id`);
  return rows.map(rowOf);
}

/** Containers whose checkpointed last reading is older than `before` and that have no silence alarm standing. */
export async function quietContainers(db: Queryable, before: Date): Promise<ContainerStateRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM container_state WHERE last_reading_at < $1 AND silent_alarm_id IS NULL ORDER BY county_id, container_id`,
    [before],
  );
  return rows.map(rowOf);
}

export async function setSilentAlarm(tx: Queryable, countyId: string, containerId: string, alarmId: string | null, at: Date): Promise<void> {
  await tx.query(`UPDATE container_state SET silent_alarm_id = $3, updated_at = $4 WHERE county_id = $1 AND container_id = $2`, [countyId, containerId, alarmId, at]);
}
