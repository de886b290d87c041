import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createLogWriter, mergeObservation, openLog, type Observation } from '@/lib/db';

function freshLog() {
  return openLog('test-log', { indexedDB: new IDBFactory(), IDBKeyRange });
}

function observation(id: string, patch: Partial<Observation> = {}): Observation {
  return { id, visitId: 'v1', at: 1, entryId: 'meta-pixel', host: 'www.facebook.com', url: 'https://www.facebook.com/tr/', kind: 'hit', type: 'image', method: 'GET', frameId: 0, source: 'network', ...patch };
}

describe('log writer', () => {
  it('writes queued rows in one transaction per flush, merging a request start and end', async () => {
    const db = freshLog();
    const writer = createLogWriter(db, { delayMs: 10_000 });
    writer.put('visits', { id: 'v1', tabId: 1, url: 'https://www.mijnliefsteboek.nl/', startedAt: 1 });
    writer.put('observations', observation('v1:r1', { at: 5 }));
    writer.put('observations', observation('v1:r1', { at: 9, status: 200 }));
    writer.put('cookies', { id: 'c', visitId: 'v1', entryId: 'meta-pixel', name: '_fbp', domain: 'mijnliefsteboek.nl', value: 'fb.1', at: 2, change: 'set' });
    expect(writer.pending()).toBe(3);
    let transactions = 0;
    db.on('ready', () => undefined);
    const original = db.transaction.bind(db);
    (db as unknown as { transaction: typeof db.transaction }).transaction = ((...args: Parameters<typeof db.transaction>) => {
      transactions++;
      return original(...args);
    }) as typeof db.transaction;
    await writer.flush();
    expect(transactions).toBe(1);
    expect(await db.observations.get('v1:r1')).toMatchObject({ at: 5, status: 200 });
    expect(await db.visits.count()).toBe(1);
    expect(await db.cookies.count()).toBe(1);
  });

  it('merges an end into its start: the start’s time, Consent Mode and body’s personal data stay, the end’s status and URL findings join', () => {
    const start = observation('v1:r1', { at: 5, consentMode: { adStorage: 'denied', analyticsStorage: 'denied' }, personalData: [{ kind: 'email', where: 'body' }] });
    const end = observation('v1:r1', { at: 9, status: 204, consentMode: { adStorage: 'granted', analyticsStorage: 'granted' }, personalData: [{ kind: 'email', where: 'em' }, { kind: 'email', where: 'body' }] });
    expect(mergeObservation(start, end)).toMatchObject({ at: 5, status: 204, consentMode: { adStorage: 'denied' }, personalData: [{ kind: 'email', where: 'body' }, { kind: 'email', where: 'em' }] });
  });

  it('flushes by itself after the delay, and at once when the queue is full', async () => {
    const db = freshLog();
    const writer = createLogWriter(db, { delayMs: 5, maxQueued: 10 });
    writer.put('observations', observation('a'));
    await new Promise((r) => setTimeout(r, 50));
    expect(await db.observations.count()).toBe(1);
    for (let i = 0; i < 10; i++) writer.put('observations', observation(`b${i}`));
    expect(writer.pending()).toBe(0);
    await writer.flush();
    expect(await db.observations.count()).toBe(11);
  });

  it('keeps later batches working after a failed one', async () => {
    const db = freshLog();
    const writer = createLogWriter(db, { delayMs: 10_000 });
    writer.put('observations', { ...observation('bad'), id: undefined as unknown as string });
    await expect(writer.flush()).rejects.toBeTruthy();
    writer.put('observations', observation('good'));
    await writer.flush();
    expect(await db.observations.get('good')).toBeTruthy();
  });
});

describe('log writer journal (the service worker stopped before a batch was written)', () => {
  function memoryJournal() {
    const data: Record<string, unknown> = {};
    return {
      data,
      get: async () => structuredClone(data),
      set: async (items: Record<string, unknown>) => void Object.assign(data, structuredClone(items)),
      remove: async (keys: string[]) => keys.forEach((k) => delete data[k]),
    };
  }

  it('hands each queued row to the journal in the task that queued it, and the next worker writes it once', async () => {
    const db = freshLog();
    const journal = memoryJournal();
    const stopped = createLogWriter(db, { delayMs: 10_000, journal });
    stopped.put('observations', observation('v1:r1', { at: 5 }));
    stopped.put('observations', observation('v1:r1', { at: 9, status: 200 }));
    await Promise.resolve();
    expect(Object.keys(journal.data)).toEqual(['log-queue|observations|v1:r1']);
    // The worker is stopped here: its queue and timer are gone, the journal is not.
    const next = createLogWriter(db, { delayMs: 10_000, journal });
    next.put('observations', observation('v1:r2', { at: 12 }));
    expect(await next.recovered).toBe(1);
    await next.flush();
    expect(await db.observations.toArray()).toMatchObject([{ id: 'v1:r1', at: 5, status: 200 }, { id: 'v1:r2' }]);
    expect(journal.data).toEqual({});
  });

  it('keeps a newer version of a row queued after the start over the one the journal brings back', async () => {
    const db = freshLog();
    const journal = memoryJournal();
    createLogWriter(db, { journal }).put('observations', observation('v1:r1', { at: 5 }));
    await Promise.resolve();
    const next = createLogWriter(db, { delayMs: 10_000, journal });
    next.put('observations', observation('v1:r1', { at: 9, status: 204 }));
    await next.recovered;
    await next.flush();
    expect(await db.observations.get('v1:r1')).toMatchObject({ at: 5, status: 204 });
  });

  it('merges a journaled request end into the start already on disk, after a stop', async () => {
    const db = freshLog();
    const journal = memoryJournal();
    const first = createLogWriter(db, { delayMs: 10_000, journal });
    first.put('observations', observation('v1:r1', { at: 5, consentMode: { adStorage: 'denied', analyticsStorage: 'denied' } }));
    await first.flush();
    first.amend('observations', observation('v1:r1', { at: 9, status: 200 }));
    await Promise.resolve();
    // Stopped before the end was written: the next worker finds it in the journal.
    const next = createLogWriter(db, { delayMs: 10_000, journal });
    expect(await next.recovered).toBe(1);
    await next.flush();
    expect(await db.observations.get('v1:r1')).toMatchObject({ at: 5, status: 200, consentMode: { analyticsStorage: 'denied' } });
  });

  it('ignores journal entries that are not rows', async () => {
    const db = freshLog();
    const journal = memoryJournal();
    Object.assign(journal.data, { 'log-queue|x|1': { table: 'rightsRequests', row: { id: '1' } }, 'log-queue|y': '<script>', 'tab:1': {} });
    const writer = createLogWriter(db, { journal });
    expect(await writer.recovered).toBe(0);
    expect(await db.rightsRequests.count()).toBe(0);
  });
});
