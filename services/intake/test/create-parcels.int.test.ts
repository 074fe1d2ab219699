import { randomUUID } from 'node:crypto';
import type { ParcelFact } from '@county/contracts';
import type { PoolClient } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { applyFact } from '../src/parcels/apply-fact.js';
import { parseParcel } from '../src/parcels/domain/content.js';
import { createParcels, type ParcelToCreate } from '../src/parcels/create-parcels.js';
import type { ParcelRecord } from '../src/parcels/domain/parcel.js';
import { insertParcel, loadParcel } from '../src/parcels/store/parcels.js';
import { contract, freshWaybillNo } from './parcel-intake-support.js';
import { seedNetwork } from './seed.js';
import { intakeApp } from './support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
let intake: Awaited<ReturnType<typeof intakeApp>>;

beforeAll(async () => {
  intake = await intakeApp(config);
  await seedNetwork(intake.pool, countyId);
});

afterAll(() => intake?.close());

const now = new Date('2026-07-21T02:30:00.000Z');
const courierActor = { keyId: 'zto', role: 'courier' } as const;

function item(raw: unknown, stations: { destinationStationId?: string; originStationId?: string }, extra: (waybill: string) => ParcelFact[] = () => []): ParcelToCreate {
  const parsed = parseParcel(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const { waybill, direction } = parsed.contract;
  const kind = direction === 'upstream' ? 'booked' : 'manifested';
  return {
    parcel: {
      id: randomUUID(),
      countyId,
      courierId: 'zto',
      waybill,
      direction,
      destinationStationId: stations.destinationStationId ?? null,
      originStationId: stations.originStationId ?? null,
      contract: parsed.contract,
      contentHash: parsed.hash,
    },
    facts: [{ id: `${kind}:zto:${waybill}`, kind, occurredAt: '2026-07-21T01:00:00.000Z', receivedAt: now.toISOString(), actor: courierActor }, ...extra(waybill)],
  };
}

/** Runs `write` in a transaction, reads back what it wrote, and rolls it back. */
async function written(items: ParcelToCreate[], write: (tx: PoolClient) => Promise<void>) {
  const tx = await intake.pool.connect();
  const ids = items.map((i) => i.parcel.id);
  try {
    await tx.query('BEGIN');
    await write(tx);
    const parcels = await tx.query(`SELECT * FROM parcels WHERE id = ANY($1) ORDER BY waybill`, [ids]);
    const facts = await tx.query(
      `SELECT parcel_id, fact_id, kind, occurred_at, received_at, fact, superseded FROM parcel_facts WHERE parcel_id = ANY($1) ORDER BY parcel_id, fact_id`,
      [ids],
    );
    const outbox = await tx.query<{ topic: string; key: string; payload: Record<string, unknown>; headers: unknown }>(
      `SELECT topic, key, payload, headers FROM outbox WHERE key = ANY($1) ORDER BY seq`,
      [ids],
    );
    return {
      // Both paths stamp created_at and updated_at with now(): the start of their own transaction.
      parcels: parcels.rows.map(({ created_at: _c, updated_at: _u, ...row }) => row),
      facts: facts.rows,
      // Event ids are fresh UUIDs on either path.
      outbox: outbox.rows.map(({ payload: { id: _id, ...payload }, ...row }) => ({ ...row, payload })),
    };
  } finally {
    await tx.query('ROLLBACK');
    tx.release();
  }
}

describe('creating new parcels in bulk', () => {
  it('writes the same parcels, facts and events as insertParcel and applyFact one by one', async () => {
    const unknownReason = 'village 951623000000 is served by no active station of county cn-511623';
    const items = [
      item(contract({ stationId: 'st-village-a', weightKg: 1.2 }), { destinationStationId: 'st-village-a' }),
      item(contract({ villageCode: '951623000000', declaredValueYuan: 88, serviceType: 'express' }), {}, (waybill) => [
        {
          id: `address_unknown:zto:${waybill}`,
          kind: 'address_unknown',
          stationId: 'center',
          occurredAt: now.toISOString(),
          receivedAt: now.toISOString(),
          actor: { keyId: 'intake', role: 'service' },
          reason: unknownReason,
        },
      ]),
      item(
        { waybill: freshWaybillNo('UP'), direction: 'upstream', originStationId: 'st-village-b', weightKg: 5, recipient: { name: '收购商', phone: '02788886666' } },
        { originStationId: 'st-village-b' },
      ),
    ];
    const deps = { outbox: intake.outbox, source: 'intake' };

    const bulk = await written(items, async (tx) => {
      const inserted = await createParcels(tx, deps, items, now);
      expect(inserted.size).toBe(items.length);
    });
    const oneByOne = await written(items, async (tx) => {
      for (const { parcel, facts } of items) {
        await insertParcel(tx, { ...parcel, state: parcel.direction === 'upstream' ? 'booked' : 'manifested' });
        let record = (await loadParcel(tx, countyId, parcel.id, { forUpdate: true })) as ParcelRecord;
        for (const fact of facts) {
          const outcome = await applyFact(tx, deps, record, fact);
          if (!outcome.accepted) throw new Error(outcome.reason);
          record = outcome.parcel;
        }
      }
    });

    expect(bulk.parcels).toHaveLength(3);
    expect(bulk.facts).toHaveLength(4);
    expect(bulk.outbox.map((r) => r.payload.type)).toEqual([
      'parcel.manifested',
      'parcel.manifested',
      'parcel.manifested',
      'parcel.manifested',
      'parcel.address_unknown_reported',
      'parcel.address_unknown_reported',
      'parcel.booked',
      'parcel.booked',
    ]);
    expect(bulk).toEqual(oneByOne);
  });

  it('leaves out a parcel whose waybill another transaction stored first, with its facts and events', async () => {
    const winner = item(contract(), { destinationStationId: 'st-village-a' });
    await createParcels(intake.pool, { outbox: intake.outbox, source: 'intake' }, [winner], now);
    const loser = { ...winner, parcel: { ...winner.parcel, id: randomUUID() } };
    const inserted = await createParcels(intake.pool, { outbox: intake.outbox, source: 'intake' }, [loser], now);
    expect(inserted.size).toBe(0);
    const facts = await intake.pool.query(`SELECT 1 FROM parcel_facts WHERE parcel_id = $1`, [loser.parcel.id]);
    const events = await intake.pool.query(`SELECT 1 FROM outbox WHERE key = $1`, [loser.parcel.id]);
    expect([facts.rowCount, events.rowCount]).toEqual([0, 0]);
  });
});
