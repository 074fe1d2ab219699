import { coldRoomOf } from './containers.js';

/**
 * Where a cold-chain parcel was, from what the events said (issue #11 "Bindings"). Each fact has the time it
 * happened; the parcel's bindings are a function of the set of facts, so the order the events arrived in — two
 * topics, late handhelds — never changes them.
 *
 * - `loaded`: into a vehicle's refrigerated compartment (the route departed with it downstream, or collected it
 *   upstream);
 * - `at_station`: handed over at a station, or back at the depot: in the station's cold room if it has one, out
 *   of any container if not;
 * - `ended`: delivered, handed to a courier's line-haul, returned or lost: out of the county's cold chain for good.
 */
export type CustodyFact =
  | { kind: 'loaded'; at: string; containerId: string }
  | { kind: 'at_station'; at: string; stationId: string }
  | { kind: 'ended'; at: string; how: EndKind };

export type EndKind = 'delivered' | 'handed_over' | 'returned' | 'lost';

export interface Binding {
  containerId: string;
  from: string;
  /** null: still in it. */
  to: string | null;
}

/** Of facts at the same instant, a hand-over comes before a loading (a town's parcel reloaded at once), an end last. */
const rank: Record<CustodyFact['kind'], number> = { at_station: 0, loaded: 1, ended: 2 };
const placeOf = (fact: CustodyFact) => (fact.kind === 'loaded' ? fact.containerId : fact.kind === 'at_station' ? fact.stationId : fact.how);

function compareFacts(a: CustodyFact, b: CustodyFact): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (rank[a.kind] !== rank[b.kind]) return rank[a.kind] - rank[b.kind];
  const [pa, pb] = [placeOf(a), placeOf(b)];
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/**
 * The parcel's bindings, oldest first, and when its custody ended (the earliest end; facts after it do not
 * count). `coldRooms` holds the container ids of the cold rooms there are: a station without one takes the parcel
 * out of the cold chain until it is loaded again.
 */
export function custodyOf(facts: readonly CustodyFact[], coldRooms: ReadonlySet<string>): { bindings: Binding[]; ended: { at: string; how: EndKind } | null } {
  const bindings: Binding[] = [];
  let current: { containerId: string; from: string } | null = null;
  const move = (to: string | null, at: string) => {
    if (current?.containerId === to) return;
    if (current && at > current.from) bindings.push({ containerId: current.containerId, from: current.from, to: at });
    current = to === null ? null : { containerId: to, from: at };
  };
  for (const fact of [...facts].sort(compareFacts)) {
    switch (fact.kind) {
      case 'loaded':
        move(fact.containerId, fact.at);
        break;
      case 'at_station': {
        const room = coldRoomOf(fact.stationId);
        move(coldRooms.has(room) ? room : null, fact.at);
        break;
      }
      case 'ended':
        move(null, fact.at);
        return { bindings, ended: { at: fact.at, how: fact.how } };
      default: {
        const never: never = fact;
        throw new Error(`unknown custody fact ${JSON.stringify(never)}`);
      }
    }
  }
  const open = current as { containerId: string; from: string } | null;
  if (open) bindings.push({ containerId: open.containerId, from: open.from, to: null });
  return { bindings, ended: null };
}

/** When the parcel was collected (the earliest collection), for its pre-cooling. */
export function collectedAt(facts: readonly { at: string; collected: boolean }[]): string | null {
  return facts.filter((f) => f.collected).reduce<string | null>((earliest, f) => (earliest === null || f.at < earliest ? f.at : earliest), null);
}
