import { within } from '../timing/within';

/** The longest a page waits for the background to write the log before it reads it anyway. */
const FLUSH_BOUND_MS = 2_000;

/**
 * Before a page reads the log: has the background write what it holds queued (it writes at most once
 * a second, lib/db/background-log.ts), so that a report or an export made right after a page load has
 * its last requests. Bounded: a worker that does not answer delays the page by two seconds at most,
 * and then the page reads what is there.
 */
export async function untilLogWritten(send: (message: { type: 'flush-log' }) => Promise<unknown>, boundMs = FLUSH_BOUND_MS): Promise<void> {
  await within(boundMs, Promise.resolve().then(() => send({ type: 'flush-log' })).catch(() => undefined));
}
