import type { Envelope } from '@county/contracts';
import { readTopic, type Admin, type Kafka, type Pool } from '@county/platform';
import { expect } from 'vitest';

/** What a load left in intake's schema and on its topics, counted. */
export function loadProbes(pool: Pool, admin: Admin) {
  const count = async (sql: string, params: unknown[] = []) => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  return {
    count,
    parcelsOf: (courierId: string) => count('SELECT count(*) AS n FROM parcels WHERE courier_id = $1', [courierId]),
    unsentEvents: () => count('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'),
    eventsOn: async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0),
  };
}

export interface ExactlyOnceCheck {
  pool: Pool;
  kafka: Kafka;
  probes: ReturnType<typeof loadProbes>;
  parcelTopic: string;
  deadLetterTopic: string;
  manifests: number;
  manifestCourier: string;
  manifestWaybills: ReadonlySet<string>;
  restCourier: string;
  restParcels: number;
}

/**
 * docs/architecture.md §5, "after recovery every parcel is accounted for exactly once": every (courier,
 * waybill) once with one `manifested` fact, each manifest applied once, every parcel's event on the
 * topic at least once and exactly once by envelope id, nothing dead-lettered.
 */
export async function expectEveryParcelOnce(c: ExactlyOnceCheck): Promise<void> {
  const stored = await c.pool.query<{ id: string; courier_id: string; waybill: string }>('SELECT id, courier_id, waybill FROM parcels');
  expect(stored.rows).toHaveLength(c.manifestWaybills.size + c.restParcels);
  expect(new Set(stored.rows.filter((r) => r.courier_id === c.manifestCourier).map((r) => r.waybill))).toEqual(c.manifestWaybills);
  expect(new Set(stored.rows.filter((r) => r.courier_id === c.restCourier).map((r) => r.waybill)).size).toBe(c.restParcels);
  const facts = await c.pool.query<{ parcel_id: string; n: string }>(
    "SELECT parcel_id, count(*) AS n FROM parcel_facts WHERE kind = 'manifested' GROUP BY parcel_id",
  );
  expect(facts.rows).toHaveLength(stored.rows.length);
  expect(facts.rows.filter((r) => r.n !== '1')).toEqual([]);
  expect(await c.probes.count("SELECT count(*) AS n FROM inbox WHERE consumer = 'intake.manifests'")).toBe(c.manifests);

  const manifested = (await readTopic<Envelope>(c.kafka, c.parcelTopic)).map((m) => m.value).filter((e) => e.type === 'parcel.manifested');
  const idsBySubject = new Map<string, Set<string>>();
  for (const event of manifested) idsBySubject.set(event.subject, (idsBySubject.get(event.subject) ?? new Set()).add(event.id));
  expect(new Set(idsBySubject.keys())).toEqual(new Set(stored.rows.map((r) => r.id)));
  expect([...idsBySubject].filter(([, ids]) => ids.size !== 1)).toEqual([]);

  expect(await c.probes.eventsOn(c.deadLetterTopic)).toBe(0);
}
