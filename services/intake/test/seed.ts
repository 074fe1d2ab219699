import { randomBytes, randomUUID } from 'node:crypto';
import { courierSchema, stationSchema, type Actor, type ParcelFact, type StationKind } from '@county/contracts';
import { withTransaction, type Outbox, type Pool, type Queryable } from '@county/platform';
import { applyFact } from '../src/parcels/apply-fact.js';
import type { ParcelRecord } from '../src/parcels/domain/parcel.js';
import { insertParcel, loadParcel } from '../src/parcels/store/parcels.js';

/**
 * Test data written straight into intake's schema: master data rows as the master-data import
 * would write them (records validated by the contracts' schemas) and parcels through the parcel
 * core. Shared by the intake suites: add functions, do not change what others rely on.
 */

export interface SeedStation {
  countyId: string;
  id: string;
  kind: StationKind;
  townId?: string;
  villageCodes?: string[];
  active?: boolean;
}

/** A station row (and, for a village station, the villages it serves). */
export async function seedStation(db: Queryable, station: SeedStation): Promise<void> {
  const record = stationSchema.parse({
    countyId: station.countyId,
    id: station.id,
    name: `${station.kind} ${station.id}`,
    kind: station.kind,
    ...(station.kind === 'center' ? {} : { townId: station.townId ?? 'town-1' }),
    location: { lat: 30.35, lng: 106.94 },
    openingHours: { daily: '07:00-20:00' },
    villageCodes: station.villageCodes ?? (station.kind === 'village' ? [villageCodeFor(station.id)] : []),
    active: station.active ?? true,
  });
  await db.query(
    `INSERT INTO masterdata (county_id, entity, id, record, active) VALUES ($1, 'station', $2, $3, $4)
     ON CONFLICT (county_id, entity, id) DO UPDATE SET record = EXCLUDED.record, active = EXCLUDED.active`,
    [station.countyId, station.id, JSON.stringify(record), record.active],
  );
  for (const code of record.active ? record.villageCodes : []) {
    await db.query(
      `INSERT INTO village_stations (county_id, village_code, station_id) VALUES ($1, $2, $3)
       ON CONFLICT (county_id, village_code) DO UPDATE SET station_id = EXCLUDED.station_id`,
      [station.countyId, code, station.id],
    );
  }
}

/** A courier row (a brand's franchise in the county). */
export async function seedCourier(db: Queryable, courier: { countyId: string; id: string; active?: boolean }): Promise<void> {
  const record = courierSchema.parse({ countyId: courier.countyId, id: courier.id, brand: 'other', name: `courier ${courier.id}`, active: courier.active ?? true });
  await db.query(
    `INSERT INTO masterdata (county_id, entity, id, record, active) VALUES ($1, 'courier', $2, $3, $4)
     ON CONFLICT (county_id, entity, id) DO UPDATE SET record = EXCLUDED.record, active = EXCLUDED.active`,
    [courier.countyId, courier.id, JSON.stringify(record), record.active],
  );
}

/** A 12-digit village code derived from a station id, stable within a suite. */
function villageCodeFor(stationId: string): string {
  let n = 0;
  for (const ch of stationId) n = (n * 31 + ch.charCodeAt(0)) % 1_000_000;
  return `511623${String(n).padStart(6, '0')}`;
}

/** A small network: the center, a town station, two village stations under it, two couriers. */
export interface Network {
  countyId: string;
  center: string;
  town: string;
  villageA: string;
  villageB: string;
  courierA: string;
  courierB: string;
}

export async function seedNetwork(db: Queryable, countyId = 'cn-511623'): Promise<Network> {
  const network: Network = { countyId, center: 'center', town: 'st-town', villageA: 'st-village-a', villageB: 'st-village-b', courierA: 'zto', courierB: 'yunda' };
  await seedStation(db, { countyId, id: network.center, kind: 'center' });
  await seedStation(db, { countyId, id: network.town, kind: 'town' });
  await seedStation(db, { countyId, id: network.villageA, kind: 'village' });
  await seedStation(db, { countyId, id: network.villageB, kind: 'village' });
  await seedCourier(db, { countyId, id: network.courierA });
  await seedCourier(db, { countyId, id: network.courierB });
  return network;
}

export interface SeedParcel {
  countyId: string;
  courierId: string;
  /** Fresh when absent. */
  waybill?: string;
  direction?: 'downstream' | 'upstream';
  /** Downstream: where it goes. */
  destinationStationId?: string;
  /** Upstream: where the produce is collected. */
  originStationId?: string;
  recipient?: { name: string; phone: string };
  /** When the courier announced (or booked) it; three days ago when absent. */
  occurredAt?: string;
}

export const seedActor: Actor = { keyId: 'seed', role: 'service' };

export function freshWaybill(prefix = 'WB'): string {
  return `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;
}

/**
 * A parcel as a manifest (downstream) or a booking (upstream) would leave it: inserted through the
 * parcel core and moved by its first fact, with its event in the outbox.
 */
export async function seedParcel(pool: Pool, outbox: Outbox, input: SeedParcel): Promise<ParcelRecord> {
  const direction = input.direction ?? 'downstream';
  const waybill = input.waybill ?? freshWaybill();
  const occurredAt = input.occurredAt ?? new Date(Date.now() - 3 * 24 * 3600_000).toISOString();
  const contract =
    direction === 'downstream'
      ? {
          waybill,
          direction,
          destination: { stationId: input.destinationStationId },
          weightKg: 1.5,
          volumeM3: 0.009,
          recipient: input.recipient ?? { name: '张小明', phone: '13800001111' },
          serviceType: 'standard',
        }
      : { bookingId: waybill, stationId: input.originStationId, product: '黄桃', weightKg: 5, volumeM3: 0.03, count: 1, serviceType: 'standard' };
  return withTransaction(pool, async (tx) => {
    const id = randomUUID();
    const inserted = await insertParcel(tx, {
      id,
      countyId: input.countyId,
      courierId: input.courierId,
      waybill,
      direction,
      state: direction === 'downstream' ? 'manifested' : 'booked',
      destinationStationId: direction === 'downstream' ? (input.destinationStationId ?? null) : null,
      originStationId: direction === 'upstream' ? (input.originStationId ?? null) : null,
      contract,
      contentHash: `seed:${id}`,
    });
    if (!inserted) throw new Error(`seedParcel: waybill ${waybill} of ${input.courierId} exists`);
    const parcel = (await loadParcel(tx, input.countyId, id, { forUpdate: true })) as ParcelRecord;
    const fact: ParcelFact = {
      id: `seed:${id}`,
      kind: direction === 'downstream' ? 'manifested' : 'booked',
      occurredAt,
      receivedAt: occurredAt,
      actor: seedActor,
    };
    const outcome = await applyFact(tx, { outbox, source: 'intake' }, parcel, fact);
    if (!outcome.accepted) throw new Error(`seedParcel: ${outcome.reason}`);
    return outcome.parcel;
  });
}
