import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, DATABASE_NAME, SCHEMA_HISTORY, openLog } from '@/lib/db';
import { unpackObservations } from '@/lib/db/packs';
import { LOG_FIXTURES } from '../../fixtures/log-versions';

/**
 * The pattern every schema change extends: for each earlier version, write the fixture rows with a
 * plain Dexie that knows only that version's stores, then open the same database with the current
 * code and check that every row is still there, unchanged in meaning.
 */
describe('log schema upgrades', () => {
  it('keeps a fixture for every schema version', () => {
    expect(Object.keys(LOG_FIXTURES).map(Number)).toEqual(SCHEMA_HISTORY.map((s) => s.version));
  });

  for (const step of SCHEMA_HISTORY) {
    it(`opens a log written at version ${step.version} with the current code (version ${CURRENT_SCHEMA_VERSION})`, async () => {
      const indexedDB = new IDBFactory();
      const old = new Dexie(DATABASE_NAME, { indexedDB, IDBKeyRange });
      // The schema as it stood at that version: every table declared up to it.
      const stores = Object.assign({}, ...SCHEMA_HISTORY.filter((s) => s.version <= step.version).map((s) => s.stores));
      old.version(step.version).stores(stores);
      const fixture = LOG_FIXTURES[step.version]!;
      await old.transaction('rw', old.tables, async () => {
        for (const [table, rows] of Object.entries(fixture.rows)) await old.table(table).bulkAdd(rows);
      });
      old.close();

      const current = openLog(DATABASE_NAME, { indexedDB, IDBKeyRange });
      await current.open();
      expect(current.verno).toBe(CURRENT_SCHEMA_VERSION);
      expect(current.tables.map((t) => t.name)).not.toContain('observations');
      for (const [table, rows] of Object.entries(fixture.expected)) {
        const byId = (a: object, b: object) => String((a as { id: string }).id).localeCompare(String((b as { id: string }).id));
        // Requests are kept in packs since version 5: compared as the extension reads them.
        const stored = table === 'observations' ? unpackObservations(await current.table('requestPacks').toArray()) : await current.table(table).toArray();
        expect(stored.sort(byId), table).toEqual([...rows].sort(byId));
      }
      // The same tables and indexes as a log created new: Dexie made the steps of the versions openLog
      // does not declare.
      const fresh = openLog(DATABASE_NAME, { indexedDB: new IDBFactory(), IDBKeyRange });
      await fresh.open();
      expect(installedSchema(current.backendDB())).toEqual(installedSchema(fresh.backendDB()));
      fresh.close();
      current.close();
    });
  }

  it('packs every row of a version 4 log, rows of no visit too, visit by visit in time order', async () => {
    const indexedDB = new IDBFactory();
    const old = new Dexie(DATABASE_NAME, { indexedDB, IDBKeyRange });
    old.version(4).stores(Object.assign({}, ...SCHEMA_HISTORY.filter((s) => s.version <= 4).map((s) => s.stores)));
    const row = (visitId: string, n: number, at: number) => ({ id: `${visitId}:r${n}`, visitId, at, entryId: null, host: 'x.example', url: `https://x.example/${n}`, kind: 'other', type: 'script', method: 'GET', frameId: 0, source: 'page' });
    const visits = Array.from({ length: 30 }, (_, i) => ({ id: `v${i}`, tabId: 1, url: 'https://www.mijnliefsteboek.nl/', startedAt: 1764000000000 + i }));
    // 1,200 rows in one visit (three packs), 29 visits of 3, and 5 rows whose visit was never written.
    const rows = [...Array.from({ length: 1_200 }, (_, n) => row('v0', n, 2_000 - n)), ...visits.slice(1).flatMap((v) => [0, 1, 2].map((n) => row(v.id, n, n))), ...[0, 1, 2, 3, 4].map((n) => row('gone', n, 10 - n))];
    await old.table('visits').bulkAdd(visits);
    await old.table('observations').bulkAdd(rows);
    old.close();

    const current = openLog(DATABASE_NAME, { indexedDB, IDBKeyRange });
    await current.open();
    expect(await current.requestPacks.count()).toBe(3 + 29 + 1);
    const read = unpackObservations(await current.requestPacks.toArray());
    expect(read).toHaveLength(rows.length);
    expect(read.filter((r) => r.visitId === 'v0').map((r) => r.at)).toEqual(rows.filter((r) => r.visitId === 'v0').map((r) => r.at).sort((a, b) => a - b));
    expect(read.filter((r) => r.visitId === 'gone')).toHaveLength(5);
    current.close();
  });
});

/** Every object store of an open IndexedDB database with its key and its indexes, as IndexedDB holds them. */
function installedSchema(db: IDBDatabase) {
  const names = [...db.objectStoreNames].sort();
  const tx = db.transaction(names, 'readonly');
  return names.map((name) => {
    const store = tx.objectStore(name);
    const indexes = [...store.indexNames].sort().map((index) => {
      const { keyPath, unique, multiEntry } = store.index(index);
      return { index, keyPath, unique, multiEntry };
    });
    return { name, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes };
  });
}
