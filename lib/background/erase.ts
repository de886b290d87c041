import type { LogDatabase, createLogWriter } from '../db';
import { eraseEverything } from '../history/maintenance';
import { RECOVERY_HOLD_MS, type Observer, type TabStore } from '../observe';
import { within } from '../timing/within';

/**
 * "Delete all my local data", done where the log is written. A page that cleared the tables itself
 * lost to the background: the writer held up to a second of rows and wrote them back after the clear,
 * and an open shop tab went on logging into a visit whose row was gone (rows never shown nor pruned).
 *
 * Run as an exclusive event (event-queue.ts), so no page's request slips in halfway. In order:
 * - Every open tab forgets what it saw: its popup says to reload the page, and nothing more is
 *   logged for it until it loads again (a new visit). What it had seen is part of "everything".
 * - Requests being recovered from a page's report wait for the log's answer before they are queued:
 *   those are waited for (bounded), or their rows would come after the clear.
 * - The tab states' removal is saved and their badges cleared; then the writer forgets its queue and
 *   waits for the batch in flight.
 * - Then the log, every stored setting, session storage and the HAR inbox are cleared.
 */
export async function eraseLocalData({
  store,
  observer,
  writer,
  log,
  areas,
}: {
  store: Pick<TabStore, 'flush'>;
  observer: Pick<Observer, 'forgetEverything' | 'recovered'>;
  writer: Pick<ReturnType<typeof createLogWriter>, 'discard'>;
  log(): LogDatabase;
  areas: { clear(): Promise<void> }[];
}): Promise<void> {
  observer.forgetEverything();
  // Bounded: a recovery whose answer comes later is not logged at all (observer.ts, `erasures`).
  await within(RECOVERY_HOLD_MS, observer.recovered());
  await store.flush();
  await writer.discard();
  await eraseEverything(log(), areas);
}
