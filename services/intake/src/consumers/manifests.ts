import { topics, type Envelope, type manifestSubmittedSchema } from '@county/contracts';
import { RejectedError, type ConsumerSpec, type EventHandler, type MessageMeta, type Outbox, type PoolClient } from '@county/platform';
import type { z } from 'zod';
import { reportRefusals } from '../parcels/report-refusals.js';
import { registerParcels } from '../parcels/register.js';
import { assertOneCourier } from './courier-identity.js';

export interface ManifestConsumerDeps {
  outbox: Outbox;
  now?: () => Date;
}

type Manifest = z.output<typeof manifestSubmittedSchema>;

/**
 * `courier.manifest_submitted` on `courier.manifests`: a courier announces up to 1,000 parcels. The
 * good ones are registered; the bad ones are returned by index, so the runner dead-letters exactly
 * those (`itemsPath: 'parcels'` lets a replay send only them). A manifest whose key, source and
 * courier disagree, or from a courier unknown or inactive in the county, is refused whole.
 */
export function manifestHandlers(deps: ManifestConsumerDeps): Record<string, EventHandler> {
  const now = deps.now ?? (() => new Date());
  return {
    'courier.manifest_submitted': {
      itemsPath: 'parcels',
      handle: async (tx: PoolClient, envelope: Envelope, message: MessageMeta) => {
        const manifest = envelope.data as Manifest;
        assertOneCourier(envelope, manifest.courierId, message, 'announces parcels of');
        const registration = await registerParcels(
          tx,
          { outbox: deps.outbox, source: 'intake', now },
          {
            countyId: envelope.countyId,
            courierId: manifest.courierId,
            items: manifest.parcels,
            actor: { keyId: manifest.courierId, role: 'courier' },
            occurredAt: envelope.occurredAt,
            source: `manifest:${manifest.courierId}:${manifest.manifestId}`,
          },
        );
        if (!registration.accepted) {
          throw new RejectedError(registration.reason, [{ path: 'data.courierId', reason: registration.reason }]);
        }
        // The refused items go to the dead letters (by the runner) and to the courier's own topic.
        await reportRefusals(tx, { outbox: deps.outbox, source: 'intake', now }, {
          countyId: envelope.countyId,
          courierId: manifest.courierId,
          channel: 'kafka',
          manifestId: manifest.manifestId,
          eventId: envelope.id,
          items: manifest.parcels,
          results: registration.results,
        });
        const rejected = registration.results.flatMap((r) => (r.result === 'rejected' ? [{ index: r.index, issues: r.issues }] : []));
        return { rejected };
      },
    },
  };
}

/** The manifest consumer as main.ts starts it. */
export function manifestConsumer(deps: ManifestConsumerDeps): ConsumerSpec {
  return { name: 'intake.manifests', topics: [topics.courierManifests.name], handlers: manifestHandlers(deps) };
}
