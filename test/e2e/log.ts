import type { Page, WebWorker } from 'puppeteer';
import { unpackObservations } from '../../lib/db/packs';
import type { Observation } from '../../lib/db/schema';

/**
 * The tests' one way into the extension's log, from any extension context (a page of its origin or
 * its service worker): plain IndexedDB, no extension code in the browser, so the tests read what is
 * really stored. The one exception is how requests are read out of their packs (`readObservations`):
 * in Node, with the extension's own rule for it (lib/db/packs.ts), which its unit tests pin down.
 */
type Context = Page | WebWorker;

/** Every row of one table (or of the given keys). */
export function readLogTable<T = Record<string, unknown>>(context: Context, table: string): Promise<T[]> {
  return context.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('privacy-lens-log');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction(name).objectStore(name).getAll();
          get.onsuccess = () => (open.result.close(), resolve(get.result as T[]));
          get.onerror = () => reject(get.error);
        };
      }),
    table,
  );
}

/** Every request in the log, unpacked from its request packs as the extension reads them (lib/db/packs.ts). */
export async function readObservations<T = Observation>(context: Context): Promise<T[]> {
  return unpackObservations(await readLogTable(context, 'requestPacks')) as T[];
}

/**
 * Changes rows in place: `put` adds or replaces whole rows; `earlier` moves time fields back (a path
 * like `followUps.at` reaches into each item of an array), for every row or the rows with these ids.
 */
export function changeLog(context: Context, table: string, change: { put?: object[]; earlier?: { fields: Record<string, number>; ids?: string[] } }): Promise<void> {
  return context.evaluate(
    (name, { put, earlier }) =>
      new Promise<void>((resolve, reject) => {
        const shift = (row: Record<string, unknown>, path: string[], ms: number): void => {
          const [head, ...rest] = path;
          const value = row[head!];
          if (rest.length === 0) row[head!] = (value as number) - ms;
          else if (Array.isArray(value)) value.forEach((item) => shift(item as Record<string, unknown>, rest, ms));
        };
        const open = indexedDB.open('privacy-lens-log');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(name, 'readwrite');
          const store = tx.objectStore(name);
          for (const row of put ?? []) store.put(row);
          if (earlier) {
            const all = store.getAll();
            all.onsuccess = () => {
              for (const row of all.result as Record<string, unknown>[]) {
                if (earlier.ids && !earlier.ids.includes(row['id'] as string)) continue;
                for (const [field, ms] of Object.entries(earlier.fields)) shift(row, field.split('.'), ms);
                store.put(row);
              }
            };
          }
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    table,
    change,
  );
}
