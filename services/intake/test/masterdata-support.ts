import { randomBytes } from 'node:crypto';
import type { Role } from '@county/contracts';
import type { intakeApp } from './support.js';
import { miniDoc, type ImportDoc } from './fixtures/import-fixtures.js';

/** Helpers of the master-data suites (masterdata.int.test.ts, import.int.test.ts). */

export type Intake = Awaited<ReturnType<typeof intakeApp>>;

/** A county of its own for each test (docs/style.md: isolate by data). */
export const freshCountyId = () => `cn-t${randomBytes(4).toString('hex')}`;

/** The small fixture county under another id: 2 towns, 4 villages, 3 stations, 2 couriers, 2 vehicles. */
export function miniCounty(countyId: string): ImportDoc {
  const doc = miniDoc();
  return { ...doc, county: { ...doc.county, id: countyId } };
}

export type Keys = Record<Role, string>;

/** A key of every role for the county; the station key is bound to `vs-102202`, the courier's to `zto`. */
export async function keysFor(intake: Intake, countyId: string): Promise<Keys> {
  const issue = (role: Role, scope = {}) => intake.issue({ countyId, role, scope, name: `${role} of ${countyId}` });
  return {
    admin: await issue('admin'),
    operator: await issue('operator'),
    station: await issue('station', { stationId: 'vs-102202' }),
    driver: await issue('driver', { vehicleIds: ['van-01'] }),
    courier: await issue('courier', { courierId: 'zto' }),
    bureau: await issue('bureau'),
  };
}

type Method = 'GET' | 'PUT' | 'POST';

export function caller(intake: Intake) {
  return (method: Method, url: string, key: string | undefined, payload?: unknown, headers: Record<string, string> = {}) =>
    intake.app.inject({
      method,
      url,
      headers: { ...(key ? { 'x-api-key': key } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}

/** The outbox rows of a county's master-data events, in the order written. */
export async function masterDataEvents(intake: Intake, countyId: string) {
  const { rows } = await intake.pool.query<{ topic: string; key: string; type: string; data: Record<string, unknown> }>(
    `SELECT topic, key, payload->>'type' AS type, payload->'data' AS data FROM outbox
      WHERE payload->>'countyId' = $1 AND payload->>'type' LIKE 'masterdata.%' ORDER BY seq`,
    [countyId],
  );
  return rows;
}

/** The station a village code resolves to, as parcel intake resolves it. */
export async function stationOfVillage(intake: Intake, countyId: string, villageCode: string): Promise<string | undefined> {
  const { rows } = await intake.pool.query<{ station_id: string }>(
    'SELECT station_id FROM village_stations WHERE county_id = $1 AND village_code = $2',
    [countyId, villageCode],
  );
  return rows[0]?.station_id;
}
