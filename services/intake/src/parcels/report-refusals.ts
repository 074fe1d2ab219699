import { buildEvent, cleanText, courierStatusTopic, type Issue, type ManifestRejected, MAX_REFUSED_LISTED } from '@county/contracts';
import { type Outbox, type Queryable } from '@county/platform';
import { maskName, maskPhone } from './domain/mask.js';
import type { ItemResult } from './domain/registration.js';

/** A manifest or REST batch whose registration refused some items. */
export interface RefusedBatch {
  countyId: string;
  courierId: string;
  channel: ManifestRejected['channel'];
  manifestId: string;
  /** The `courier.manifest_submitted` event, for a manifest from Kafka. */
  eventId?: string;
  /** The items as announced, to name each refused one by its waybill and (masked) recipient. */
  items: readonly unknown[];
  results: readonly ItemResult[];
}

export interface RefusalDeps {
  outbox: Outbox;
  source: string;
  now: () => Date;
}

/**
 * Tells the courier on its own status topic which items were refused and why (the intake issue
 * #8): `courier.manifest_rejected`, written in the caller's transaction, so it is published exactly
 * when the accepted items are. Nothing is written when every item was taken.
 */
export async function reportRefusals(tx: Queryable, deps: RefusalDeps, batch: RefusedBatch): Promise<void> {
  const refused = batch.results.flatMap((r) => (r.result === 'rejected' ? [r] : []));
  if (refused.length === 0) return;
  const topic = courierStatusTopic(batch.courierId);
  const event = buildEvent(
    {
      type: 'courier.manifest_rejected',
      countyId: batch.countyId,
      subject: batch.manifestId,
      source: deps.source,
      ...(batch.eventId ? { correlationId: batch.eventId } : {}),
      data: {
        courierId: batch.courierId,
        channel: batch.channel,
        manifestId: batch.manifestId,
        ...(batch.eventId ? { eventId: batch.eventId } : {}),
        accepted: batch.results.length - refused.length,
        refusedCount: refused.length,
        refused: refused.slice(0, MAX_REFUSED_LISTED).map((r) => ({ index: r.index, ...identify(batch.items[r.index]), issues: bounded(r.issues) })),
      },
    },
    deps.now,
  );
  await deps.outbox.add(tx, { topic, key: batch.manifestId, event });
}

/**
 * An item's first issues, each reason cut short: an item of thousands of unknown keys makes one
 * reason naming them all, and the event must stay far below the broker's message size limit.
 */
const MAX_ISSUES_PER_ITEM = 5;
const MAX_REASON_CHARS = 300;

function bounded(issues: readonly Issue[]): Issue[] {
  return issues.slice(0, MAX_ISSUES_PER_ITEM).map(({ path, reason }) => ({
    path: cleanText(path.slice(0, MAX_REASON_CHARS)),
    reason: cleanText(reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason),
  }));
}

/**
 * What names a refused item to its courier, however malformed it is; people's details masked, and
 * text it could not store (a waybill with NUL) made storable.
 */
function identify(item: unknown): { waybill?: string; recipient?: { name?: string; phone?: string } } {
  if (item === null || typeof item !== 'object') return {};
  const { waybill, recipient } = item as Record<string, unknown>;
  const person = recipient !== null && typeof recipient === 'object' ? (recipient as Record<string, unknown>) : {};
  const masked = {
    ...(typeof person.name === 'string' && person.name.trim() ? { name: cleanText(maskName(person.name)) } : {}),
    ...(typeof person.phone === 'string' && person.phone.trim() ? { phone: cleanText(maskPhone(person.phone)) } : {}),
  };
  return {
    // Capped like a valid waybill, so a huge string cannot bloat the event.
    ...(typeof waybill === 'string' && waybill ? { waybill: cleanText(waybill.slice(0, 40)) } : {}),
    ...(Object.keys(masked).length > 0 ? { recipient: masked } : {}),
  };
}
