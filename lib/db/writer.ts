import { mergeObservation } from './merge';
import { packBatch } from './packs';
import { logOpener, type LogSource } from './dexie';
import { readStoredJson } from '../parse/stored-json';
import type { CookieSeen, ConsentChangeRow, FindingRow, LogTableName, Observation, Visit } from './schema';

export { mergeObservation };

interface Rows {
  visits: Visit;
  observations: Observation;
  cookies: CookieSeen;
  consentChanges: ConsentChangeRow;
  findings: FindingRow;
}

export interface LogWriter {
  /** Queues a row; a row with the same id queued earlier is replaced (merged, for observations). */
  put<T extends LogTableName>(table: T, row: Rows[T]): void;
  /**
   * Queues the later part of a request's row (its end: status, error) whose start may already be on
   * disk: it is merged into the stored row when written (mergeObservation), never put over it.
   */
  amend(table: 'observations', row: Observation): void;
  /** Writes everything queued (one transaction, or several of at most 5,000 rows); resolves when it is on disk. */
  flush(): Promise<void>;
  pending(): number;
}

/** The part of `storage.session` the journal needs. */
export interface JournalArea {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/** Session-storage keys of the journal's rows (the tests read it when a row goes missing). */
export const JOURNAL_PREFIX = 'log-queue|';
const journalKey = (table: LogTableName, id: string) => `${JOURNAL_PREFIX}${table}|${id}`;

const TABLES: LogTableName[] = ['visits', 'observations', 'cookies', 'consentChanges', 'findings'];

/**
 * Batches log writes: one IndexedDB transaction per `delayMs` instead of one per request, which is
 * where a logging extension spends its time. Rows with the same id are merged in the queue (the
 * start and the end of one request become one write).
 */
export interface WriterOptions {
  delayMs?: number;
  maxQueued?: number;
  /**
   * Called when a batch could not be written. Return true to have the batch queued again (after
   * making room, say); false to let it go. Either way nothing throws into the page's events.
   */
  onError?(error: unknown): Promise<boolean>;
  /** Called after each batch that reached the disk. */
  onWritten?(): void;
  /**
   * Where queued rows wait until they are on disk (`storage.session`). An MV3 service worker can be
   * stopped between any two tasks, and the queue in memory with it: queued rows are handed to the
   * journal within `journalSpacingMs`, or sooner when asked (`journalNow`, which the tab store saves its
   * states with), and the next worker writes what the last one left behind. Rows have fixed ids, so a row
   * written twice is still one row.
   */
  journal?: JournalArea;
  /**
   * How long queued rows wait for the journal at most. One call per task was the worker's largest
   * item during a page load (BENCHMARKS.md). What a stop loses in this time was not in a saved tab
   * state either (the tab store saves its states in one call with the rows queued so far, `journalNow`):
   * a request among it is recovered from the page's Resource Timing like any request a stopped worker
   * missed, and a content script's report is answered only once its rows are journaled.
   */
  journalSpacingMs?: number;
  /** How long a batch the error handler wants retried waits (after making room on a full disk, say). */
  retryDelayMs?: number;
  /**
   * The journal's items as already read at start-up (the background reads session storage once for
   * the writer and the tab store: one round trip before the first event is handled, not two).
   */
  journalAtStart?: Promise<Record<string, unknown>>;
  /**
   * Called when the journal refused rows (session storage full): crash safety has stopped for them,
   * which the log's health must say rather than keep quiet about.
   */
  onJournalError?(error: unknown): void;
}

/**
 * Rows in one transaction at most. A transaction's own cost is about 6 ms in Chromium, so a flood is
 * best written in few; but the pages' reads of the log wait for the write in progress, and a batch of
 * 5,000 requests takes some 60 ms.
 */
const MAX_BATCH_ROWS = 5_000;

/** Rows kept in memory while the disk refuses them; beyond this the oldest queued rows give way. */
const MAX_REQUEUED = 5_000;

/**
 * `log`: the log, or how to open it, called when the first batch is written: a woken worker's first
 * events then wait for no database (lib/db/dexie.ts).
 */
export function createLogWriter(
  log: LogSource,
  { delayMs = 150, maxQueued = 500, onError, onWritten, journal, journalAtStart, onJournalError, journalSpacingMs = 50, retryDelayMs = delayMs * 10 }: WriterOptions = {},
): LogWriter & {
  /** The number of rows brought back from the journal at start (0 without one). */
  recovered: Promise<number>;
  /**
   * Hands the rows waiting for the journal to it now, in this task, with `items` in the same call: the
   * tab store saves its states this way (they share the journal's area), so a saved state never holds
   * an event whose rows a stop could still lose, and a save is one call to the browser, not two.
   * Rejects when the journal refuses them (and `onJournalError` hears of it), or when there is no
   * journal to hand `items` to.
   */
  journalNow(items?: Record<string, unknown>): Promise<void>;
  /**
   * Forgets every row queued and not yet written, and those waiting for the journal: the user has
   * asked for everything to be erased. Resolves once the batch being written has landed (or failed),
   * so that a clear after it is the last word; a failed batch is not queued again after this.
   */
  discard(): Promise<void>;
} {
  const queues = new Map<LogTableName, Map<string, { id: string }>>(TABLES.map((t) => [t, new Map()]));
  /** Queued observations that are only a request's end: merged with the stored row when read (packs.ts). */
  const amendments = new Set<string>();
  /** Where each kind of row goes: requests into packs. */
  const database = logOpener(log);
  const tableOf = (table: LogTableName) => (table === 'observations' ? database().requestPacks : database().table(table));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  /** Whether a batch is being written. */
  let writingBatch = false;
  /** The batch that starts when the one being written lands: every row queued meanwhile. */
  let nextBatch: Promise<void> | undefined;
  /** Rows queued since the journal was last written, newest version of each. */
  const unjournaled = new Map<string, unknown>();
  let journalTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts the discards: a batch that fails after one is not queued again. */
  let discards = 0;
  const pending = () => {
    let rows = 0;
    for (const queue of queues.values()) rows += queue.size;
    return rows;
  };

  function journalSoon(table: LogTableName, row: { id: string }, amend: boolean) {
    if (!journal) return;
    journalTimer ??= setTimeout(() => void journalNow().catch(() => undefined), journalSpacingMs);
    unjournaled.set(journalKey(table, row.id), amend ? { table, row, amend } : { table, row });
  }

  function journalNow(items?: Record<string, unknown>): Promise<void> {
    if (journalTimer !== undefined) clearTimeout(journalTimer);
    journalTimer = undefined;
    const others = items && Object.keys(items).length > 0;
    if (!journal) return others ? Promise.reject(new Error('privacy-lens: the log has no journal to save these items with')) : Promise.resolve();
    if (unjournaled.size === 0 && !others) return Promise.resolve();
    // Each row as JSON text, like the tab states saved with them: Chromium hands a string to storage
    // whole, and converts an object value by value on this thread (lib/observe/tab-state.ts).
    const all: Record<string, unknown> = {};
    for (const [key, entry] of unjournaled) all[key] = JSON.stringify(entry);
    unjournaled.clear();
    const written = journal.set(others ? Object.assign(all, items) : all);
    written.catch((error: unknown) => onJournalError?.(error));
    return written;
  }

  type Batch = readonly (readonly [LogTableName, readonly { id: string }[]])[];
  /**
   * Takes a batch's rows off the journal once they are on disk (or given up), unless a newer version
   * is queued. One batch is written at a time (flush), so no later batch can hold a newer one. A row
   * still waiting for the journal is not journaled at all then: the disk has its newest version.
   */
  function unjournal(batch: Batch) {
    if (!journal) return;
    const done: string[] = [];
    for (const [table, rows] of batch) {
      const queued = queues.get(table)!;
      for (const row of rows) {
        if (queued.has(row.id)) continue;
        const key = journalKey(table, row.id);
        unjournaled.delete(key);
        done.push(key);
      }
    }
    if (done.length) void journal.remove(done).catch(() => undefined);
  }

  function queue(table: LogTableName, row: { id: string }, amend = false) {
    const queued = queues.get(table)!;
    const earlier = queued.get(row.id);
    if (table !== 'observations' || !earlier) {
      queued.set(row.id, row);
      if (amend) amendments.add(row.id);
      else amendments.delete(row.id);
      return row;
    }
    // A request's start re-sent after its end was queued (a restarted worker): the start leads.
    const startLate = amendments.has(row.id) && !amend;
    const merged = startLate ? mergeObservation(row as Observation, earlier as Observation) : mergeObservation(earlier as Observation, row as Observation);
    if (startLate) amendments.delete(row.id);
    queued.set(row.id, merged);
    return merged;
  }

  // Rows a stopped worker queued but never wrote: older than anything queued since this start.
  // The journal is the extension's own session storage; its rows are still checked for shape.
  const recovered: Promise<number> = journal
    ? (journalAtStart ?? journal.get(null)).then(
        (items) => {
          let count = 0;
          for (const [key, value] of Object.entries(items)) {
            if (!key.startsWith(JOURNAL_PREFIX)) continue;
            const { table, row, amend } = (readStoredJson(value) ?? {}) as { table?: unknown; row?: { id?: unknown }; amend?: unknown };
            if (!TABLES.includes(table as LogTableName) || typeof row?.id !== 'string') continue;
            const queued = queues.get(table as LogTableName)!;
            const newer = queued.get(row.id);
            const newerAmends = amendments.has(row.id);
            queued.delete(row.id);
            amendments.delete(row.id);
            queue(table as LogTableName, row as { id: string }, amend === true && table === 'observations');
            if (newer) queue(table as LogTableName, newer, newerAmends);
            count++;
          }
          if (count) timer ??= setTimeout(() => void flush(), delayMs);
          return count;
        },
        () => 0,
      )
    : Promise.resolve(0);

  /**
   * Writes everything queued; resolves when it is on disk. While a batch is being written, the rows
   * queued meanwhile wait for it and go together in the next one (group commit): under a flood of
   * requests the log writes a few large transactions rather than one per `maxQueued` rows, and a
   * transaction's own cost, about 6 ms in Chromium, was half of the ingest's time (BENCHMARKS.md).
   */
  function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending() === 0) return nextBatch ?? running;
    if (!writingBatch) return writeQueued();
    nextBatch ??= running
      .catch(() => undefined)
      .then(() => {
        nextBatch = undefined;
        // Not writeQueued: a caller resumed by the last batch may have started one already.
        return flush();
      });
    return nextBatch;
  }

  /** Takes up to MAX_BATCH_ROWS queued rows off the queues, oldest first within each table. */
  function takeBatch(): Batch {
    const batch: (readonly [LogTableName, { id: string }[]])[] = [];
    let room = MAX_BATCH_ROWS;
    for (const table of TABLES) {
      const queue = queues.get(table)!;
      if (room === 0 || queue.size === 0) continue;
      const rows: { id: string }[] = [];
      for (const [id, row] of queue) {
        if (rows.length === room) break;
        rows.push(row);
        queue.delete(id);
      }
      room -= rows.length;
      batch.push([table, rows]);
    }
    return batch;
  }

  function writeQueued(): Promise<void> {
    writingBatch = true;
    const batch = takeBatch();
    const discardsAtStart = discards;
    const amended = new Set<string>();
    for (const row of batch.find(([table]) => table === 'observations')?.[1] ?? []) {
      if (amendments.delete(row.id)) amended.add(row.id);
    }
    const write = () => {
      const db = database();
      return db.transaction('rw', TABLES.map(tableOf), async () => {
        for (const [table, rows] of batch) {
          // A request's end whose start is on disk goes into the new pack as an amendment: packs are
          // only added, so writing needs no read (lib/db/packs.ts).
          if (table === 'observations') await db.requestPacks.bulkAdd(packBatch(rows as Observation[], amended));
          else await db.table(table).bulkPut(rows);
        }
      });
    };
    // A failed batch goes back into the queue (unless newer rows with the same id were queued while it
    // was written) when the error handler says to retry.
    running = running
      .catch(() => undefined)
      .then(write)
      .then(() => {
        unjournal(batch);
        onWritten?.();
      })
      .catch(async (error: unknown) => {
        if (!onError || !(await onError(error).catch(() => false)) || discards !== discardsAtStart) {
          unjournal(batch);
          throw error;
        }
        for (const [table, rows] of batch) {
          const queue = queues.get(table)!;
          for (const row of rows) {
            const queued = queue.get(row.id);
            if (table === 'observations' && queued && amendments.has(row.id) && !amended.has(row.id)) {
              // The request's end came while its start was failing to be written: the start leads
              // again, with the end merged in (queued alone, the end would be written without it).
              const merged = mergeObservation(row as Observation, queued as Observation);
              queue.set(row.id, merged);
              amendments.delete(row.id);
              journalSoon(table, merged, false);
              continue;
            }
            if (queued || pending() >= MAX_REQUEUED) continue;
            queue.set(row.id, row);
            if (amended.has(row.id)) amendments.add(row.id);
          }
        }
        timer ??= setTimeout(() => void flush(), retryDelayMs);
        throw error;
      })
      .finally(() => {
        writingBatch = false;
      });
    if (pending() === 0) return running;
    // What did not fit follows as soon as this batch lands; the caller's flush waits for both.
    return Promise.all([running, flush()]).then(() => undefined);
  }

  function put(table: LogTableName, row: { id: string }, amend = false) {
    journalSoon(table, queue(table, row, amend), amend && amendments.has(row.id));
    if (pending() >= maxQueued) void flush();
    else timer ??= setTimeout(() => void flush(), delayMs);
  }

  function discard(): Promise<void> {
    discards++;
    clearTimeout(timer);
    clearTimeout(journalTimer);
    timer = journalTimer = undefined;
    for (const queue of queues.values()) queue.clear();
    amendments.clear();
    unjournaled.clear();
    return Promise.all([running, nextBatch]).then(
      () => undefined,
      () => undefined,
    );
  }

  return {
    put,
    amend: (table, row) => put(table, row, true),
    flush,
    pending,
    discard,
    recovered,
    journalNow,
  };
}
