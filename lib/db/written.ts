import { within } from '../timing/within';

/** The longest a page waits for the background to write the log before it reads it anyway. */
const FLUSH_BOUND_MS = 2_000;

/** Asks this many times at most while the answer is nothing. */
const FLUSH_ASKS = 3;

/**
 * Before a page reads the log: has the background write what it holds queued (it writes at most once
 * a second, lib/db/background-log.ts), so that a report or an export made right after a page load has
 * its last requests. The background answers `true` once written, or fails; an answer of nothing is
 * how Chromium ends a message on its way to a worker being stopped (lib/messages/answers.ts), and is
 * asked again. A failure is not: a write refused by a full disk makes room each time it is tried.
 * Bounded: a worker that does not answer delays the page by two seconds at most, and then the page
 * reads what is there.
 */
export async function untilLogWritten(send: (message: { type: 'flush-log' }) => Promise<unknown>, boundMs = FLUSH_BOUND_MS): Promise<void> {
  const asking = async () => {
    for (let ask = 0; ask < FLUSH_ASKS; ask++) {
      const answer = await Promise.resolve()
        .then(() => send({ type: 'flush-log' }))
        .catch(() => false);
      if (answer !== undefined) return;
    }
  };
  await within(boundMs, asking());
}
