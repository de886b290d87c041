import { describe, expect, it } from 'vitest';
import { createTabStore, newTabState, readStoredTabState, storedTabState, tabStateKey } from '@/lib/observe';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createLogWriter, openLog } from '@/lib/db';
import { memoryArea } from './fakes';

/** A tab's state as the store left it in the area. */
const savedState = (area: { data: Record<string, unknown> }, tabId: number) => readStoredTabState(area.data[tabStateKey(tabId)]);

describe('tab store', () => {
  it('saves states to the storage area and brings them back after a restart', async () => {
    const area = memoryArea();
    const store = createTabStore(area, { delayMs: 0 });
    await store.ready;
    const state = newTabState(3, 'v1', 'https://www.mijnliefsteboek.nl/', 10);
    store.set(state);
    state.unlisted['static.hotjar.com'] = 2;
    store.changed(state);
    await store.flush();
    // As JSON text: a string is handed to storage whole, an object converted value by value.
    expect(typeof area.data[tabStateKey(3)]).toBe('string');
    const again = createTabStore(area);
    await again.ready;
    expect(again.get(3)).toEqual(state);
    again.delete(3);
    await again.flush();
    expect(area.data).toEqual({});
  });

  it('does not bring back the state of a tab that closed while no worker heard of it, and removes it from the area', async () => {
    const shop = 'https://www.mijnliefsteboek.nl/';
    const area = memoryArea({ [tabStateKey(1)]: storedTabState(newTabState(1, 'open', shop, 1)), [tabStateKey(2)]: storedTabState(newTabState(2, 'closed', shop, 1)), other: 'kept' });
    const heard: number[] = [];
    const store = createTabStore(area, { delayMs: 0, openTabsAtStart: Promise.resolve([1, 7]), onChange: (tabId) => void heard.push(tabId) });
    await store.ready;
    expect(store.all().map((state) => state.visitId)).toEqual(['open']);
    await store.flush();
    expect(Object.keys(area.data).sort()).toEqual(['other', tabStateKey(1)]);
    // Nothing is judged or drawn for the closed tab: its visit ended with it.
    expect(heard).toEqual([1]);
  });

  it('brings every saved state back when the browser does not say which tabs are open', async () => {
    const area = memoryArea({ [tabStateKey(2)]: storedTabState(newTabState(2, 'v', 'https://www.mijnliefsteboek.nl/', 1)) });
    const store = createTabStore(area, { openTabsAtStart: Promise.reject(new Error('no tabs API')) });
    await store.ready;
    expect(store.all().map((state) => state.tabId)).toEqual([2]);
  });

  it('drops stored values that do not parse, and keeps other keys alone', async () => {
    const area = memoryArea({
      [tabStateKey(1)]: JSON.stringify({ tabId: 1, visitId: 'v', url: 'x', startedAt: 1, entries: { 'not-an-entry': {} }, unlisted: {}, unlistedOverflow: 0, pending: [] }),
      [tabStateKey(2)]: '<script>',
      // A whole state with an own "__proto__" key, as JSON.parse makes it (a literal `__proto__:` would
      // only set the prototype): the schema refuses the key, not only a missing field.
      [tabStateKey(3)]: storedTabState(newTabState(3, 'v', 'https://www.mijnliefsteboek.nl/', 1)).replace(/^\{/, '{"__proto__":{"polluted":true},'),
      // A valid state, but not as the store writes it.
      [tabStateKey(4)]: newTabState(4, 'v', 'https://www.mijnliefsteboek.nl/', 1),
      diagnostics: { droppedMessages: 1 },
    });
    const store = createTabStore(area);
    await store.ready;
    expect(store.all()).toEqual([]);
    expect(area.data[tabStateKey(3)]).toMatch(/^\{"__proto__":\{"polluted":true\},"tabId":3,/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('tells its listener about changes in batches', async () => {
    const seen: number[] = [];
    const store = createTabStore(memoryArea(), { delayMs: 0, onChange: (tabId) => void seen.push(tabId) });
    await store.ready;
    const state = newTabState(5, 'v', 'u', 1);
    store.set(state);
    for (let i = 0; i < 100; i++) store.changed(state);
    await store.flush();
    expect(seen).toEqual([5]);
  });

  it('hands a changed state to storage in the task that changed it, not after the batch delay', async () => {
    const area = memoryArea();
    const seen: number[] = [];
    const store = createTabStore(area, { delayMs: 10_000, onChange: (tabId) => void seen.push(tabId) });
    await store.ready;
    store.set(newTabState(7, 'v', 'https://www.mijnliefsteboek.nl/', 1));
    await Promise.resolve();
    expect(savedState(area, 7)).toMatchObject({ visitId: 'v' });
    expect(seen).toEqual([]);
  });

  it('under a flood of changes saves at most once per spacing, each save with the latest state', async () => {
    const area = memoryArea();
    let sets = 0;
    const counting = { ...area, set: (items: Record<string, unknown>) => (sets++, area.set(items)) };
    const store = createTabStore(counting, { delayMs: 10_000, saveSpacingMs: 40 });
    await store.ready;
    const state = newTabState(8, 'v', 'https://www.mijnliefsteboek.nl/', 1);
    store.set(state);
    await Promise.resolve();
    expect(sets).toBe(1);
    // Two hundred changes in separate tasks within the spacing: one more save, after it, with the last.
    for (let i = 0; i < 200; i++) {
      state.unlistedOverflow = i;
      store.changed(state);
      await Promise.resolve();
    }
    expect(sets).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(sets).toBe(2);
    expect(savedState(area, 8)).toMatchObject({ unlistedOverflow: 199 });
  });

  it('saves a state right after onChange hears of it, in one call with the row it wrote, whatever the spacing', async () => {
    const area = memoryArea();
    const calls: Record<string, unknown>[] = [];
    const set = area.set.bind(area);
    area.set = async (items) => {
      calls.push(items);
      return set(items);
    };
    const writer = createLogWriter(openLog(`tab-store-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange }), { delayMs: 60_000, journal: area, journalSpacingMs: 60_000 });
    const store = createTabStore(area, {
      delayMs: 0,
      saveSpacingMs: 60_000,
      saveWith: (items) => writer.journalNow(items),
      // The visit's row, as the background's onChange writes it: here, what the state holds then.
      onChange: (tabId, state) => void writer.put('visits', { id: state!.visitId, tabId, url: state!.url, startedAt: state!.unlistedOverflow }),
    });
    await store.ready;
    const state = newTabState(5, 'v', 'https://www.mijnliefsteboek.nl/', 1);
    store.set(state);
    await new Promise((r) => setTimeout(r, 5));
    // Within the (long) spacing: only the notify can save it.
    state.unlistedOverflow = 7;
    store.changed(state);
    await new Promise((r) => setTimeout(r, 5));
    const last = calls.at(-1)!;
    expect(readStoredTabState(last[tabStateKey(5)])?.unlistedOverflow).toBe(7);
    expect(JSON.parse(last['log-queue|visits|v'] as string)).toMatchObject({ row: { startedAt: 7 } });
    // The first save (the visit's start, at once) and the notify's: the row never went on its own.
    expect(calls).toHaveLength(2);
  });

  it('answers `saved` with the next save, which the reports of a busy moment share', async () => {
    const area = memoryArea();
    let sets = 0;
    const set = area.set.bind(area);
    area.set = async (items) => {
      sets++;
      return set(items);
    };
    const store = createTabStore(area, { delayMs: 60_000, saveSpacingMs: 30 });
    await store.ready;
    const state = newTabState(5, 'v', 'https://www.mijnliefsteboek.nl/', 1);
    store.set(state);
    await store.saved();
    expect(sets).toBe(1);
    // Three reports within the spacing, each changing the state: one save answers all three, and
    // each answer comes only once the state it changed is in storage.
    const answers = [1, 2, 3].map((n) => {
      state.unlistedOverflow = n;
      store.changed(state);
      return store.saved().then(() => savedState(area, 5)?.unlistedOverflow);
    });
    expect(await Promise.all(answers)).toEqual([3, 3, 3]);
    expect(sets).toBe(2);
    // Nothing unsaved: answered at once, with no save.
    await store.saved();
    expect(sets).toBe(2);
  });

  it('judges the states it brings back once more, in case the last worker stopped before it did', async () => {
    const area = memoryArea({ [tabStateKey(4)]: storedTabState(newTabState(4, 'v', 'https://www.mijnliefsteboek.nl/', 1)) });
    const seen: number[] = [];
    const store = createTabStore(area, { delayMs: 0, onChange: (tabId) => void seen.push(tabId) });
    await store.ready;
    await store.flush();
    expect(seen).toEqual([4]);
  });

  it("saves the states through the log's writer, as the background does: one call with the rows waiting for its journal", async () => {
    const area = memoryArea();
    const calls: string[][] = [];
    const set = area.set.bind(area);
    area.set = async (items) => {
      calls.push(Object.keys(items).sort());
      return set(items);
    };
    const writer = createLogWriter(openLog('tab-store-test', { indexedDB: new IDBFactory(), IDBKeyRange }), { delayMs: 10_000, journal: area, journalSpacingMs: 10_000 });
    const store = createTabStore(area, { delayMs: 10_000, saveWith: (items) => writer.journalNow(items) });
    await store.ready;
    writer.put('visits', { id: 'v1', tabId: 3, url: 'https://www.mijnliefsteboek.nl/', startedAt: 10 });
    store.set(newTabState(3, 'v1', 'https://www.mijnliefsteboek.nl/', 10));
    await store.saved();
    expect(calls).toEqual([['log-queue|visits|v1', tabStateKey(3)].sort()]);
    // Nothing waits for the journal any more: the next save is the state alone.
    store.changed(store.get(3)!);
    await store.saved();
    expect(calls.at(-1)).toEqual([tabStateKey(3)]);
  });

  it('holds its saves while asked to, hands them over in order, and answers `saved` only then', async () => {
    const area = memoryArea();
    const handedOver: string[] = [];
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    let holds = 0;
    const store = createTabStore(area, {
      delayMs: 10_000,
      saveSpacingMs: 0,
      saveWith: async (items) => {
        handedOver.push(...Object.values(items).map((stored) => readStoredTabState(stored)!.url));
        await area.set(items);
      },
      holdSaves: () => (holds++, hold),
    });
    await store.ready;
    const state = newTabState(5, 'v1', 'https://www.mijnliefsteboek.nl/first', 10);
    store.set(state);
    let answered = false;
    const first = store.saved().then(() => void (answered = true));
    // The first save is made (a microtask after the change) and held.
    await Promise.resolve();
    // A newer state while the first save is held: it waits its turn, and never overtakes it.
    const newer = { ...state, url: 'https://www.mijnliefsteboek.nl/second' };
    store.set(newer);
    const second = store.saved();
    await new Promise((r) => setTimeout(r, 10));
    expect(handedOver).toEqual([]);
    expect(answered).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(holds).toBe(2);
    expect(handedOver).toEqual(['https://www.mijnliefsteboek.nl/first', 'https://www.mijnliefsteboek.nl/second']);
    expect(savedState(area, 5)?.url).toBe('https://www.mijnliefsteboek.nl/second');
  });
});
