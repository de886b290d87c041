import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_NAME, LOG_HEALTH_KEY } from '@/lib/db';
import { startBackgroundLog } from '@/lib/db/background-log';

/** A storage area in memory, as `browser.storage.session` answers. */
function memoryArea() {
  const items: Record<string, unknown> = {};
  return {
    items,
    get: async (keys: string | string[] | null) => (keys === null ? { ...items } : Object.fromEntries([keys].flat().filter((k) => k in items).map((k) => [k, items[k]]))),
    set: async (more: Record<string, unknown>) => void Object.assign(items, more),
    remove: async (keys: string[]) => keys.forEach((k) => delete items[k]),
  };
}

describe('the background log at start-up', () => {
  afterEach(async () => {
    vi.useRealTimers();
    await Dexie.delete(DATABASE_NAME);
  });

  it('leaves the database closed while a woken worker handles its first events, then opens it and tells a log from a newer version', async () => {
    // A log written by a newer version of the extension (a higher IndexedDB version).
    const newer = new Dexie(DATABASE_NAME);
    newer.version(99).stores({ later: 'id' });
    await newer.open();
    newer.close();

    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const session = memoryArea();
    const { db } = startBackgroundLog({ session, local: memoryArea() });
    await vi.advanceTimersByTimeAsync(900);
    expect(db.isOpen()).toBe(false);
    expect(session.items[LOG_HEALTH_KEY]).toBeUndefined();

    await vi.advanceTimersByTimeAsync(200);
    vi.useRealTimers();
    await vi.waitFor(() => expect(session.items[LOG_HEALTH_KEY]).toMatchObject({ state: 'newer-version' }));
  });
});
