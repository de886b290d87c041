import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createLogWriter, openLog } from '@/lib/db';
import { CLOUDFRONT_HEADERS, makeObserver, memoryArea, request } from './fakes';
import { storedObservation } from '../db/log-rows';

/** The observer over the real log writer and a real (fake-indexeddb) database: what the browser runs. */
function observerOnRealLog() {
  const db = openLog('observer-log', { indexedDB: new IDBFactory(), IDBKeyRange });
  const writer = createLogWriter(db, { delayMs: 10_000 });
  const { observer, store } = makeObserver(memoryArea(), { writer });
  return { db, writer, store, observer };
}

describe('observer and the real log writer', () => {
  it('keeps a request’s start when its end reaches the log in a later batch', async () => {
    const { db, writer, store, observer } = observerOnRealLog();
    await store.ready;
    const page = request('https://www.mijnliefsteboek.nl/', { type: 'main_frame' });
    observer.requestStarted(page);
    observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    const hit = request('https://region1.google-analytics.com/g/collect?v=2&tid=G-1&gcs=G100&gcd=13p3p3p3p5&em=sanne%40voorbeeld.nl', { type: 'ping', timeStamp: 5_000 });
    observer.requestStarted(hit);
    // A tracker slower than one batch: the start is on disk before the end arrives.
    await writer.flush();
    observer.requestEnded({ ...hit, timeStamp: 5_400, statusCode: 204 });
    await writer.flush();
    const row = await storedObservation(db, `${store.get(7)!.visitId}:r${hit.requestId}`);
    expect(row).toMatchObject({ at: 5_000, status: 204, entryId: 'google-analytics', consentMode: { analyticsStorage: 'denied', adStorage: 'denied' } });
    expect(row?.personalData).toEqual([{ kind: 'email', where: 'em' }]);
  });

  it('writes an end whose start it never saw (a stopped worker) as a row of its own', async () => {
    const { db, writer, store, observer } = observerOnRealLog();
    await store.ready;
    observer.requestStarted(request('https://www.mijnliefsteboek.nl/', { type: 'main_frame' }));
    const hit = request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image', timeStamp: 6_000 });
    observer.requestEnded({ ...hit, statusCode: 200 });
    await writer.flush();
    expect(await storedObservation(db, `${store.get(7)!.visitId}:r${hit.requestId}`)).toMatchObject({ at: 6_000, status: 200, entryId: 'meta-pixel' });
  });
});
