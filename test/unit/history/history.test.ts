import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openLog, type Visit, type VisitSummary } from '@/lib/db';
import { eraseEverything, filterVisits, parseRetention, pruneLog } from '@/lib/history';

const day = 86_400_000;
const NOW = new Date(2026, 10, 25, 12, 0).getTime();

function visit(id: string, daysAgo: number, url: string, trackers: VisitSummary['trackers']): Visit {
  return { id, tabId: 1, url, startedAt: NOW - daysAgo * day, summary: { trackers, unlistedHosts: 0, findings: [], consent: null, worst: null } };
}

const VISITS = [
  visit('a', 0, 'https://www.mijnliefsteboek.nl/', { 'meta-pixel': 'before-choice', 'google-analytics': 'denied-ping', aws: 'necessary' }),
  visit('b', 3, 'https://www.mijnliefsteboek.nl/checkout', { adyen: 'necessary', aws: 'necessary' }),
  visit('c', 40, 'https://www.mijnliefsteboek.nl/boeken/noor', { 'google-analytics': 'consented', 'meta-pixel': 'consented' }),
  visit('d', 400, 'https://www.mijnliefsteboek.nl/', { 'microsoft-ads': 'against-choice' }),
];

describe('history filters', () => {
  const ids = (filter: Parameters<typeof filterVisits>[1]) => filterVisits(VISITS, filter).map((v) => v.id);
  it.each([
    [{}, ['a', 'b', 'c', 'd']],
    [{ verdict: 'violation' as const }, ['a', 'd']],
    [{ verdict: 'consented' as const }, ['c']],
    [{ company: 'Meta Platforms Ireland Limited' }, ['a', 'c']],
    [{ company: 'Meta Platforms Ireland Limited', verdict: 'violation' as const }, ['a']],
    [{ company: 'Google Ireland Limited', verdict: 'before-choice' as const }, []],
    [{ search: 'checkout' }, ['b']],
    [{ search: 'meta pixel' }, ['a', 'c']],
  ])('%j', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it('filters by calendar day in the user’s time zone, both ends included', () => {
    const date = (daysAgo: number) => {
      const d = new Date(NOW - daysAgo * day);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    expect(ids({ from: date(3), to: date(0) })).toEqual(['a', 'b']);
    expect(ids({ to: date(40) })).toEqual(['c', 'd']);
  });
});

describe('retention and erasure', () => {
  it('prunes old visits with everything under them, never the requests', async () => {
    const db = openLog('h', { indexedDB: new IDBFactory(), IDBKeyRange });
    await db.visits.bulkAdd(VISITS);
    await db.observations.bulkAdd(VISITS.map((v) => ({ id: `${v.id}:r1`, visitId: v.id, at: v.startedAt, entryId: null, host: 'x', url: 'x', kind: 'other' as const, type: 'script', method: 'GET', frameId: 0, source: 'page' as const })));
    await db.rightsRequests.add({ id: 'r', type: 'access', channel: 'email-dpo', language: 'nl', sentAt: NOW - 500 * day, timeZone: 'Europe/Amsterdam', subject: 's', body: 'b', recipient: 'dpo@mybestbook.com', status: 'sent', followUps: [], notes: '', updatedAt: 0 });
    expect(await pruneLog(db, 30, NOW)).toBe(2);
    expect((await db.visits.toArray()).map((v) => v.id).sort()).toEqual(['a', 'b']);
    expect(await db.observations.count()).toBe(2);
    expect(await db.rightsRequests.count()).toBe(1);
    expect(await pruneLog(db, 0, NOW)).toBe(0);
    await eraseEverything(db, []);
    expect(await db.visits.count()).toBe(0);
    expect(await db.rightsRequests.count()).toBe(0);
  });

  it.each([[30, 30], [0, 0], [7, 365], ['90', 365], [null, 365]])('retention %j reads as %j', (raw, expected) => {
    expect(parseRetention(raw)).toBe(expected);
  });
});
