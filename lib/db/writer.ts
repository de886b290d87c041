import type { CookieSeen, LogDatabase, Observation, Visit } from './schema';

export interface LogWriter {
  visit(visit: Visit): void;
  observation(observation: Observation): void;
  cookie(cookie: CookieSeen): void;
  /** Writes everything queued in one transaction; resolves when it is on disk. */
  flush(): Promise<void>;
  pending(): number;
}

/**
 * Batches log writes: one IndexedDB transaction per `delayMs` instead of one per request, which is
 * where a logging extension spends its time. Rows with the same id are merged in the queue (the
 * start and the end of one request become one write).
 */
export function createLogWriter(db: LogDatabase, { delayMs = 150, maxQueued = 500 } = {}): LogWriter {
  const visits = new Map<string, Visit>();
  const observations = new Map<string, Observation>();
  const cookies = new Map<string, CookieSeen>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const pending = () => visits.size + observations.size + cookies.size;

  function schedule() {
    if (pending() >= maxQueued) void flush();
    else timer ??= setTimeout(() => void flush(), delayMs);
  }

  function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending() === 0) return running;
    const batch = { visits: [...visits.values()], observations: [...observations.values()], cookies: [...cookies.values()] };
    visits.clear();
    observations.clear();
    cookies.clear();
    // Chained so that batches land in the order they were queued.
    running = running
      .catch(() => undefined)
      .then(() =>
        db.transaction('rw', db.visits, db.observations, db.cookies, async () => {
          if (batch.visits.length) await db.visits.bulkPut(batch.visits);
          if (batch.observations.length) await db.observations.bulkPut(batch.observations);
          if (batch.cookies.length) await db.cookies.bulkPut(batch.cookies);
        }),
      );
    return running;
  }

  return {
    visit(visit) {
      visits.set(visit.id, visit);
      schedule();
    },
    observation(observation) {
      const queued = observations.get(observation.id);
      observations.set(observation.id, queued ? { ...queued, ...withoutUndefined(observation), at: queued.at } : observation);
      schedule();
    },
    cookie(cookie) {
      cookies.set(cookie.id, cookie);
      schedule();
    },
    flush,
    pending,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
