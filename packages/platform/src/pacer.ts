/**
 * Lets a service's bulk work yield to the requests a person is waiting on. A service's consumers
 * and its outbox relay share one event loop and two cores with its HTTP routes; processed as fast
 * as they come, 20 courier manifests of 1,000 parcels held a single `POST /parcels` for seconds
 * (issue #8, `npm run bench:intake`, stage `intake.mixed`). Bulk work asks `yieldToInteractive`
 * before each piece of it (a message, a chunk of a manifest, a relay batch): it goes on at once
 * when no request is in flight, and otherwise waits until none is, or `maxWaitMs` at the latest,
 * so under a sustained load bulk work is slowed down, never stopped.
 */
export interface Pacer {
  /** An interactive request started; call the function it returns when it has been answered. */
  begin(): () => void;
  /** Resolves when no interactive request is in flight, or after `maxWaitMs` at the latest. */
  yieldToInteractive(maxWaitMs: number): Promise<void>;
  /** Interactive requests in flight now. */
  inFlight(): number;
}

/**
 * The longest a piece of bulk work (a consumer's slice, a chunk of a manifest) waits for requests in
 * flight: with 250 ms, manifests beside 200 POSTs/s still held them for seconds (bench:intake).
 */
export const MAX_BULK_WAIT_MS = 1000;

export function createPacer(): Pacer {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const release = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  return {
    begin() {
      inFlight += 1;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        inFlight -= 1;
        // The answer is still being written: let it go out before bulk work takes the loop again.
        if (inFlight === 0 && waiters.length > 0) setImmediate(release);
      };
    },
    yieldToInteractive(maxWaitMs) {
      // Even when nothing is in flight, give the loop one turn: requests that arrived meanwhile
      // are read and counted before the next piece of bulk work starts.
      if (inFlight === 0) return new Promise((resolve) => setImmediate(resolve));
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, maxWaitMs);
        function done() {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== done);
          resolve();
        }
        waiters.push(done);
      });
    },
    inFlight: () => inFlight,
  };
}

/**
 * Bulk work in time slices: `checkpoint()` between pieces of work yields to requests in flight only
 * once the work has had the loop for `workMs` since it last yielded, so a stream of small messages is
 * not slowed to one per wait, and a large one yields between its chunks.
 */
export function timeSlices(pacer: Pacer, { workMs = 20, maxWaitMs }: { workMs?: number; maxWaitMs: number }): { checkpoint(): Promise<void> } {
  let since = performance.now();
  return {
    async checkpoint() {
      if (performance.now() - since < workMs) return;
      await pacer.yieldToInteractive(maxWaitMs);
      since = performance.now();
    },
  };
}

/** For bulk work outside a service (tests, tools): never waits. */
export const noPacing: Pacer = {
  begin: () => () => undefined,
  yieldToInteractive: () => Promise.resolve(),
  inFlight: () => 0,
};
