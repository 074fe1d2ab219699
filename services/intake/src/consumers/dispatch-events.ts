import { topics, type Envelope } from '@county/contracts';
import {
  MAX_BULK_WAIT_MS,
  type Clock,
  type ConsumerSpec,
  type EventHandler,
  type HandlerResult,
  type Logger,
  type Outbox,
  type Pacer,
  type PoolClient,
} from '@county/platform';
import type { Registry } from 'prom-client';
import { intakeMetrics } from '../metrics.js';
import { applyDispatchFacts, type DispatchItemResult } from '../parcels/apply-dispatch-facts.js';
import { appliedDispatchEvents, dispatchFacts, dispatchItemsPath, type AppliedDispatchEvent, type DispatchEventData } from '../parcels/domain/dispatch-facts.js';

export interface DispatchConsumerDeps {
  /** The service name: the events' source and the consumer's name. */
  service: string;
  outbox: Outbox;
  clock: Clock;
  /** A route's parcels are applied in chunks that yield to the HTTP requests in flight. */
  pacer?: Pacer;
  metrics: Registry;
  logger?: Logger;
}

/**
 * dispatch's events on `dispatch.events` (issue #10): intake owns every parcel's state, so it applies
 * the moves dispatch reports — a route confirmed (`sorted`), departed, cancelled (back to `received`),
 * parcels handed over at a stop (`at_station`, `at_town` from a trunk route), pickups collected, damage
 * and refusals at a stop, produce back at the center — as facts through the transition table, each
 * with its `parcel.*` event, effectively once (the runner's inbox row is in this transaction, and
 * each fact's id is the event's and the parcel's). A parcel that cannot take its fact is refused
 * by its index in the event's list and dead-lettered with the reason (`itemsPath`); the others stay
 * applied. An event that fails its schema is dead-lettered by the runner; other event types
 * (a stop reached, a wave's cost) are not intake's.
 */
export function dispatchHandlers(deps: DispatchConsumerDeps): Record<string, EventHandler> {
  const metrics = intakeMetrics(deps.metrics);
  const handler = (type: AppliedDispatchEvent): EventHandler => ({
    itemsPath: dispatchItemsPath[type],
    handle: async (tx: PoolClient, envelope: Envelope): Promise<HandlerResult> => {
      const facts = dispatchFacts(type, envelope.data as DispatchEventData[typeof type], {
        id: envelope.id,
        source: envelope.source,
        occurredAt: envelope.occurredAt,
        receivedAt: deps.clock().toISOString(),
      });
      const results = await applyDispatchFacts(
        tx,
        {
          outbox: deps.outbox,
          source: deps.service,
          ...(deps.pacer ? { pace: () => deps.pacer!.yieldToInteractive(MAX_BULK_WAIT_MS) } : {}),
        },
        envelope.countyId,
        facts,
      );
      metrics.countDispatchParcels(tx, type, results);
      const rejected = results.flatMap((r) => (r.result === 'rejected' ? [r] : []));
      if (rejected.length > 0) {
        deps.logger?.warn({ eventId: envelope.id, type, refused: rejected.length, first: refusalOf(rejected[0]!) }, 'dispatch event: parcels refused');
      }
      return { rejected: rejected.map((r) => ({ index: r.index, issues: [{ path: '', reason: `${r.code}: ${r.reason}` }] })) };
    },
  });
  return Object.fromEntries(appliedDispatchEvents.map((type) => [type, handler(type)]));
}

function refusalOf(r: Extract<DispatchItemResult, { result: 'rejected' }>) {
  return { parcelId: r.parcelId, code: r.code, reason: r.reason };
}

/** The dispatch consumer as `consumers.ts` lists it. */
export function dispatchConsumer(deps: DispatchConsumerDeps): ConsumerSpec {
  return { name: `${deps.service}.dispatch`, topics: [topics.dispatchEvents.name], handlers: dispatchHandlers(deps) };
}
