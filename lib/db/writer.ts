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
export function createLogWriter(db: LogDatabase, { delayMs = 150, maxQueued = 500 } = {}): LogWriter {
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
    // Chained so that batches land in the order they were queued.
    running = running
      .catch(() => undefined)
      .then(() =>
        db.transaction('rw', TABLES.map((t) => db.table(t)), async () => {
          for (const [table, rows] of batch) await db.table(table).bulkPut(rows);
        }),
      );
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
