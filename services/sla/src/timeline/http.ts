import { requirePrincipal, type App, type Pool } from '@county/platform';
import { z } from 'zod';
import { fail } from '../errors.js';
import { steps } from './domain/fold.js';
import { legs } from './domain/measure.js';

export interface TimelineRouteDeps {
  pool: Pool;
}

const READERS = { access: ['admin', 'operator'] } as const;

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);

/** `GET /sla/parcels/:parcelId`: the parcel's steps, legs, deadline, ETA and every fact by when it happened. */
export function registerTimelineRoutes(app: App, deps: TimelineRouteDeps): void {
  app.get(
    '/sla/parcels/:parcelId',
    { config: READERS, schema: { tags: ['sla timeline'], summary: 'A parcel’s timeline, legs, deadline and ETA', params: z.object({ parcelId: z.uuid() }) } },
    async (request) => {
      const { countyId } = requirePrincipal(request);
      const { parcelId } = request.params as { parcelId: string };
      const { rows } = await deps.pool.query<Record<string, unknown>>(`SELECT * FROM sla_parcels WHERE parcel_id = $1 AND county_id = $2`, [parcelId, countyId]);
      const r = rows[0];
      if (!r) throw fail('SLA_PARCEL_NOT_FOUND', `sla holds no parcel ${parcelId} in this county`);
      const facts = await deps.pool.query<Record<string, unknown>>(
        `SELECT * FROM sla_parcel_facts WHERE parcel_id = $1 ORDER BY occurred_at, fact_id`,
        [parcelId],
      );
      return {
        parcelId,
        courierId: r.courier_id,
        direction: r.direction,
        state: r.state,
        destinationStationId: r.destination_station_id,
        originStationId: r.origin_station_id,
        townId: r.town_id,
        villageCode: r.village_code,
        steps: Object.fromEntries(steps.map((s) => [s, iso(r[`${s}_at`])]).filter(([, v]) => v !== null)),
        legs: Object.fromEntries(
          legs.map((l) => [l, { minutes: r[`${l}_minutes`] ?? null, onTime: r[`${l}_on_time`] ?? null, endedAt: iso(r[`${l}_ended_at`]) }]),
        ),
        deadlineLeg: r.deadline_leg,
        deadline: iso(r.deadline),
        eta: iso(r.eta),
        etaSource: r.eta_source,
        open: r.open,
        timeline: facts.rows.map((f) => ({
          factId: f.fact_id,
          type: f.event_type,
          kind: f.kind,
          occurredAt: iso(f.occurred_at),
          receivedAt: iso(f.received_at),
          stationId: f.station_id,
          routeId: f.route_id,
          actor: f.actor,
          stateAfter: f.state_after,
        })),
      };
    },
  );
}
