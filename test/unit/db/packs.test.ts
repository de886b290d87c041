import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createLogWriter, openLog, type Observation } from '@/lib/db';
import { packBatch, packClock, unpackObservations, visitObservations } from '@/lib/db/packs';

function observation(id: string, patch: Partial<Observation> = {}): Observation {
  return { id, visitId: 'v1', at: 1, entryId: 'meta-pixel', host: 'www.facebook.com', url: 'https://www.facebook.com/tr/', kind: 'hit', type: 'image', method: 'GET', frameId: 0, source: 'network', ...patch };
}

describe('request packs', () => {
  it('packs one write of the log into one row per visit, with the entries its requests went to', () => {
    const packs = packBatch(
      [observation('v1:r1', { at: 7 }), observation('v2:r1', { visitId: 'v2', entryId: null, host: 'static.hotjar.com' }), observation('v1:r2', { at: 5, entryId: 'google-analytics' })],
      new Set(['v1:r2']),
      'w1',
    );
    expect(packs).toEqual([
      {
        id: 'v1:w1',
        visitId: 'v1',
        at: 5,
        entryIds: ['meta-pixel', 'google-analytics'],
        observations: [expect.not.objectContaining({ visitId: 'v1' }), expect.objectContaining({ id: 'v1:r2', amend: true })],
      },
      { id: 'v2:w1', visitId: 'v2', at: 1, entryIds: [], observations: [expect.objectContaining({ id: 'v2:r1' })] },
    ]);
  });

  it('names packs so that they sort in the order they were written, within a moment and across moments', () => {
    let now = 1_764_000_000_000;
    const clock = packClock(() => now);
    const names = [clock(), clock(), clock()];
    now += 1;
    names.push(clock());
    now = 1_864_000_000_000;
    names.push(clock());
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });

  it('reads packs in writing order: a row replaces one with its id, an amendment merges into it', () => {
    const first = packBatch([observation('v1:r1', { at: 5, consentMode: { adStorage: 'denied', analyticsStorage: 'denied' } }), observation('v1:r2', { at: 6 })], new Set(), 'a');
    const second = packBatch([observation('v1:r1', { at: 9, status: 200 })], new Set(['v1:r1']), 'b');
    const third = packBatch([observation('v1:r2', { at: 6, url: 'https://www.facebook.com/tr/?again' })], new Set(), 'c');
    // Handed over in any order, as IndexedDB's index on the visit returns them.
    expect(unpackObservations([third[0], second[0], first[0]])).toEqual([
      observation('v1:r1', { at: 5, status: 200, consentMode: { adStorage: 'denied', analyticsStorage: 'denied' } }),
      observation('v1:r2', { at: 6, url: 'https://www.facebook.com/tr/?again' }),
    ]);
  });

  it('keeps an amendment whose start never reached the log, and passes over what is not a pack', () => {
    const [end] = packBatch([observation('v1:r3', { at: 9, status: 204 })], new Set(['v1:r3']), 'a');
    expect(unpackObservations([end, null, 'text', { id: 'v1:x', visitId: 'v1', observations: 'no' }, { id: 'v1:y', visitId: 'v1', observations: [null, { noId: true }] }])).toEqual([
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
