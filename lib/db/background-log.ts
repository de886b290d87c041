import { RETENTION_KEY, makeRoom, parseRetention, pruneLog } from '../history/maintenance';
import { LOG_HEALTH_KEY, healthOf, type LogHealth } from './health';
import { logVersionState, openLog, type LogDatabase } from './schema';
import { createLogWriter } from './writer';

/** How long the log's rows wait to be written together (measured in BENCHMARKS.md, the log's ingest). */
export const LOG_WRITE_DELAY_MS = 1_000;

interface Area {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/**
 * The background's side of the log: the database, its batched writer with a journal in session
 * storage, and the log's health, which every page shows (a full disk, a log from a newer version,
 * a failing journal are told, never hidden).
 *
 * The database is opened on first use (`log`): by the writer's first batch, by a read, or by `maintain`,
 * which the background calls once the events that woke it are handled. Evaluating Dexie and opening
 * the log were a fifth of a woken worker's time to its first handled event, and that event needs
 * neither: its rows wait in the journal for a second anyway (BENCHMARKS.md).
 */
export function startBackgroundLog({ session, local, sessionAtStart }: { session: Area; local: Area; sessionAtStart?: Promise<Record<string, unknown>> }) {
  let health: LogHealth['state'] = 'ok';
  const setHealth = (state: LogHealth['state']) => {
    if (state === health) return;
    health = state;
    void session.set({ [LOG_HEALTH_KEY]: { state, at: Date.now() } }).catch(() => undefined);
  };
  let db: LogDatabase | undefined;
  /** The log, opened the first time it is asked for; its health (a newer version, a full disk) is told then. */
  const log = (): LogDatabase => {
    if (db) return db;
    const opened = (db = openLog());
    void opened.open().then(
      () => setHealth(logVersionState(opened)),
      (error: unknown) => setHealth(healthOf(error)),
    );
    return opened;
  };
  const writer = createLogWriter(log, {
    // IndexedDB's cost is per row and per transaction, so the log is written at most once a second: a
    // page load's requests then go in one or two packs (lib/db/packs.ts) instead of one per 150 ms. The
    // rows wait in the journal (session storage, within 50 ms) meanwhile, so a stopped worker loses none.
    // A browser that quits, or the extension reloaded, takes session storage with it: up to a second of
    // rows (150 ms before). Pages that read the log ask for the write first (lib/db/written.ts).
    delayMs: LOG_WRITE_DELAY_MS,
    // Rows not saved with a tab state (journalNow) go to the journal within 200 ms, not 50: with the tab
    // store's saves, that took a home page load from 12 calls to storage.session down to 7. What a stop
    // loses meanwhile is recovered from Resource Timing (writer.ts, `journalSpacingMs`).
    journalSpacingMs: 200,
    retryDelayMs: 1_500,
    async onError(error) {
      const state = healthOf(error);
      setHealth(state);
      console.error('privacy-lens: a log batch failed', error);
      // A full disk: make room (never from consent history or requests) and try the batch again.
      // A log from a newer version of the extension is left exactly as it is.
      if (state !== 'full') return false;
      const retention = parseRetention((await local.get(RETENTION_KEY))[RETENTION_KEY]);
      return (await makeRoom(log(), retention)) > 0;
    },
    // A write that lands clears a full disk, not a log from a newer version or a failing journal.
    onWritten: () => health !== 'newer-version' && health !== 'journal-failed' && setHealth('ok'),
    journal: session,
    journalAtStart: sessionAtStart,
    onJournalError: () => setHealth('journal-failed'),
  });
  /**
   * Opens the log (its health told to every page) and prunes it to the user's retention: at every
   * start of the worker (it is started again many times a day), once start-up's events are handled.
   * The history page prunes too, when the setting changes.
   */
  const maintain = () =>
    void local
      .get(RETENTION_KEY)
      .then((items) => pruneLog(log(), parseRetention(items[RETENTION_KEY])))
      .catch((error) => console.error('privacy-lens: pruning failed', error));
  return { log, writer, maintain };
}
