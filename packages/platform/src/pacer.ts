/**
 * Lets a service's bulk work yield to the requests a person is waiting on. A service's consumers
 * and its outbox relay share one event loop and two cores with its HTTP routes; processed as fast
 * as they come, 20 courier manifests of 1,000 parcels held a single `POST /parcels` for seconds
 * (issue #8, `npm run bench:intake`, stage `intake.mixed`). Bulk work asks `yieldToInteractive`
 * before each piece of it (a message, a chunk of a manifest, a relay batch): it goes on at once
 * when no request is in flight, and otherwise waits until none is, or `maxWaitMs` at the latest,
 * so under a sustained load bulk work is slowed down, never stopped. Bulk work in `timeSlices`
 * also rests while requests keep arriving (see there).
 */
export interface Pacer {
  /** An interactive request started; call the function it returns when it has been answered. */
  begin(): () => void;
  /** Resolves when no interactive request is in flight, or after `maxWaitMs` at the latest. */
  yieldToInteractive(maxWaitMs: number): Promise<void>;
  /** Interactive requests in flight now. */
  inFlight(): number;
  /** When the latest interactive request began (`performance.now()`); -Infinity before the first. */
  lastBegun(): number;
}

/**
 * The longest a piece of bulk work (a consumer's slice, a chunk of a manifest) waits for requests in
 * flight: with 250 ms, manifests beside 200 POSTs/s still held them for seconds (bench:intake).
 */
export const MAX_BULK_WAIT_MS = 1000;

export function createPacer(): Pacer {
  let inFlight = 0;
  let lastBegun = -Infinity;
  let waiters: (() => void)[] = [];
  const release = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  return {
    begin() {
      inFlight += 1;
      lastBegun = performance.now();
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
    lastBegun: () => lastBegun,
  };
}

/** Requests that began this recently count as a stream still arriving. */
const ARRIVING_MS = 1000;

/** Whether interactive requests keep arriving: one began within the last second. */
export function requestsArriving(pacer: Pacer): boolean {
  return performance.now() - pacer.lastBegun() < ARRIVING_MS;
}

/**
 * Bulk work in time slices: `checkpoint()` between pieces of work yields to requests in flight only
 * once the work has had the loop for `workMs` since it last yielded, so a stream of small messages is
 * not slowed to one per wait, and a large one yields between its chunks. While requests keep
 * arriving, it then also rests as long as it worked (`restShare` 1), so that bulk work takes at most
 * about half of the time from them: waiting for the requests in flight alone left them the event
 * loop, but not the cores, which the bulk work's Postgres statements, relay and broker took.
 */
export function timeSlices(pacer: Pacer, { workMs = 20, maxWaitMs, restShare = 1 }: { workMs?: number; maxWaitMs: number; restShare?: number }): { checkpoint(): Promise<void> } {
  let since = performance.now();
  return {
    async checkpoint() {
      const worked = performance.now() - since;
      if (worked < workMs) return;
      await pacer.yieldToInteractive(maxWaitMs);
      if (restShare > 0 && requestsArriving(pacer)) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(worked * restShare, maxWaitMs)));
      }
      since = performance.now();
    },
  };
}

/** For bulk work outside a service (tests, tools): never waits. */
export const noPacing: Pacer = {
  begin: () => () => undefined,
  yieldToInteractive: () => Promise.resolve(),
  inFlight: () => 0,
  lastBegun: () => -Infinity,
};
