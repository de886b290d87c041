import { parseTabState, tabStateKey, type TabState } from './tab-state';

/** The part of `browser.storage.session` (or `.local`) the store needs. */
export interface StorageArea {
  get(keys?: null | string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export interface TabStore {
  /** Resolves once the states saved before a service-worker restart are back in memory. */
  ready: Promise<void>;
  get(tabId: number): TabState | undefined;
  all(): TabState[];
  set(state: TabState): void;
  delete(tabId: number): void;
  /** Marks a state as changed: it is saved soon, and `onChange` hears of it then (batched). */
  changed(state: TabState): void;
  flush(): Promise<void>;
}

/**
 * Per-tab state in memory, mirrored to session storage in small batches. The service worker may
 * be stopped at any moment; whatever was saved comes back with `ready`. Stored values are parsed
 * on the way in, like any other input: a bad one is dropped, not trusted.
 */
export function createTabStore(
  area: StorageArea,
  { delayMs = 100, onChange = (_tabId: number, _state: TabState | undefined): void | Promise<unknown> => {} } = {},
): TabStore {
  const states = new Map<number, TabState>();
  const dirty = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> = Promise.resolve();

  const ready = area.get(null).then(
    (items) => {
      for (const [key, value] of Object.entries(items)) {
        if (!key.startsWith('tab:')) continue;
        const state = parseTabState(value);
        // Anything written earlier in this start-up is newer than what is on disk.
        if (state && !states.has(state.tabId)) states.set(state.tabId, state);
      }
    },
    () => undefined,
  );

  function schedule(tabId: number) {
    dirty.add(tabId);
    timer ??= setTimeout(() => void flush(), delayMs);
  }

  function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (dirty.size === 0) return saving;
    const toSet: Record<string, unknown> = {};
    const toRemove: string[] = [];
    const notified: (void | Promise<unknown>)[] = [];
    for (const tabId of dirty) {
      const state = states.get(tabId);
      if (state) toSet[tabStateKey(tabId)] = state;
      else toRemove.push(tabStateKey(tabId));
      notified.push(onChange(tabId, state));
    }
    dirty.clear();
    saving = saving
      .catch(() => undefined)
      .then(async () => {
        if (Object.keys(toSet).length) await area.set(toSet);
        if (toRemove.length) await area.remove(toRemove);
        await Promise.allSettled(notified);
      });
    return saving;
  }

  return {
    ready,
    get: (tabId) => states.get(tabId),
    all: () => [...states.values()],
    set(state) {
      states.set(state.tabId, state);
      schedule(state.tabId);
    },
    delete(tabId) {
      if (!states.delete(tabId)) return;
      schedule(tabId);
    },
    changed(state) {
      if (states.get(state.tabId) !== state) return;
      schedule(state.tabId);
    },
    flush,
  };
}
