import type { ParcelFact } from './facts.js';
import { factKindOrder } from './table.js';

/**
 * Facts in the order they happened: by `occurredAt`, then the lifecycle order of their kinds (a
 * receive and a sort stamped in the same second), then id. A total order on distinct ids, so every
 * arrival order of the same facts sorts the same: the ground of order-independence.
 */
export function canonicalOrder(facts: readonly ParcelFact[]): ParcelFact[] {
  return facts
    .map((fact) => ({ fact, at: Date.parse(fact.occurredAt), order: factKindOrder(fact.kind) }))
    .sort((a, b) => a.at - b.at || a.order - b.order || (a.fact.id < b.fact.id ? -1 : a.fact.id > b.fact.id ? 1 : 0))
    .map(({ fact }) => fact);
}
