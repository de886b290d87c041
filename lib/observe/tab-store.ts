import { readStoredTabState, storedTabState, tabStateKey, type TabState } from './tab-state';

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
  /**
   * Marks a state as changed: it is saved soon, and `onChange` hears of it then (batched). `now`: saved
   * in this very task whatever the spacing, for the rare changes a stop must not lose while the log's
   * journal keeps their rows (a visit's start, its hosting, a consent change).
   */
  changed(state: TabState, options?: { now?: boolean }): void;
  /**
   * Has `onChange` judge a tab again although its state did not change (the user's stance did):
   * nothing is saved for it.
   */
  rejudge(tabId: number): void;
  /** Whether the tab's state changed since `onChange` last heard of it. */
  unheard?(tabId: number): boolean;
  /**
   * The tabs that closed while the worker was stopped (their saved states, dropped at start), each
   * handed out once: the hits such a page sent as it closed may still be on their way, and are its visit's.
   */
  takeClosedAtStart?(): TabState[];
  flush(): Promise<void>;
  /**
   * Resolves once every change made so far is in storage: with the next save, which comes within the
   * spacing. A content script's report is answered only then: if the worker stops first, the report
   * is sent again. The reports of a page load come a few milliseconds apart, and each one saving at
   * once was a third of the worker's saves during a load (BENCHMARKS.md): they now share the next.
   */
  saved(): Promise<void>;
}

/**
 * Per-tab state in memory, mirrored to session storage. The service worker may be stopped between
 * any two tasks (Chrome does so when it is idle, on an update, or when DevTools asks), and whatever
 * was only in memory is gone then: so a changed state is handed to storage in the task that changed
 * it (a microtask later, one call for all changes of that task), while `onChange` (badge, verdicts,
 * the visit's row) hears of changes in batches. Whatever was saved comes back with `ready`, and is
 * judged once again then, in case the worker stopped before it was. A state is stored as its JSON
 * text (`storedTabState`), and parsed on the way in like any other input: a bad one is dropped, not
 * trusted.
 */
export function createTabStore(
  area: StorageArea,
  {
    delayMs = 100,
    saveSpacingMs = 200,
    atStart,
    openTabsAtStart,
    saveWith = (items) => (Object.keys(items).length ? area.set(items) : Promise.resolve()),
    holdSaves,
    onChange = (_tabId: number, _state: TabState | undefined): void | Promise<unknown> => {},
  }: {
    delayMs?: number;
    /**
     * The least time between two saves. A change after a quiet spell is saved in its own task; under a
     * flood of requests the saves come at most this often, each with every change since the last (a
     * state is tens of kB: one save per request would keep the worker busy serialising; at 50 ms the
     * saves were still a sixth of the worker's time during a page load, BENCHMARKS.md). What a stop
     * loses in between, the page's Resource Timing report recovers (observer.ts, `reconcile`), and the
     * log's journal holds the rows of what was saved (`saveWith`) and, within its spacing, of the rest.
     */
    saveSpacingMs?: number;
    onChange?: (tabId: number, state: TabState | undefined) => void | Promise<unknown>;
    /** The area's items as already read at start-up (shared with the log's journal: one read, not two). */
    atStart?: Promise<Record<string, unknown>>;
    /**
     * The browser's open tabs, asked at start-up. A saved state whose tab is not among them is not
     * brought back, and its key is removed: its tab was closed while no worker heard of it, or just
     * before a stop whose save of the removal never came. Brought back, it would live on for the
     * browser's session, collect the shop's cookie writes and consent changes for a visit that ended,
     * and be read at every start. Tab ids are not reused, so only states from before the start are
     * judged by it. Without it, or if the browser does not answer, every saved state comes back.
     */
    openTabsAtStart?: Promise<readonly number[]>;
    /**
     * How a save's states reach the area (the area's own `set` if not given). The background saves them
     * through the log's writer, in one call with the rows waiting for its journal in the same area, so a
     * saved state never holds an event whose rows a stop could still lose; one call where a save and
     * the journal's rows were two was a sixth of the worker's calls to the browser during a page load.
     * Called on every save, with no states when it only removes some.
     */
    saveWith?: (items: Record<string, unknown>) => Promise<void>;
    /**
     * What a save waits for before it is handed to storage: the rows of the requests the observer is
     * recovering from a page's report. Their count is in the state at once, their rows only once the
     * log has said it lacks them; a state saved in between, and a stop, left a request counted (its
     * report marked as read) with no row anywhere. Saves keep their order while held.
     */
    holdSaves?: () => Promise<unknown> | undefined;
  } = {},
): TabStore {
  const states = new Map<number, TabState>();
  /** Changed since `onChange` last heard of them. */
  const dirty = new Set<number>();
  /** Changed since they were last handed to storage. */
  const unsaved = new Set<number>();
  let saveQueued = false;
  let lastSaveAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> = Promise.resolve();
  /** What `saved` hands out while changes wait for the next save, and how to settle it then. */
  let nextSave: { landed: Promise<void>; settle(saved: Promise<void>): void; bound: ReturnType<typeof setTimeout> } | undefined;
  /** The last save's turn to be handed to storage: the next one is handed over after it. */
  let handedOver: Promise<unknown> = Promise.resolve();

  const closedAtStart: TabState[] = [];
  const ready = Promise.all([atStart ?? area.get(null), openTabsAtStart?.catch(() => undefined)]).then(
    ([items, openTabs]) => {
      const open = openTabs && new Set(openTabs);
      let closed = false;
      for (const [key, value] of Object.entries(items)) {
        if (!key.startsWith('tab:')) continue;
        const state = readStoredTabState(value);
        if (state && open && !open.has(state.tabId)) {
          closedAtStart.push(state);
          // Not in memory, so the next save removes its key.
          unsaved.add(state.tabId);
          closed = true;
          continue;
        }
        // Anything written earlier in this start-up is newer than what is on disk.
        if (state && !states.has(state.tabId)) {
          states.set(state.tabId, state);
          dirty.add(state.tabId);
        }
      }
      if (closed) void save();
      if (dirty.size) timer ??= setTimeout(notify, delayMs);
    },
    () => undefined,
  );

  function schedule(tabId: number, now = false) {
    dirty.add(tabId);
    unsaved.add(tabId);
    if (now) queueMicrotask(() => void save());
    else if (!saveQueued) {
      saveQueued = true;
      const wait = lastSaveAt + saveSpacingMs - Date.now();
      if (wait <= 0) queueMicrotask(() => void save());
      else setTimeout(() => void save(), wait);
    }
    timer ??= setTimeout(notify, delayMs);
  }

  function save(): Promise<void> {
    saveQueued = false;
    lastSaveAt = Date.now();
    const waiting = nextSave;
    if (waiting) {
      clearTimeout(waiting.bound);
      nextSave = undefined;
    }
    if (unsaved.size === 0) {
      waiting?.settle(saving);
      return saving;
    }
    const toSet: Record<string, unknown> = {};
    const toRemove: string[] = [];
    for (const tabId of unsaved) {
      const state = states.get(tabId);
      if (state) toSet[tabStateKey(tabId)] = storedTabState(state);
      else toRemove.push(tabStateKey(tabId));
    }
    unsaved.clear();
    // Handed over now, not after the previous save has landed: the browser takes the values (and keeps
    // the calls' order) even if this worker is stopped before the answer comes back. A held save is
    // handed over in its turn, after the saves before it.
    const handOver = () => [saveWith(toSet), toRemove.length ? area.remove(toRemove) : undefined];
    let calls: Promise<unknown>;
    if (holdSaves) {
      const turn = handedOver.then(holdSaves).catch(() => undefined);
      handedOver = turn;
      calls = turn.then(() => Promise.all(handOver()));
    } else calls = Promise.all(handOver());
    saving = Promise.all([saving.catch(() => undefined), calls]).then(() => undefined);
    waiting?.settle(saving);
    return saving;
  }

  function saved(): Promise<void> {
    if (unsaved.size === 0) return saving;
    if (!nextSave) {
      let settle!: (saved: Promise<void>) => void;
      const landed = new Promise<void>((resolve, reject) => (settle = (saved) => void saved.then(resolve, reject)));
      // A change always has a save queued (schedule); the bound only makes sure of it.
      nextSave = { landed, settle, bound: setTimeout(() => void save(), saveSpacingMs) };
    }
    return nextSave.landed;
  }

  /**
   * `onChange` hears of every state changed since it last did. What it hears of is saved right after,
   * in the same task and the same call to the browser as the rows it wrote (the visit's row, through
   * `saveWith`): a stop between that row and the state it came from would bring back an older state
   * that rewrites the row with less. Otherwise saving keeps its own spacing.
   */
  function notify(): Promise<unknown> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const unsavedHeard = [...dirty].some((tabId) => unsaved.has(tabId));
    const notified = [...dirty].map((tabId) => onChange(tabId, states.get(tabId)));
    dirty.clear();
    if (unsavedHeard) void save();
    return Promise.allSettled(notified);
  }

  function flush(): Promise<void> {
    // Heard first: the rows `onChange` writes then go in the same save as their states.
    return Promise.all([notify(), save()]).then(() => undefined);
  }

  return {
    ready,
    takeClosedAtStart: () => closedAtStart.splice(0),
    get: (tabId) => states.get(tabId),
    unheard: (tabId) => dirty.has(tabId),
    all: () => [...states.values()],
    set(state) {
      states.set(state.tabId, state);
      schedule(state.tabId, true);
    },
    delete(tabId) {
      if (!states.delete(tabId)) return;
      schedule(tabId);
    },
    changed(state, options) {
      if (states.get(state.tabId) !== state) return;
      schedule(state.tabId, options?.now);
    },
    rejudge(tabId) {
      if (!states.has(tabId)) return;
      dirty.add(tabId);
      timer ??= setTimeout(notify, delayMs);
    },
    flush,
    saved,
  };
}
