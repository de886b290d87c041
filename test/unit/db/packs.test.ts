import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createLogWriter, openLog, type Observation, type RequestPack } from '@/lib/db';
import { createLoggedRowsCounter, packBatch, unpackObservations, visitObservations } from '@/lib/db/packs';
import { addObservations } from './log-rows';

function observation(id: string, patch: Partial<Observation> = {}): Observation {
  return { id, visitId: 'v1', at: 1, entryId: 'meta-pixel', host: 'www.facebook.com', url: 'https://www.facebook.com/tr/', kind: 'hit', type: 'image', method: 'GET', frameId: 0, source: 'network', ...patch };
}

describe('request packs', () => {
  it('packs one write of the log into one row per visit, with the entries its requests went to', () => {
    const packs = packBatch(
      [observation('v1:r1', { at: 7 }), observation('v2:r1', { visitId: 'v2', entryId: null, host: 'static.hotjar.com' }), observation('v1:r2', { at: 5, entryId: 'google-analytics' })],
      new Set(['v1:r2']),
    );
    expect(packs).toEqual([
      {
        visitId: 'v1',
        at: 5,
        entryIds: ['meta-pixel', 'google-analytics'],
        observations: [expect.not.objectContaining({ visitId: 'v1' }), expect.objectContaining({ id: 'v1:r2', amend: true })],
      },
      { visitId: 'v2', at: 1, entryIds: [], observations: [expect.objectContaining({ id: 'v2:r1' })] },
    ]);
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
    const start = { seq: 2, visitId: 'v1', at: 1, entryIds: [], observations: [observation('v1:r4', { at: 1 })] };
    const broken = { seq: 3, visitId: 'v1', at: 2, entryIds: [], observations: [{ ...observation('v1:r4', { at: 2 }), personalData: 'email', amend: true }] };
    expect(unpackObservations([end, start, broken, null, 'text', { seq: 4, visitId: 'v1', observations: 'no' }, { visitId: 'v1', observations: [] }, { seq: 5, visitId: 'v1', observations: [null, { noId: true }] }])).toEqual([
      observation('v1:r4', { at: 1 }),
      observation('v1:r3', { at: 9, status: 204 }),
    ]);
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
