import { topics, type Envelope, type manifestSubmittedSchema } from '@county/contracts';
import {
  MAX_BULK_WAIT_MS,
  RejectedError,
  type Clock,
  type ConsumerSpec,
  type EventHandler,
  type MessageMeta,
  type Outbox,
  type Pacer,
  type Pool,
  type PoolClient,
  timeSlices,
} from '@county/platform';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { intakeMetrics } from '../metrics.js';
import { cachedReads } from '../parcels/masterdata-reads.js';
import { reportRefusals } from '../parcels/report-refusals.js';
import { registerParcels } from '../parcels/register.js';
import { assertOneCourier } from './courier-identity.js';

export interface ManifestConsumerDeps {
  /** The service name: the event source and the consumer's name. */
  service: string;
  outbox: Outbox;
  clock: Clock;
  /** Whose cached master-data reads the manifests use (shared with the HTTP routes that change it). */
  pool: Pool;
  /** A manifest is registered in chunks that yield to the HTTP requests in flight. */
  pacer?: Pacer;
  metrics: Registry;
}

/**
 * Parcels of a manifest registered between two yields to requests in flight: about 20 ms of the
 * event loop here. With 250 (about 100 ms), a single POST that arrived as a chunk began waited for
 * all of it (bench:intake `intake.mixed`, issue #8).
 */
const MANIFEST_CHUNK = 50;

type Manifest = z.output<typeof manifestSubmittedSchema>;

/**
 * `courier.manifest_submitted` on `courier.manifests`: a courier announces up to 1,000 parcels. The
 * good ones are registered; the bad ones are returned by index, so the runner dead-letters exactly
 * those (`itemsPath: 'parcels'` lets a replay send only them). A manifest whose key, source and
 * courier disagree, or from a courier unknown or inactive in the county, is refused whole.
 */
export function manifestHandlers(deps: ManifestConsumerDeps): Record<string, EventHandler> {
  const now = deps.clock;
  const metrics = intakeMetrics(deps.metrics);
  return {
    'courier.manifest_submitted': {
      itemsPath: 'parcels',
      handle: async (tx: PoolClient, envelope: Envelope, message: MessageMeta) => {
        const manifest = envelope.data as Manifest;
        assertOneCourier(envelope, manifest.courierId, message, 'announces parcels of');
        const registration = await registerParcels(
          tx,
          {
            outbox: deps.outbox,
            source: deps.service,
            now,
            masterData: cachedReads(deps.pool),
            ...(deps.pacer ? { chunkSize: MANIFEST_CHUNK, pace: timeSlices(deps.pacer, { maxWaitMs: MAX_BULK_WAIT_MS }).checkpoint } : {}),
          },
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
        await reportRefusals(tx, { outbox: deps.outbox, source: deps.service, now }, {
          countyId: envelope.countyId,
          courierId: manifest.courierId,
          channel: 'kafka',
          manifestId: manifest.manifestId,
          eventId: envelope.id,
          items: manifest.parcels,
          results: registration.results,
        });
        const rejected = registration.results.flatMap((r) => (r.result === 'rejected' ? [{ index: r.index, issues: r.issues }] : []));
        metrics.countParcels(tx, manifest.courierId, registration.results);
        metrics.countManifest(tx, rejected.length > 0 ? 'partly_refused' : 'applied');
        return { rejected };
      },
      // A manifest refused whole (its courier, its key) is dead-lettered in its own transaction.
      refused: async (tx) => metrics.countManifest(tx, 'dead_lettered'),
    },
  };
}

/** The manifest consumer as `consumers.ts` lists it. */
export function manifestConsumer(deps: ManifestConsumerDeps): ConsumerSpec {
  return { name: `${deps.service}.manifests`, topics: [topics.courierManifests.name], handlers: manifestHandlers(deps) };
}
