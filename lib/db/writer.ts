import type { CookieSeen, ConsentChangeRow, FindingRow, LogDatabase, LogTableName, Observation, Visit } from './schema';

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
  /** Writes everything queued in one transaction; resolves when it is on disk. */
  flush(): Promise<void>;
  pending(): number;
}

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
}

/** Rows kept in memory while the disk refuses them; beyond this the oldest queued rows give way. */
const MAX_REQUEUED = 5_000;

export function createLogWriter(db: LogDatabase, { delayMs = 150, maxQueued = 500, onError, onWritten }: WriterOptions = {}): LogWriter {
  const queues = new Map<LogTableName, Map<string, { id: string }>>(TABLES.map((t) => [t, new Map()]));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const pending = () => [...queues.values()].reduce((sum, q) => sum + q.size, 0);

  function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending() === 0) return running;
    const batch = TABLES.map((table) => [table, [...queues.get(table)!.values()]] as const).filter(([, rows]) => rows.length > 0);
    for (const queue of queues.values()) queue.clear();
    const write = () =>
      db.transaction('rw', TABLES.map((t) => db.table(t)), async () => {
        for (const [table, rows] of batch) await db.table(table).bulkPut(rows);
      });
    // Chained so that batches land in the order they were queued. A failed batch goes back into the
    // queue (unless newer rows with the same id replaced it) when the error handler says to retry.
    running = running
      .catch(() => undefined)
      .then(write)
      .then(() => onWritten?.())
      .catch(async (error: unknown) => {
        if (!onError || !(await onError(error).catch(() => false))) throw error;
        for (const [table, rows] of batch) {
          const queue = queues.get(table)!;
          for (const row of rows) if (!queue.has(row.id) && pending() < MAX_REQUEUED) queue.set(row.id, row);
        }
        timer ??= setTimeout(() => void flush(), delayMs * 10);
        throw error;
      });
    return running;
  }

  return {
    put(table, row) {
      const queue = queues.get(table)!;
      const queued = queue.get(row.id);
      // A request's end carries its status; its start carries the time it began.
      queue.set(row.id, table === 'observations' && queued ? { ...queued, ...withoutUndefined(row), at: (queued as Observation).at } : row);
      if (pending() >= maxQueued) void flush();
      else timer ??= setTimeout(() => void flush(), delayMs);
    },
    flush,
    pending,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
