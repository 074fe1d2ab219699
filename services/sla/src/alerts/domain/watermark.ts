/**
 * Up to when the parcel consumer has folded everything: the scanner raises an open parcel's breach only when its
 * deadline is at or before that instant, so a backlog (an arrival scan on the broker, not folded yet) raises no
 * false breach. At each scan the parcel topic's end offsets are sampled; once the consumer group's committed
 * offsets reach a sample on every partition, every event on the broker at that sample's instant is folded. When
 * the committed offsets reach the end offsets of this very scan, the consumer is caught up now.
 */
export interface WatermarkState {
  /** The last sample: the scanner's clock when taken and each partition's end offset then. */
  sample?: { at: number; ends: Map<number, bigint> };
  /** Everything on the broker at this instant is folded (null: nothing known yet). */
  foldedThrough: number | null;
}

const reached = (committed: Map<number, bigint>, ends: Map<number, bigint>) =>
  [...ends].every(([partition, end]) => end <= 0n || (committed.get(partition) ?? -1n) >= end);

/** The state after a scan at `now` that read the group's committed offsets and the topic's end offsets. */
export function advanceWatermark(state: WatermarkState, now: number, committed: Map<number, bigint>, ends: Map<number, bigint>): WatermarkState {
  let foldedThrough = state.foldedThrough;
  if (reached(committed, ends)) foldedThrough = now;
  else if (state.sample && reached(committed, state.sample.ends)) foldedThrough = Math.max(foldedThrough ?? state.sample.at, state.sample.at);
  return { sample: { at: now, ends }, foldedThrough };
}
