import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { openLog, type LogDatabase, type Visit } from '@/lib/db';
import { followVisits, type FollowedVisits } from '@/lib/history/live-visits';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');

const visit = (id: string, daysAgo: number, url = 'https://www.mijnliefsteboek.nl/'): Visit => ({ id, tabId: 1, url, startedAt: NOW - daysAgo * DAY });

/** A log of `old` visits, one every five days from a month ago back, and `recent` in the last day. */
async function logWith(old: number, recent: number): Promise<LogDatabase> {
  const db = openLog(`live-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  await db.visits.bulkPut([
    ...Array.from({ length: old }, (_, i) => visit(`old-${i}`, 30 + i * 5)),
    ...Array.from({ length: recent }, (_, i) => visit(`new-${i}`, i / (recent + 1))),
  ]);
  return db;
}

/** Follows the log; `next(predicate)` resolves with the first list handed over that satisfies it. */
function follow(db: LogDatabase, options: { firstPage?: number } = {}) {
  const lists: Visit[][] = [];
  let waiting: { test(list: Visit[]): boolean; resolve(list: Visit[]): void } | undefined;
  const followed = followVisits(db, {
    ...options,
    now: () => NOW,
    onVisits: (list) => {
      lists.push(list);
      if (waiting?.test(list)) waiting.resolve(list);
    },
  });
  const next = (test: (list: Visit[]) => boolean) =>
    new Promise<Visit[]>((resolve) => {
      const done = lists.find(test);
      if (done) resolve(done);
      else waiting = { test, resolve };
    });
  return { followed, lists, next };
}

/** Until the live follow is in place: its first answer has read the window after the whole log. */
function followingNow(followed: FollowedVisits, rowsBefore: number) {
  return new Promise<void>((resolve) => {
    const check = () => (followed.rowsRead() > rowsBefore ? resolve() : setTimeout(check, 5));
    check();
  });
}

let running: FollowedVisits | undefined;
afterEach(() => running?.stop());

describe("the history's visits, following the log", () => {
  it('hands over the newest first page, then the whole log newest first', async () => {
    const db = await logWith(300, 5);
    const { followed, lists, next } = follow(db, { firstPage: 50 });
    running = followed;
    const all = await next((list) => list.length === 305);
    expect(lists[0]).toHaveLength(50);
    expect(lists[0]![0]!.id).toBe('new-0');
    expect(all.map((v) => v.startedAt)).toEqual([...all.map((v) => v.startedAt)].sort((a, b) => b - a));
  });

  it('reads the recent window again on a write, not the whole log', async () => {
    const db = await logWith(3_000, 10);
    const { followed, next } = follow(db);
    running = followed;
    await next((list) => list.length === 3_010);
    await followingNow(followed, 200 + 3_010);
    const before = followed.rowsRead();
    await db.visits.update('new-3', { url: 'https://www.mijnliefsteboek.nl/checkout' });
    const list = await next((l) => l.some((v) => v.id === 'new-3' && v.url.endsWith('/checkout')));
    expect(list).toHaveLength(3_010);
    await db.visits.put(visit('newest', -0.01));
    const grown = await next((l) => l.length === 3_011);
    expect(grown[0]!.id).toBe('newest');
    // Two writes read the window (10 and 11 visits) and counted the table: not 3,000 rows each.
    expect(followed.rowsRead() - before).toBeLessThan(100);
  });

  it('reads everything again when older visits were deleted (retention, erasure)', async () => {
    const db = await logWith(40, 3);
    const { followed, next } = follow(db);
    running = followed;
    await next((list) => list.length === 43);
    await followingNow(followed, 43 + 43);
    // Retention: everything older than 100 days goes (old-15 and older, 25 visits).
    await db.visits.where('startedAt').below(NOW - 100 * DAY).delete();
    const left = await db.visits.count();
    expect(left).toBe(18);
    const list = await next((l) => l.length === left);
    expect(list.every((v) => v.startedAt >= NOW - 100 * DAY)).toBe(true);
    await db.visits.clear();
    expect(await next((l) => l.length === 0)).toEqual([]);
  });

  it('stops handing over lists once stopped', async () => {
    const db = await logWith(5, 1);
    const { followed, lists, next } = follow(db);
    await next((list) => list.length === 6);
    await followingNow(followed, 6 + 6);
    followed.stop();
    const seen = lists.length;
    // A second follower, still following, sees the write: by then the first would have too.
    const witness = follow(db);
    running = witness.followed;
    await witness.next((list) => list.length === 6);
    await db.visits.put(visit('after-stop', -0.01));
    await witness.next((list) => list[0]?.id === 'after-stop');
    expect(lists.length).toBe(seen);
  });
});
