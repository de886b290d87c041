import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createLogWriter, mergeObservation, openLog, type Observation } from '@/lib/db';
import { storedObservation, storedObservations } from './log-rows';

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
    expect(await storedObservation(db, 'v1:r1')).toMatchObject({ at: 5, status: 200 });
    expect(await db.visits.count()).toBe(1);
    expect(await db.cookies.count()).toBe(1);
  });

  it('asks for the log only when a batch is written: a woken worker opens it on first use', async () => {
    const db = freshLog();
    let asked = 0;
    const writer = createLogWriter(() => (asked++, db), { delayMs: 10_000 });
    writer.put('observations', observation('v1:r1'));
    writer.put('observations', observation('v1:r2'));
    expect(writer.pending()).toBe(2);
    expect(asked).toBe(0);
    await writer.flush();
    expect(asked).toBeGreaterThan(0);
    expect((await storedObservations(db)).map((o) => o.id)).toEqual(['v1:r1', 'v1:r2']);
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
    expect((await storedObservations(db)).length).toBe(1);
    for (let i = 0; i < 10; i++) writer.put('observations', observation(`b${i}`));
    expect(writer.pending()).toBe(0);
    await writer.flush();
    expect((await storedObservations(db)).length).toBe(11);
  });

  it('keeps later batches working after a failed one', async () => {
    const db = freshLog();
    const writer = createLogWriter(db, { delayMs: 10_000 });
    // A value IndexedDB cannot store (it clones what it writes): the whole batch fails.
    writer.put('observations', { ...observation('bad'), url: (() => 'x') as unknown as string });
    await expect(writer.flush()).rejects.toBeTruthy();
    writer.put('observations', observation('good'));
    await writer.flush();
    expect(await storedObservation(db, 'good')).toBeTruthy();
  });

  it('keeps a request whose start failed to be written while its end was queued: the start leads the retry', async () => {
    const db = freshLog();
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    let failures = 1;
    Object.assign(db, { transaction: (...args: unknown[]) => (failures-- > 0 ? Promise.reject(new Error('the disk said no')) : transaction(...args)) });
    const writer = createLogWriter(db, { delayMs: 10_000, retryDelayMs: 10_000, onError: async () => true });
    writer.put('observations', observation('v1:r1', { at: 5, consentMode: { adStorage: 'denied', analyticsStorage: 'denied' } }));
    const failed = writer.flush();
    writer.amend('observations', observation('v1:r1', { at: 9, status: 200 }));
    await expect(failed).rejects.toThrow('the disk said no');
    await writer.flush();
    expect(await storedObservation(db, 'v1:r1')).toMatchObject({ at: 5, status: 200, consentMode: { adStorage: 'denied' } });
  });
});

describe('log writer journal (the service worker stopped before a batch was written)', () => {
  function memoryJournal() {
    const data: Record<string, unknown> = {};
    const sets: Record<string, unknown>[] = [];
    let onSet: (() => void) | undefined;
    return {
      data,
      sets,
      /** Settles at the next `set` (the writer's own journal write). */
      nextSet: () => new Promise<void>((resolve) => (onSet = resolve)),
      get: async () => structuredClone(data),
      set: async (items: Record<string, unknown>) => {
        sets.push(items);
        Object.assign(data, structuredClone(items));
        onSet?.();
      },
      remove: async (keys: string[]) => keys.forEach((k) => delete data[k]),
    };
  }
  const task = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('hands the queued rows to the journal within its spacing, and the next worker writes them once', async () => {
    const db = freshLog();
    const journal = memoryJournal();
    const stopped = createLogWriter(db, { delayMs: 10_000, journal });
    const journaled = journal.nextSet();
    stopped.put('observations', observation('v1:r1', { at: 5 }));
    stopped.put('observations', observation('v1:r1', { at: 9, status: 200 }));
    await journaled;
    expect(Object.keys(journal.data)).toEqual(['log-queue|observations|v1:r1']);
    // The worker is stopped here: its queue and timer are gone, the journal is not.
    const next = createLogWriter(db, { delayMs: 10_000, journal });
    next.put('observations', observation('v1:r2', { at: 12 }));
    expect(await next.recovered).toBe(1);
    await next.flush();
    expect(await storedObservations(db)).toMatchObject([{ id: 'v1:r1', at: 5, status: 200 }, { id: 'v1:r2' }]);
    expect(journal.data).toEqual({});
  });

  it('keeps a newer version of a row queued after the start over the one the journal brings back', async () => {
    const db = freshLog();
    const journal = memoryJournal();
    const journaled = journal.nextSet();
    createLogWriter(db, { journal }).put('observations', observation('v1:r1', { at: 5 }));
    await journaled;
    const next = createLogWriter(db, { delayMs: 10_000, journal });
    next.put('observations', observation('v1:r1', { at: 9, status: 204 }));
    await next.recovered;
    await next.flush();
    expect(await storedObservation(db, 'v1:r1')).toMatchObject({ at: 5, status: 204 });
  });

  it('merges a journaled request end into the start already on disk, after a stop', async () => {
    const db = freshLog();
    const journal = memoryJournal();
    const first = createLogWriter(db, { delayMs: 10_000, journal });
    first.put('observations', observation('v1:r1', { at: 5, consentMode: { adStorage: 'denied', analyticsStorage: 'denied' } }));
    await first.flush();
    const journaled = journal.nextSet();
    first.amend('observations', observation('v1:r1', { at: 9, status: 200 }));
    await journaled;
    // Stopped before the end was written: the next worker finds it in the journal.
    const next = createLogWriter(db, { delayMs: 10_000, journal });
    expect(await next.recovered).toBe(1);
    await next.flush();
    expect(await storedObservation(db, 'v1:r1')).toMatchObject({ at: 5, status: 200, consentMode: { analyticsStorage: 'denied' } });
  });

  it('writes the rows of many tasks in one call, not one call per task', async () => {
    const journal = memoryJournal();
    const writer = createLogWriter(freshLog(), { delayMs: 10_000, journal, journalSpacingMs: 30 });
    const journaled = journal.nextSet();
    for (const id of ['v1:r1', 'v1:r2', 'v1:r3']) {
      writer.put('observations', observation(id, { at: 5 }));
      await task();
    }
    await journaled;
    expect(journal.sets).toHaveLength(1);
    expect(Object.keys(journal.sets[0]!)).toHaveLength(3);
  });

  it('hands its waiting rows to the journal when asked (before a tab-state save), and then has none of its own', async () => {
    const journal = memoryJournal();
    const writer = createLogWriter(freshLog(), { delayMs: 10_000, journal, journalSpacingMs: 10 });
    writer.put('observations', observation('v1:r1', { at: 5 }));
    writer.journalNow();
    expect(journal.sets.map((items) => Object.keys(items))).toEqual([['log-queue|observations|v1:r1']]);
    // Its timer went with the rows: a later row starts a new one, which writes only that row.
    const journaled = journal.nextSet();
    writer.put('observations', observation('v1:r2', { at: 6 }));
    await journaled;
    expect(journal.sets.map((items) => Object.keys(items))).toEqual([['log-queue|observations|v1:r1'], ['log-queue|observations|v1:r2']]);
  });

  it('does not journal a row that reached the disk first, nor keep an older journaled version of it', async () => {
    const db = freshLog();
    const journal = memoryJournal();
    // The journal is written only when the test says (journalNow): a spacing that a slow flush could
    // outlast would journal r1's newer version and r2 before they reach the disk, as it should.
    const writer = createLogWriter(db, { delayMs: 10_000, journal, journalSpacingMs: 60_000 });
    let journaled = journal.nextSet();
    writer.put('observations', observation('v1:r1', { at: 5 }));
    writer.journalNow();
    await journaled;
    writer.put('observations', observation('v1:r1', { at: 5, status: 200 }));
    writer.put('observations', observation('v1:r2', { at: 6 }));
    await writer.flush();
    expect(journal.data).toEqual({});
    journaled = journal.nextSet();
    writer.put('observations', observation('v1:r3', { at: 7 }));
    writer.journalNow();
    await journaled;
    expect(journal.sets.flatMap((items) => Object.keys(items))).toEqual(['log-queue|observations|v1:r1', 'log-queue|observations|v1:r3']);
  });

  /** A log whose transactions wait until the test lets each one go, or fail, in order. */
  function gatedLog() {
    const db = freshLog();
    const gates: { go(): void; fail(error: Error): void }[] = [];
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    (db as unknown as { transaction: unknown }).transaction = (...args: unknown[]) =>
      new Promise<void>((go, fail) => gates.push({ go, fail })).then(() => transaction(...args));
    const next = async () => {
      while (gates.length === 0) await task();
      return gates.shift()!;
    };
    return { db, release: async () => (await next()).go(), fail: async () => (await next()).fail(new Error('QuotaExceededError')) };
  }

  it("keeps a row's newer version in the journal while the batch that holds it is still being written", async () => {
    const { db, release } = gatedLog();
    const journal = memoryJournal();
    const writer = createLogWriter(db, { delayMs: 10_000, journal, journalSpacingMs: 10_000 });
    writer.put('observations', observation('v1:r1', { at: 5 }));
    const first = writer.flush();
    writer.put('observations', observation('v1:r1', { at: 5, status: 200 }));
    writer.journalNow();
    const second = writer.flush();
    await release();
    await first;
    // The second batch is not on disk: the stop of a worker now must find the newer version.
    expect(JSON.parse(journal.data['log-queue|observations|v1:r1'] as string)).toMatchObject({ row: { status: 200 } });
    await release();
    await second;
    expect(journal.data).toEqual({});
    expect(await storedObservation(db, 'v1:r1')).toMatchObject({ status: 200 });
  });

  it('does not put a failed batch back over a newer version of its row queued while it was written', async () => {
    const { db, release, fail } = gatedLog();
    const writer = createLogWriter(db, { delayMs: 10_000, onError: async () => true });
    writer.put('observations', observation('v1:r1', { at: 5 }));
    writer.put('observations', observation('v1:r2', { at: 6 }));
    const first = writer.flush().catch(() => undefined);
    writer.put('observations', observation('v1:r1', { at: 5, status: 200 }));
    const second = writer.flush();
    await fail();
    await first;
    // Only the row nothing newer replaced comes back, and goes with the newer r1 in the next batch.
    await release();
    await second;
    expect(writer.pending()).toBe(0);
    expect(await storedObservation(db, 'v1:r1')).toMatchObject({ status: 200 });
    expect(await storedObservation(db, 'v1:r2')).toMatchObject({ at: 6 });
  });

  it('writes the rows queued while a batch is written in one next batch, however many times the queue filled', async () => {
    const { db, release } = gatedLog();
    const writer = createLogWriter(db, { delayMs: 10_000, maxQueued: 10 });
    writer.put('observations', observation('v1:r0'));
    const first = writer.flush();
    // Five times the queue's size arrives while the first batch is being written.
    const flushes = Array.from({ length: 50 }, (_, i) => {
      writer.put('observations', observation(`v1:r${i + 1}`, { at: i + 1 }));
      return writer.flush();
    });
    expect(writer.pending()).toBe(50);
    await release();
    await first;
    await release();
    await Promise.all(flushes);
    expect(writer.pending()).toBe(0);
    expect(await db.requestPacks.count()).toBe(2);
    expect((await storedObservations(db)).length).toBe(51);
    // A flush with nothing queued resolves with the last batch, and writes nothing more.
    await writer.flush();
    expect(await db.requestPacks.count()).toBe(2);
  });

  it('writes a flood in transactions of at most 5,000 rows, and resolves the flush once all are on disk', async () => {
    const db = freshLog();
    let transactions = 0;
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(db, { transaction: (...args: unknown[]) => (transactions++, transaction(...args)) });
    const writer = createLogWriter(db, { delayMs: 10_000, maxQueued: 100_000 });
    for (let i = 0; i < 12_000; i++) writer.put('observations', observation(`v${i % 3}:r${i}`, { visitId: `v${i % 3}`, at: i }));
    await writer.flush();
    expect(transactions).toBe(3);
    expect(writer.pending()).toBe(0);
    expect((await storedObservations(db)).length).toBe(12_000);
  });

  it('resolves a flush only once its rows are on disk when a caller starts a batch the moment the last one lands', async () => {
    const db = freshLog();
    const writer = createLogWriter(db, { delayMs: 10_000 });
    writer.put('observations', observation('v1:r1'));
    const first = writer.flush();
    writer.put('observations', observation('v1:r2'));
    const queuedBehind = writer.flush();
    // Resumed by the first batch before the queued flush takes its turn: it starts a batch with r2.
    const third = first.then(() => {
      writer.put('observations', observation('v1:r3'));
      return writer.flush();
    });
    await queuedBehind;
    expect((await storedObservations(db)).map((row) => row.id).sort()).toEqual(expect.arrayContaining(['v1:r1', 'v1:r2']));
    await third;
    expect((await storedObservations(db)).length).toBe(3);
  });

  it('ignores journal entries that are not rows', async () => {
    const db = freshLog();
    const journal = memoryJournal();
    Object.assign(journal.data, {
      'log-queue|x|1': JSON.stringify({ table: 'rightsRequests', row: { id: '1' } }),
      'log-queue|y': '<script>',
      // A row, but not as the writer stores it (JSON text).
      'log-queue|visits|v1': { table: 'visits', row: { id: 'v1', tabId: 1, url: 'https://www.mijnliefsteboek.nl/', startedAt: 1 } },
      'tab:1': {},
    });
    const writer = createLogWriter(db, { journal });
    expect(await writer.recovered).toBe(0);
    expect(await db.rightsRequests.count()).toBe(0);
  });

  it('discards what is queued and waiting for the journal, and resolves once the batch being written has landed', async () => {
    const { db, release } = gatedLog();
    const journal = memoryJournal();
    const writer = createLogWriter(db, { delayMs: 10_000, journal, journalSpacingMs: 10_000 });
    writer.put('observations', observation('v1:r1'));
    const inFlight = writer.flush();
    writer.put('observations', observation('v1:r2'));
    writer.put('visits', { id: 'v1', tabId: 1, url: 'https://www.mijnliefsteboek.nl/', startedAt: 1 });
    let discarded = false;
    const discarding = writer.discard().then(() => (discarded = true));
    expect(writer.pending()).toBe(0);
    await task();
    // The batch in flight is still being written: a clear now would come before it lands.
    expect(discarded).toBe(false);
    await release();
    await Promise.all([inFlight, discarding]);
    expect((await storedObservations(db)).map((row) => row.id)).toEqual(['v1:r1']);
    // Nothing of the discarded rows reaches the journal or the disk afterwards.
    writer.journalNow();
    await writer.flush();
    expect(await db.visits.count()).toBe(0);
    expect(Object.keys(journal.data).filter((key) => key.includes('v1:r2') || key.includes('visits'))).toEqual([]);
  });

  it('does not queue a failed batch again once discarded, even when the error handler asks for a retry', async () => {
    const { db, fail } = gatedLog();
    const writer = createLogWriter(db, { delayMs: 10_000, retryDelayMs: 10_000, onError: async () => true });
    writer.put('observations', observation('v1:r1'));
    const failed = writer.flush().catch(() => undefined);
    const discarding = writer.discard();
    await fail();
    await Promise.all([failed, discarding]);
    expect(writer.pending()).toBe(0);
  });
});

