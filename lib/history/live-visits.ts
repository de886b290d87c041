import { liveQuery } from 'dexie';
import type { LogDatabase, Visit } from '../db';

const DAY = 86_400_000;

export interface FollowedVisits {
  stop(): void;
  /** Rows read from the log so far: what following costs (the unit tests hold it to the window). */
  rowsRead(): number;
}

/**
 * The history page's visits, newest first, following the log as the background writes it.
 *
 * The newest `firstPage` visits come first, for a quick first paint; then the whole log, once. After
 * that only the recent visits are followed (the background writes the visits of open tabs, started
 * within `windowMs` in practice): a write reads the window again and counts the table, not the whole
 * log, which with thousands of visits had every write reload them all. When the count says the
 * older part changed too (retention pruned it, the customer erased a visit or everything), the whole
 * log is read again. A visit older than the window that changes without the count changing (a tab
 * open for longer than a week) shows its change at the next full read.
 */
export function followVisits(
  db: LogDatabase,
  {
    firstPage = 200,
    windowMs = 7 * DAY,
    now = Date.now,
    onVisits,
    onFirstPage,
  }: {
    firstPage?: number;
    windowMs?: number;
    now?: () => number;
    onVisits(visits: Visit[]): void;
    /** After the first page was handed over (the benchmark marks its first frame). */
    onFirstPage?(): void;
  },
): FollowedVisits {
  let read = 0;
  let stopped = false;
  /** Visits started before `since`: read with the whole log, not followed. */
  let older: Visit[] = [];
  let since = now() - windowMs;
  let subscription: { unsubscribe(): void } | undefined;

  const newestFirst = (rows: Visit[]) => rows.sort((a, b) => b.startedAt - a.startedAt);

  async function readAll() {
    const all = await db.visits.orderBy('startedAt').reverse().toArray();
    read += all.length;
    since = Math.min(now(), all[0]?.startedAt ?? Number.POSITIVE_INFINITY) - windowMs;
    older = all.filter((visit) => visit.startedAt < since);
    return all;
  }

  function follow() {
    subscription = liveQuery(async () => {
      const [recent, total] = await Promise.all([db.visits.where('startedAt').aboveOrEqual(since).toArray(), db.visits.count()]);
      read += recent.length;
      return { recent, total };
    }).subscribe({
      next: async ({ recent, total }) => {
        if (stopped) return;
        if (recent.length + older.length === total) return onVisits([...newestFirst(recent), ...older]);
        const all = await readAll().catch((error: unknown) => void console.error('privacy-lens: reading the log failed', error));
        if (all && !stopped) onVisits(all);
      },
      error: (error: unknown) => console.error('privacy-lens: following the log failed', error),
    });
  }

  void db.visits
    .orderBy('startedAt')
    .reverse()
    .limit(firstPage)
    .toArray()
    .then(async (rows) => {
      read += rows.length;
      if (stopped) return;
      onVisits(rows);
      onFirstPage?.();
      const all = await readAll();
      if (stopped) return;
      onVisits(all);
      follow();
    })
    .catch((error: unknown) => console.error('privacy-lens: reading the log failed', error));

  return {
    stop() {
      stopped = true;
      subscription?.unsubscribe();
    },
    rowsRead: () => read,
  };
}
