import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openLog, type Visit, type VisitSummary } from '@/lib/db';
import { eraseEverything, filterVisits, parseRetention, pruneLog } from '@/lib/history';
import { makeRoom } from '@/lib/history/maintenance';
import { dexie } from '@/lib/db/dexie';
import { putHarFile } from '@/lib/har/inbox';
import { addObservations, storedObservations } from '../db/log-rows';

const day = 86_400_000;
const NOW = new Date(2026, 10, 25, 12, 0).getTime();

function visit(id: string, daysAgo: number, url: string, trackers: VisitSummary['trackers'], promises?: VisitSummary['promises']): Visit {
  return { id, tabId: 1, url, startedAt: NOW - daysAgo * day, summary: { trackers, unlistedHosts: 0, findings: [], consent: null, worst: null, ...(promises ? { promises } : {}) } };
}

const VISITS = [
  visit('a', 0, 'https://www.mijnliefsteboek.nl/', { 'meta-pixel': 'before-choice', 'google-analytics': 'denied-ping', aws: 'necessary' }, { 'no-sharing-without-consent': 'broken', 'meta-unfinished-purchase-only': 'broken', 'ga-anonymised': 'kept' }),
  visit('b', 3, 'https://www.mijnliefsteboek.nl/checkout', { adyen: 'necessary', aws: 'necessary' }, { 'no-sharing-without-consent': 'kept', 'aws-in-the-eu': 'unknown' }),
  visit('c', 40, 'https://www.mijnliefsteboek.nl/boeken/noor', { 'google-analytics': 'consented', 'meta-pixel': 'consented' }, { 'ga-anonymised': 'broken' }),
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
    // Broken promises; a visit logged before promises were judged (d) has none to match.
    [{ promise: 'any' as const }, ['a', 'c']],
    [{ promise: 'ga-anonymised' as const }, ['c']],
    [{ promise: 'aws-in-the-eu' as const }, []],
    [{ promise: 'meta-unfinished-purchase-only' as const, company: 'Meta Platforms Ireland Limited' }, ['a']],
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
    await addObservations(db, VISITS.map((v) => ({ id: `${v.id}:r1`, visitId: v.id, at: v.startedAt, entryId: null, host: 'x', url: 'x', kind: 'other' as const, type: 'script', method: 'GET', frameId: 0, source: 'page' as const })));
    await db.rightsRequests.add({ id: 'r', type: 'access', channel: 'email-dpo', language: 'nl', sentAt: NOW - 500 * day, timeZone: 'Europe/Amsterdam', subject: 's', body: 'b', recipient: 'dpo@mybestbook.com', status: 'sent', followUps: [], notes: '', updatedAt: 0 });
    expect(await pruneLog(db, 30, NOW)).toBe(2);
    expect((await db.visits.toArray()).map((v) => v.id).sort()).toEqual(['a', 'b']);
    expect((await storedObservations(db)).length).toBe(2);
    expect(await db.rightsRequests.count()).toBe(1);
    expect(await pruneLog(db, 0, NOW)).toBe(0);
    // A HAR file the background never took out of its inbox (a worker that stopped): it holds every
    // cookie and request of its capture.
    await putHarFile(new Blob(['{"log":{"version":"1.2","entries":[]}}']));
    await eraseEverything(db, []);
    expect(await db.visits.count()).toBe(0);
    expect(await db.rightsRequests.count()).toBe(0);
    const inbox = new (dexie())('privacy-lens-har-inbox');
    inbox.version(1).stores({ files: 'id, at' });
    expect(await inbox.table('files').count()).toBe(0);
    inbox.close();
  });

  it('prunes what only deletes when a full disk refuses to write a shared pack again, and the rest on a later prune', async () => {
    const db = openLog('h-full', { indexedDB: new IDBFactory(), IDBKeyRange });
    const [recent, , old, older] = VISITS;
    await db.visits.bulkAdd(VISITS);
    const row = (visitId: string) => ({ id: `${visitId}:r1`, visitId, at: NOW, entryId: null, host: 'x', url: 'x', kind: 'other' as const, type: 'script', method: 'GET', frameId: 0, source: 'page' as const });
    // One write held the old visit's request and a recent one's; the older visit's went alone.
    await addObservations(db, [row(old!.id), row(recent!.id)]);
    await addObservations(db, [row(older!.id)]);
    await db.cookies.bulkAdd([old!, older!].map((v) => ({ id: `${v.id}|c`, visitId: v.id, entryId: 'meta-pixel' as const, name: '_fbp', domain: 'mijnliefsteboek.nl', value: 'x', at: NOW, change: 'set' as const })));
    const bulkPut = db.requestPacks.bulkPut.bind(db.requestPacks);
    db.requestPacks.bulkPut = (() => Promise.reject(new DOMException('The disk is full', 'QuotaExceededError'))) as unknown as typeof bulkPut;
    expect(await pruneLog(db, 30, NOW)).toBe(1);
    expect((await db.visits.toArray()).map((v) => v.id).sort()).toEqual(['a', 'b', 'c']);
    expect((await storedObservations(db)).map((o) => o.visitId).sort()).toEqual(['a', 'c']);
    expect((await db.cookies.toArray()).map((c) => c.visitId)).toEqual(['c']);
    db.requestPacks.bulkPut = bulkPut;
    expect(await pruneLog(db, 30, NOW)).toBe(1);
    expect((await db.visits.toArray()).map((v) => v.id).sort()).toEqual(['a', 'b']);
    expect((await storedObservations(db)).map((o) => o.id)).toEqual(['a:r1']);
    expect(await db.cookies.count()).toBe(0);
  });

  it.each([[30, 30], [0, 0], [7, 365], ['90', 365], [null, 365]])('retention %j reads as %j', (raw, expected) => {
    expect(parseRetention(raw)).toBe(expected);
  });
});

describe('making room on a full disk', () => {
  it('frees request detail on every call until none is left, oldest visits first, and keeps the visits', async () => {
    const db = openLog('room', { indexedDB: new IDBFactory(), IDBKeyRange });
    const visits = Array.from({ length: 20 }, (_, i) => visit(`v${String(i).padStart(2, '0')}`, 20 - i, 'https://www.mijnliefsteboek.nl/', {}));
    await db.visits.bulkAdd(visits);
    await addObservations(
      db,
      visits.flatMap((v) => [1, 2, 3].map((n) => ({ id: `${v.id}:r${n}`, visitId: v.id, at: v.startedAt + n, entryId: null, host: 'x', url: 'x', kind: 'other' as const, type: 'script', method: 'GET', frameId: 0, source: 'page' as const }))),
    );
    const freed: number[] = [];
    for (let call = 0; call < 12; call++) freed.push(await makeRoom(db, 0, NOW));
    // Two visits' detail (a tenth of twenty) per call, oldest first, until nothing is left to free.
    expect(freed).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0]);
    expect(await db.visits.count()).toBe(20);
    const left = async () => (await storedObservations(db)).map((o) => o.visitId);
    expect(await left()).toEqual([]);
  });

  it('takes the oldest visits that still hold detail, not the oldest visits', async () => {
    const db = openLog('room2', { indexedDB: new IDBFactory(), IDBKeyRange });
    const visits = Array.from({ length: 10 }, (_, i) => visit(`v${i}`, 10 - i, 'https://www.mijnliefsteboek.nl/', {}));
    await db.visits.bulkAdd(visits);
    // The five oldest lost their detail already.
    await addObservations(db, visits.slice(5).map((v) => ({ id: `${v.id}:r`, visitId: v.id, at: v.startedAt, entryId: null, host: 'x', url: 'x', kind: 'other' as const, type: 'script', method: 'GET', frameId: 0, source: 'page' as const })));
    expect(await makeRoom(db, 0, NOW)).toBe(1);
    expect((await storedObservations(db)).map((o) => o.visitId)).toEqual(['v6', 'v7', 'v8', 'v9']);
  });
});
