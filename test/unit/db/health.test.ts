import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DATABASE_NAME, createLogWriter, healthOf, logVersionState, openLog, type Observation } from '@/lib/db';
import { makeRoom } from '@/lib/history';
import { addObservations, storedObservation, storedObservations } from './log-rows';

const row = (id: string, visitId = 'v1'): Observation => ({ id, visitId, at: 1, entryId: null, host: 'x', url: 'x', kind: 'other', type: 'script', method: 'GET', frameId: 0, source: 'page' });

describe('log health', () => {
  it.each([
    [{ name: 'QuotaExceededError' }, 'full'],
    [{ name: 'AbortError', inner: { name: 'QuotaExceededError' } }, 'full'],
    [{ name: 'VersionError' }, 'newer-version'],
    [new Error('boom'), 'failed'],
    [null, 'failed'],
  ])('%j → %s', (error, state) => {
    expect(healthOf(error)).toBe(state);
  });

  it('queues a refused batch again when room was made, and writes it on the next flush', async () => {
    const db = openLog('q', { indexedDB: new IDBFactory(), IDBKeyRange });
    let refuse = true;
    const original = db.transaction.bind(db);
    (db as unknown as { transaction: unknown }).transaction = (...args: Parameters<typeof db.transaction>) => {
      if (refuse) return Promise.reject(Object.assign(new Error('full'), { name: 'QuotaExceededError' }));
      return original(...args);
    };
    const errors: string[] = [];
    const writer = createLogWriter(db, { delayMs: 10_000, onError: async (e) => (errors.push(healthOf(e)), true) });
    writer.put('observations', row('a'));
    await expect(writer.flush()).rejects.toBeTruthy();
    expect(errors).toEqual(['full']);
    expect(writer.pending()).toBe(1);
    refuse = false;
    await writer.flush();
    expect(await storedObservation(db, 'a')).toBeTruthy();
  });

  it('makes room from retention first, then from the oldest visits’ details, never consent history or requests', async () => {
    const db = openLog('room', { indexedDB: new IDBFactory(), IDBKeyRange });
    const now = Date.now();
    await db.visits.bulkAdd([{ id: 'old', tabId: 1, url: 'u', startedAt: now - 2 * 86_400_000 }, { id: 'new', tabId: 1, url: 'u', startedAt: now }]);
    await addObservations(db, [row('o1', 'old'), row('o2', 'new')]);
    await db.consentChanges.add({ id: 'c', visitId: 'old', at: 1, receivedAt: 1, source: 'cookie-information', granted: ['necessary'], denied: ['marketing'], carriedOver: false });
    expect(await makeRoom(db, 365, now)).toBe(1); // nothing is past a year: the oldest visit's details go
    expect((await storedObservations(db)).map((o) => o.id)).toEqual(['o2']);
    expect(await db.visits.count()).toBe(2);
    expect(await db.consentChanges.count()).toBe(1);
  });

  it('opens a log written by a newer version without touching it, and says it is newer', async () => {
    const indexedDB = new IDBFactory();
    const newer = new Dexie(DATABASE_NAME, { indexedDB, IDBKeyRange });
    newer.version(99).stores({ visits: 'id, startedAt', observations: 'id', future: 'id' });
    await newer.table('visits').add({ id: 'kept', startedAt: 1 });
    await newer.table('future').add({ id: 'unknown to us' });
    newer.close();
    const current = openLog(DATABASE_NAME, { indexedDB, IDBKeyRange });
    await current.open();
    // Dexie 4 opens a newer database as it is: nothing is downgraded or wiped.
    expect(logVersionState(current)).toBe('newer-version');
    expect(await current.visits.get('kept')).toEqual({ id: 'kept', startedAt: 1 });
    current.close();
    const again = new Dexie(DATABASE_NAME, { indexedDB, IDBKeyRange });
    again.version(99).stores({ visits: 'id, startedAt', observations: 'id', future: 'id' });
    expect(await again.table('future').get('unknown to us')).toEqual({ id: 'unknown to us' });
  });
});
