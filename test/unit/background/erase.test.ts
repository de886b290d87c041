import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { eraseLocalData } from '@/lib/background/erase';
import { createLogWriter, openLog } from '@/lib/db';
import { eraseThroughBackground } from '@/lib/history';
import { makeObserver, memoryArea, request } from '../observe/fakes';
import { storedObservations } from '../db/log-rows';

/** The background's parts as it wires them: the real writer with its journal, in the tab store's area. */
function background() {
  const db = openLog('erase', { indexedDB: new IDBFactory(), IDBKeyRange });
  const session = Object.assign(memoryArea(), { clear: async () => void Object.keys(session.data).forEach((key) => delete session.data[key]) });
  const writer = createLogWriter(db, { delayMs: 10_000, journal: session, journalSpacingMs: 10_000 });
  const { observer, store } = makeObserver(session, { writer, storeOptions: { saveWith: (items) => writer.journalNow(items) } });
  return { db, session, writer, observer, store };
}

describe('erasing everything in the background', () => {
  it('leaves no row behind: neither those on disk, nor those queued, nor what an open tab logs afterwards', async () => {
    const { db, session, writer, observer, store } = background();
    await store.ready;
    observer.requestStarted(request('https://www.mijnliefsteboek.nl/', { type: 'main_frame' }));
    observer.requestStarted(request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image' }));
    await writer.flush();
    // The next request's row waits in the queue (a second, in the background) when the erase comes.
    observer.requestStarted(request('https://www.facebook.com/tr/?id=1&ev=ViewContent', { type: 'image' }));
    await store.saved();
    expect(Object.keys(session.data).some((key) => key.startsWith('tab:'))).toBe(true);

    await eraseLocalData({ store, observer, writer, log: () => db, areas: [session] });

    // The open tab goes on loading: nothing of it is logged until it loads a page again.
    observer.requestStarted(request('https://www.facebook.com/tr/?id=1&ev=AddToCart', { type: 'image' }));
    await writer.flush();
    await store.flush();
    expect(await db.visits.count()).toBe(0);
    expect(await storedObservations(db)).toEqual([]);
    expect(store.all()).toEqual([]);
    expect(session.data).toEqual({});

    // A page loaded after the erase is a visit of its own, logged as ever.
    observer.requestStarted(request('https://www.mijnliefsteboek.nl/checkout', { type: 'main_frame' }));
    await writer.flush();
    expect((await db.visits.toArray()).map((visit) => visit.url)).toEqual(['https://www.mijnliefsteboek.nl/checkout']);
  });
});

describe('erasing while a recovered request waits for the log', () => {
  it('logs no row for it when the log answers after the erase gave up waiting', async () => {
    const db = openLog('erase-recovery', { indexedDB: new IDBFactory(), IDBKeyRange });
    const session = Object.assign(memoryArea(), { clear: async () => void Object.keys(session.data).forEach((key) => delete session.data[key]) });
    const writer = createLogWriter(db, { delayMs: 10_000, journal: session, journalSpacingMs: 10 });
    let answer!: (rows: number) => void;
    const { observer, store } = makeObserver(session, {
      writer,
      storeOptions: { saveWith: (items) => writer.journalNow(items) },
      // The log is slow to say whether it holds the recovered request (a large log, a busy disk).
      loggedRows: () => new Promise<number>((resolve) => (answer = resolve)),
    });
    await store.ready;
    observer.requestStarted(request('https://www.mijnliefsteboek.nl/', { type: 'main_frame' }));
    // The page's report holds a Meta hit no running worker saw: it is recovered, its row waits for the log.
    observer.pageResources(7, [{ url: 'https://www.facebook.com/tr/?id=1&ev=PageView', initiatorType: 'img', startTime: 10, seq: 1 }], 'p1');
    expect(observer.recovering()).toBe(true);

    // The erase waits for the log's answer 3 s at most (RECOVERY_HOLD_MS), then erases.
    await eraseLocalData({ store, observer, writer, log: () => db, areas: [session] });
    answer(0);
    await observer.recovered();
    await writer.flush();
    expect(session.data).toEqual({});
    expect(await storedObservations(db)).toEqual([]);
  }, 15_000);
});

describe('the history page asking the background to erase', () => {
  it('leaves it to the background when it says it erased', async () => {
    let erasedHere = false;
    const by = await eraseThroughBackground(async () => true, async () => void (erasedHere = true));
    expect(by).toBe('background');
    expect(erasedHere).toBe(false);
  });

  it('asks again after an answer of nothing, then erases from the page', async () => {
    let asked = 0;
    let erasedHere = false;
    const by = await eraseThroughBackground(
      async () => void asked++,
      async () => void (erasedHere = true),
    );
    expect([by, asked, erasedHere]).toEqual(['page', 2, true]);
  });

  it('erases from the page when the background fails or does not answer in time', async () => {
    expect(await eraseThroughBackground(() => Promise.reject(new Error('no receiver')), async () => undefined)).toBe('page');
    expect(await eraseThroughBackground(() => new Promise(() => {}), async () => undefined, 20)).toBe('page');
  });
});
