/**
 * The background's events, held back until start-up is done and then handled in the order they came,
 * each on its own clock. A woken worker's first events wait for start-up (storage reads, the strings:
 * 100–300 ms on a loaded machine, BENCHMARKS.md); an event whose time is not in the event itself (a
 * cookie written, a banner seen, a consent report) must still be dated when it happened, not when its
 * turn came, or a cookie the page wrote before the customer refused would count as written after it.
 */
export function createEventQueue(started: Promise<unknown>, clock: () => number = Date.now) {
  /** When the event now being handled arrived; undefined between events. */
  let arrivedAt: number | undefined;
  /** What the next event waits for: start-up, then whatever `exclusive` work came before it. */
  let gate: Promise<unknown> = started;
  return {
    /** Runs `work` after start-up, in the order the events came; its failure is the caller's to answer. */
    afterStart<T>(work: () => T): Promise<T> {
      const at = clock();
      return gate.then(() => {
        arrivedAt = at;
        try {
          return work();
        } finally {
          arrivedAt = undefined;
        }
      });
    },
    /**
     * Runs asynchronous `work` in the events' order, and holds back every event that comes after it
     * until it has settled: the erase of everything, which no page's request may slip into halfway.
     */
    exclusive<T>(work: () => Promise<T>): Promise<T> {
      const done = gate.then(work);
      gate = done.catch(() => undefined);
      return done;
    },
    /** The time for whatever is being handled: its event's arrival, or now outside an event. */
    now: (): number => arrivedAt ?? clock(),
  };
}
