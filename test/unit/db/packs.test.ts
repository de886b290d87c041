import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createLogWriter, openLog, type Observation, type RequestPack } from '@/lib/db';
import fc from 'fast-check';
import { createLoggedRowsCounter, PACK_SIZE, packBatch, deleteVisitsPacks, packWithout, recoveredOccurrence, rewriteSharedPacks, unpackObservations, visitObservations, visitsObservations } from '@/lib/db/packs';
import { recoveredKey } from '@/lib/observe/reconcile';
import { addObservations, storedObservations } from './log-rows';

function observation(id: string, patch: Partial<Observation> = {}): Observation {
  return { id, visitId: 'v1', at: 1, entryId: 'meta-pixel', host: 'www.facebook.com', url: 'https://www.facebook.com/tr/', kind: 'hit', type: 'image', method: 'GET', frameId: 0, source: 'network', ...patch };
}

describe('request packs', () => {
  it('packs one write of the log into one row, each visit\'s requests together, with the entries they went to', () => {
    const packs = packBatch(
      [observation('v1:r1', { at: 7 }), observation('v2:r1', { visitId: 'v2', entryId: null, host: 'static.hotjar.com' }), observation('v1:r2', { at: 5, entryId: 'google-analytics' })],
      new Set(['v1:r2']),
    );
    expect(packs).toEqual([
      {
        visitIds: ['v1', 'v2'],
        at: 1,
        entryIds: ['meta-pixel', 'google-analytics'],
        observations: [
          // The first visit's requests name none; the others theirs by place.
          { ...observation('v1:r1', { at: 7 }), visitId: undefined },
          expect.objectContaining({ id: 'v1:r2', amend: true }),
          expect.objectContaining({ id: 'v2:r1', visit: 1 }),
        ],
      },
    ]);
    expect(packs[0]!.observations.map((o) => 'visitId' in o || ('visit' in o && o.visit === 0))).toEqual([false, false, false]);
    expect(unpackObservations([{ ...packs[0]!, seq: 1 }]).map((row) => [row.id, row.visitId])).toEqual([
      ['v2:r1', 'v2'],
      ['v1:r2', 'v1'],
      ['v1:r1', 'v1'],
    ]);
  });

  it(`fills packs to ${PACK_SIZE} requests, a visit's carried over to the next`, () => {
    const rows = [
      ...Array.from({ length: PACK_SIZE - 2 }, (_, n) => observation(`v1:r${n}`, { at: n })),
      ...Array.from({ length: 5 }, (_, n) => observation(`v2:r${n}`, { visitId: 'v2', at: 1_000 + n, entryId: 'google-ads' })),
    ];
    const packs = packBatch(rows, new Set());
    expect(packs.map((p) => [p.visitIds, p.observations.length, p.entryIds, p.at])).toEqual([
      [['v1', 'v2'], PACK_SIZE, ['meta-pixel', 'google-ads'], 0],
      [['v2'], 3, ['google-ads'], 1_002],
    ]);
    const read = unpackObservations(packs.map((p, seq) => ({ ...p, seq })));
    expect(read).toEqual(rows);
    expect(unpackObservations(packs.map((p, seq) => ({ ...p, seq })), new Set(['v2']))).toEqual(rows.slice(PACK_SIZE - 2));
  });

  it('reads any mix of visits back as they were queued, each visit on its own', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('v1', 'v2', 'v3', 'v10'), fc.integer({ min: 0, max: 5_000 })), { maxLength: 1_200 }), (picks) => {
        const rows = picks.map(([visitId, at], n) => observation(`${visitId}:r${n}`, { visitId, at }));
        const packs = packBatch(rows, new Set()).map((p, seq) => ({ ...p, seq }));
        expect(packs.every((p) => p.observations.length <= PACK_SIZE)).toBe(true);
        const byTime = (list: Observation[]) => [...list].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
        expect(byTime(unpackObservations(packs))).toEqual(byTime(rows));
        for (const visitId of ['v1', 'v2', 'v3', 'v10']) expect(byTime(unpackObservations(packs, new Set([visitId])))).toEqual(byTime(rows.filter((r) => r.visitId === visitId)));
      }),
      { numRuns: 60 },
    );
  });

  describe('a pack without some of its visits', () => {
    const pack = { ...packBatch([observation('v1:r1', { at: 3 }), observation('v2:r1', { visitId: 'v2', at: 2, entryId: 'google-ads' }), observation('v3:r1', { visitId: 'v3', at: 9, entryId: 'aws' })], new Set(['v3:r1']))[0]!, seq: 4 };

    it('keeps its key and the others\' requests, each naming its visit by its new place', () => {
      const rest = packWithout(pack, new Set(['v1']))!;
      expect(rest).toMatchObject({ seq: 4, visitIds: ['v2', 'v3'], at: 2, entryIds: ['google-ads', 'aws'] });
      expect(rest.observations.map((o) => [o.id, o.visit, o.amend])).toEqual([
        ['v2:r1', undefined, undefined],
        ['v3:r1', 1, true],
      ]);
      expect(unpackObservations([rest]).map((row) => [row.id, row.visitId])).toEqual([
        ['v2:r1', 'v2'],
        ['v3:r1', 'v3'],
      ]);
    });

    it('is nothing once every visit in it has gone', () => {
      expect(packWithout(pack, new Set(['v1', 'v2', 'v3', 'v9']))).toBeNull();
    });
  });

  it('reads packs in writing order: a row replaces one with its id, an amendment merges into it', () => {
    // Keys as IndexedDB's key generator hands them out, in writing order.
    const written = (seq: number, [pack]: RequestPack[]) => ({ ...pack!, seq });
    const first = written(7, packBatch([observation('v1:r1', { at: 5, consentMode: { adStorage: 'denied', analyticsStorage: 'denied' } }), observation('v1:r2', { at: 6 })], new Set()));
    const second = written(12, packBatch([observation('v1:r1', { at: 9, status: 200 })], new Set(['v1:r1'])));
    const third = written(100, packBatch([observation('v1:r2', { at: 6, url: 'https://www.facebook.com/tr/?again' })], new Set()));
    // Handed over in any order, as IndexedDB's index on the visit returns them.
    expect(unpackObservations([third, second, first])).toEqual([
      observation('v1:r1', { at: 5, status: 200, consentMode: { adStorage: 'denied', analyticsStorage: 'denied' } }),
      observation('v1:r2', { at: 6, url: 'https://www.facebook.com/tr/?again' }),
    ]);
  });

  it('keeps an amendment whose start never reached the log, and passes over what is not a pack', () => {
    const end = { ...packBatch([observation('v1:r3', { at: 9, status: 204 })], new Set(['v1:r3']))[0]!, seq: 1 };
    // An amendment whose personal data is not a list, as another version might have written it: the start stays.
    const start = { seq: 2, visitIds: ['v1'], at: 1, entryIds: [], observations: [observation('v1:r4', { at: 1 })] };
    const broken = { seq: 3, visitIds: ['v1'], at: 2, entryIds: [], observations: [{ ...observation('v1:r4', { at: 2 }), personalData: 'email', amend: true }] };
    // A request naming a place the pack has no visit at (or no number) is passed over too.
    const misplaced = { seq: 6, visitIds: ['v1'], at: 2, entryIds: [], observations: [{ ...observation('v1:r5'), visit: 1 }, { ...observation('v1:r6'), visit: 'length' }] };
    const unpacked = unpackObservations([end, start, broken, misplaced, null, 'text', { seq: 4, visitIds: ['v1'], observations: 'no' }, { visitIds: ['v1'], observations: [] }, { seq: 7, visitId: 'v1', observations: [observation('v1:r7')] }, { seq: 5, visitIds: ['v1'], observations: [null, { noId: true }] }]);
    expect(unpacked).toEqual([
      observation('v1:r4', { at: 1 }),
      observation('v1:r3', { at: 9, status: 204 }),
    ]);
  });

  describe('a request the page\'s report recovered and webRequest showed as well', () => {
    const url = 'https://www.facebook.com/tr/?id=1&ev=PageView';
    const recovered = (visitId: string, occurrence: number, patch: Partial<Observation> = {}) =>
      observation(`${visitId}:${recoveredKey(url, occurrence)}`, { visitId, url, source: 'page', type: 'img', at: 10 + occurrence, ...patch });
    const seen = (visitId: string, requestId: string, patch: Partial<Observation> = {}) => observation(`${visitId}:r${requestId}`, { visitId, url, at: 20, ...patch });
    const pack = (seq: number, rows: Observation[]) => packBatch(rows, new Set()).map((p) => ({ ...p, seq }));
    const ids = (packs: RequestPack[]) => unpackObservations(packs).map((row) => row.id);

    it('reads as one row, whichever was written first', () => {
      // Under load, Firefox delivered the report first: the recovered row, then webRequest's.
      expect(ids([...pack(1, [recovered('v1', 1)]), ...pack(2, [seen('v1', '7')])])).toEqual(['v1:r7']);
      expect(ids([...pack(1, [seen('v1', '7')]), ...pack(2, [recovered('v1', 1)])])).toEqual(['v1:r7']);
      // Its end, written as an amendment, does not bring the recovered row back.
      const end = packBatch([seen('v1', '7', { status: 200 })], new Set(['v1:r7'])).map((p) => ({ ...p, seq: 3 }));
      expect(ids([...pack(1, [recovered('v1', 1)]), ...end])).toEqual(['v1:r7']);
    });

    it('keeps the recovered rows of a URL beyond the number webRequest showed', () => {
      // Three requests to one URL, the events of the last two lost with a stopped worker.
      expect(ids([...pack(1, [seen('v1', '1', { at: 5 })]), ...pack(2, [recovered('v1', 2), recovered('v1', 3)])])).toEqual(['v1:r1', `v1:${recoveredKey(url, 2)}`, `v1:${recoveredKey(url, 3)}`]);
      // All three recovered first, then two of them shown by webRequest: three requests still.
      const rows = unpackObservations([...pack(1, [recovered('v1', 1), recovered('v1', 2), recovered('v1', 3)]), ...pack(2, [seen('v1', '8'), seen('v1', '9')])]);
      expect(rows).toHaveLength(3);
      expect(rows.filter((row) => row.source === 'page').map((row) => row.id)).toEqual([`v1:${recoveredKey(url, 3)}`]);
    });

    it('counts webRequest rows by visit and by URL only', () => {
      const other = 'https://www.facebook.com/tr/?id=1&ev=Purchase';
      const rows = [recovered('v1', 1), seen('v2', '7'), seen('v1', '8', { url: other }), observation('v1:p12.5:https://widget.trustpilot.com/x', { url, source: 'page' })];
      expect(ids(pack(1, rows)).sort()).toEqual([`v1:${recoveredKey(url, 1)}`, 'v1:p12.5:https://widget.trustpilot.com/x', 'v1:r8', 'v2:r7'].sort());
    });
  });

  it('reads the occurrence only from a recovered row\'s id', () => {
    expect(recoveredOccurrence(`v1:${recoveredKey('https://x.example/', 12)}`, 'v1')).toBe(12);
    expect(recoveredOccurrence('v1:rt1:2', 'v1')).toBeNull();
    expect(recoveredOccurrence('v1:p1:https://x.example/', 'v1')).toBeNull();
    expect(recoveredOccurrence(`v2:${recoveredKey('https://x.example/', 1)}`, 'v1')).toBeNull();
    expect(recoveredOccurrence(`v10:${recoveredKey('https://x.example/', 1)}`, 'v1')).toBeNull();
    expect(recoveredOccurrence('v1:tabc:0', 'v1')).toBeNull();
  });

  it('is what the writer writes: a request whose end came in a later write reads as one request', async () => {
    const db = openLog('packs', { indexedDB: new IDBFactory(), IDBKeyRange });
    const writer = createLogWriter(db, { delayMs: 10_000 });
    writer.put('observations', observation('v1:r1', { at: 5 }));
    writer.put('observations', observation('v1:r2', { at: 6 }));
    await writer.flush();
    writer.amend('observations', observation('v1:r1', { at: 8, status: 200 }));
    await writer.flush();
    expect(await db.requestPacks.count()).toBe(2);
    expect(await visitObservations(db, 'v1')).toEqual([observation('v1:r1', { at: 5, status: 200 }), observation('v1:r2', { at: 6 })]);
    expect(await db.requestPacks.orderBy('entryIds').uniqueKeys()).toEqual(['meta-pixel']);
  });
});

describe('several visits read at once', () => {
  it('reads each shared pack once and hands each visit its own requests, in time order', async () => {
    const db = openLog('several', { indexedDB: new IDBFactory(), IDBKeyRange });
    const writer = createLogWriter(db, { delayMs: 10_000 });
    for (const [visitId, at] of [['v1', 9], ['v2', 4], ['v1', 3], ['v3', 1], ['v2', 8]] as const) writer.put('observations', observation(`${visitId}:r${at}`, { visitId, at }));
    await writer.flush();
    writer.amend('observations', observation('v2:r4', { visitId: 'v2', at: 4, status: 204 }));
    await writer.flush();
    const read = await visitsObservations(db, ['v2', 'v1', 'v9']);
    expect([...read.keys()]).toEqual(['v2', 'v1', 'v9']);
    expect(read.get('v1')!.map((row) => row.id)).toEqual(['v1:r3', 'v1:r9']);
    expect(read.get('v2')).toEqual([observation('v2:r4', { visitId: 'v2', at: 4, status: 204 }), observation('v2:r8', { visitId: 'v2', at: 8 })]);
    expect(read.get('v9')).toEqual([]);
    for (const visitId of ['v1', 'v2']) expect(read.get(visitId)).toEqual(await visitObservations(db, visitId));
  });
});

describe('removing visits\' requests', () => {
  /** The two steps in order, as the log's maintenance takes them; what the second kept. */
  const removeVisitsRequests = async (db: ReturnType<typeof openLog>, visitIds: string[]) => {
    await rewriteSharedPacks(db, visitIds);
    return deleteVisitsPacks(db, visitIds);
  };

  it('deletes the packs that held only theirs and rewrites the rest in place, so later amendments still apply', async () => {
    const db = openLog('remove', { indexedDB: new IDBFactory(), IDBKeyRange });
    const writer = createLogWriter(db, { delayMs: 10_000 });
    // One write holding three visits, one holding v2 alone, then v3's request's end.
    for (const visitId of ['v1', 'v2', 'v3']) writer.put('observations', observation(`${visitId}:r1`, { visitId, at: 5, entryId: visitId === 'v3' ? 'aws' : 'meta-pixel' }));
    await writer.flush();
    writer.put('observations', observation('v2:r2', { visitId: 'v2', at: 6 }));
    await writer.flush();
    writer.amend('observations', observation('v3:r1', { visitId: 'v3', at: 7, status: 204, entryId: 'aws' }));
    await writer.flush();
    const [shared] = await db.requestPacks.toArray();
    expect(shared!.visitIds).toEqual(['v1', 'v2', 'v3']);

    await removeVisitsRequests(db, ['v2', 'v1']);
    const packs = await db.requestPacks.toArray();
    expect(packs.map((p) => [p.seq, p.visitIds, p.entryIds])).toEqual([
      [shared!.seq, ['v3'], ['aws']],
      [shared!.seq! + 2, ['v3'], ['aws']],
    ]);
    expect(await visitObservations(db, 'v3')).toEqual([observation('v3:r1', { visitId: 'v3', at: 5, status: 204, entryId: 'aws' })]);
    expect(await visitObservations(db, 'v2')).toEqual([]);
    expect(await db.requestPacks.orderBy('entryIds').uniqueKeys()).toEqual(['aws']);
    await removeVisitsRequests(db, ['v3']);
    expect(await db.requestPacks.count()).toBe(0);
  });

  it('reads and rewrites a long log a step at a time, and lets go of a pack it cannot read', async () => {
    const db = openLog('remove-many', { indexedDB: new IDBFactory(), IDBKeyRange });
    const visitIds = Array.from({ length: 250 }, (_, n) => `v${n}`);
    await db.requestPacks.bulkAdd(visitIds.map((visitId) => ({ visitIds: [visitId, 'kept'], at: 1, entryIds: [], observations: [observation(`${visitId}:r`, { visitId: undefined }), { ...observation('kept:r', { visitId: undefined }), visit: 1 }] })));
    await db.requestPacks.add({ visitIds: ['v0'], observations: 'not a list' } as unknown as RequestPack);
    expect(await removeVisitsRequests(db, visitIds)).toEqual(new Set());
    const packs = await db.requestPacks.toArray();
    expect(packs).toHaveLength(250);
    expect(packs.every((p) => p.visitIds.length === 1 && p.visitIds[0] === 'kept' && p.observations.length === 1)).toBe(true);
  });

  it('only deletes, when the shared packs were not written again, and says which visits kept their requests', async () => {
    const db = openLog('remove-refused', { indexedDB: new IDBFactory(), IDBKeyRange });
    await db.requestPacks.bulkAdd([
      ...packBatch([observation('v1:r1'), observation('v2:r1', { visitId: 'v2' })], new Set()),
      ...packBatch([observation('v1:r2', { at: 2 })], new Set()),
      ...packBatch([observation('v3:r1', { visitId: 'v3' })], new Set()),
    ]);
    expect(await deleteVisitsPacks(db, ['v1', 'v3'])).toEqual(new Set(['v1']));
    expect((await storedObservations(db)).map((row) => row.id)).toEqual(['v1:r1', 'v2:r1']);
  });
});

describe('createLoggedRowsCounter', () => {
  const row = (id: string, url: string, visitId = 'v1'): Observation => ({ id, visitId, at: 1, entryId: null, host: 'x', url, kind: 'other', type: 'script', method: 'GET', frameId: 0, source: 'page' });

  it('answers a burst of recovered requests with one write and one read of the visit, each URL its own count', async () => {
    const db = openLog('counter-burst', { indexedDB: new IDBFactory(), IDBKeyRange });
    await addObservations(db, [row('a1', 'https://x/a'), row('a2', 'https://x/a'), row('b1', 'https://x/b'), row('c1', 'https://x/a', 'v2')]);
    let flushes = 0;
    const loggedRows = createLoggedRowsCounter(db, async () => void flushes++);
    const asks = ['https://x/a', 'https://x/b', 'https://x/c', ...Array.from({ length: 50 }, () => 'https://x/a')].map((url) => loggedRows('v1', url));
    expect(await Promise.all(asks)).toEqual([2, 1, 0, ...Array.from({ length: 50 }, () => 2)]);
    expect(flushes).toBe(1);
    // Another visit is a read of its own.
    expect(await loggedRows('v2', 'https://x/a')).toBe(1);
    expect(flushes).toBe(2);
  });

  it('reads again once the last read has answered, so it sees what was written since', async () => {
    const db = openLog('counter-again', { indexedDB: new IDBFactory(), IDBKeyRange });
    await addObservations(db, [row('a1', 'https://x/a')]);
    const loggedRows = createLoggedRowsCounter(db, async () => undefined);
    expect(await loggedRows('v1', 'https://x/a')).toBe(1);
    await addObservations(db, [row('a2', 'https://x/a')]);
    expect(await loggedRows('v1', 'https://x/a')).toBe(2);
  });

  it('passes a failed write on to every ask of the burst', async () => {
    const db = openLog('counter-fail', { indexedDB: new IDBFactory(), IDBKeyRange });
    const loggedRows = createLoggedRowsCounter(db, () => Promise.reject(new Error('disk')));
    const results = await Promise.allSettled([loggedRows('v1', 'https://x/a'), loggedRows('v1', 'https://x/b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
