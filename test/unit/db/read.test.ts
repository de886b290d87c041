import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openLog } from '@/lib/db';
import { readCookie, readObservation, readRows } from '@/lib/db/read';
import { visitFromLog } from '@/lib/report/from-log';
import { pageReport } from '@/lib/report/build';
import { addObservations } from './log-rows';

const row = { id: 'v:r1', visitId: 'v', at: 5, host: 'www.facebook.com', url: 'https://www.facebook.com/tr/?id=1&ev=PageView', kind: 'hit', type: 'image', method: 'GET', frameId: 0, source: 'network' };

describe('reading log rows back', () => {
  it('keeps a row whose entry the catalog no longer has, and says which it was', () => {
    expect(readObservation({ ...row, entryId: 'meta-pixel' })).toMatchObject({ entryId: 'meta-pixel' });
    expect(readObservation({ ...row, entryId: 'snapchat-pixel' })).toMatchObject({ entryId: null, retiredEntry: 'snapchat-pixel' });
    expect(readCookie({ id: 'c', visitId: 'v', entryId: 'old-entry', name: '_x', domain: 'mijnliefsteboek.nl', value: '1', at: 1, change: 'set' })).toMatchObject({ entryId: null, retiredEntry: 'old-entry' });
  });

  it('leaves out what is not a row at all', () => {
    expect(readRows([{ ...row, entryId: null }, { id: 3 }, null, '<script>', { ...row, at: 'late' }], readObservation)).toHaveLength(1);
  });

  it('turns a visit of an older log with a retired entry into a report without throwing', async () => {
    const db = openLog('read', { indexedDB: new IDBFactory(), IDBKeyRange });
    const visit = { id: 'v', tabId: 1, url: 'https://www.mijnliefsteboek.nl/', startedAt: 1 };
    await db.visits.add(visit);
    await addObservations(db, [
      { ...row, entryId: 'meta-pixel' },
      { ...row, id: 'v:r2', at: 6, entryId: 'snapchat-pixel' as never, host: 'tr.snapchat.com', url: 'https://tr.snapchat.com/p' },
    ] as never);
    await db.cookies.add({ id: 'c1', visitId: 'v', entryId: 'snapchat-pixel' as never, name: '_scid', domain: 'mijnliefsteboek.nl', value: 'x', at: 2, change: 'set' });
    const page = pageReport(await visitFromLog(db, visit), null);
    expect(page.trackers.map((t) => t.id)).toEqual(['meta-pixel']);
    expect(page.observations!.map((o) => [o.trackerId, o.retiredEntry ?? null])).toEqual([
      ['meta-pixel', null],
      [null, 'snapchat-pixel'],
    ]);
  });
});
