import { customerRegions } from '../catalog/shop.json';
import { defaultApplies, readConsentCommand, resolveConsentMode, type ConsentCommand } from './consent-mode-commands';
import { pageStartedAt } from '../observe/page-start';
import { pairPageChannel } from './page-channel';
import { PAGE_READERS } from './platforms/page';
import type { PageReader, PageReading } from './platforms/types';

/**
 * Runs in the page's own JavaScript world (a MAIN-world content script), where the consent signals
 * live: the consent platforms' page APIs (lib/consent/platforms), IAB TCF's `__tcfapi` and GPP's
 * `__gpp`, Google Consent Mode in `dataLayer`, UET's `uetq` and Meta's `fbq` queue. It has no
 * extension API at all: it passes plain JSON text to the content script through a DOM event whose
 * name the two agreed on before the page's scripts ran (page-channel.ts), and the background
 * validates that text like any other message from a page.
 *
 * It defines no global and changes nothing the page owns, with one exception, so that a consent
 * command is timed before the tags it unblocks send their first request: it wraps `push` on the
 * page's own `dataLayer` and `uetq` objects (as Google Tag Manager itself does), and until the page
 * first assigns either, that name on `window` is an accessor that hands the page's value back as a
 * plain property at once (watchQueue).
 */

type PageWindow = Window & {
  __tcfapi?: (command: string, version: number, callback: (data: unknown, success: boolean) => void) => void;
  __gpp?: (command: string, callback: (data: unknown, success: boolean) => void, parameter?: unknown, version?: string) => void;
  dataLayer?: unknown;
  uetq?: unknown;
  fbq?: unknown;
  google_tag_data?: unknown;
};

/** How long the reader looks for APIs that load late (banners load their script asynchronously). */
const LOOK_FOR_MS = 10_000;
const POLL_MS = 250;
/** A page API promise that does not settle in this time gives nothing. */
const READ_TIMEOUT_MS = 3_000;
/** Entries of a queue looked at, at most: a page that pushes without end is not read further. */
const MAX_QUEUE_ENTRIES = 5_000;

export function startPageConsentReader(win: PageWindow = window as PageWindow) {
  // Taken now, before the page's own scripts run, so that the page cannot swap them under us.
  const stringify = JSON.stringify;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const Custom = CustomEvent;
  const now = Date.now;
  const setTimer = setInterval;
  const clearTimer = clearInterval;
  let channel: string | null = null;
  pairPageChannel(win.document, (name) => (channel = name), { dispatch: (event) => dispatch.call(win.document, event), Custom });
  const post = (payload: object, at = now()) => {
    // Unpaired, the content script is not there to hear it (or the page would be).
    if (channel === null) return;
    try {
      dispatch.call(win.document, new Custom(channel, { detail: stringify({ ...payload, at }) }));
    } catch {
      // The page broke something; there is nothing to report then.
    }
  };

  // Looks for something that appears late, every POLL_MS until LOOK_FOR_MS: one timer for all.
  const waiting = new Set<() => boolean>();
  let started = now();
  let timer: ReturnType<typeof setInterval> | null = null;
  const pageStart = pageStartedAt(now(), win.performance.now());
  let lastInputAt: number | null = null;
  let inputSinceLook = false;
  const look = () => {
    for (const check of waiting) {
      let done = false;
      try {
        done = check();
      } catch {
        done = true;
      }
      if (done) waiting.delete(check);
    }
    inputSinceLook = false;
    if (timer !== null && (waiting.size === 0 || now() - started > LOOK_FOR_MS)) {
      clearTimer(timer);
      timer = null;
    }
  };
  const startLooking = () => {
    started = now();
    timer = setTimer(look, POLL_MS);
  };
  // Not looked for now: this runs before the page's first script (document_start), so nothing the
  // page defines is there yet, and a check now would only cost the page's load (each reader compiled
  // and run on its thread before the parser goes on). The first tick looks for all of it.
  const lookFor = (check: () => boolean) => void waiting.add(check);

  // The customer's presses and keys: a choice is made with one. After LOOK_FOR_MS, one starts the
  // looks again, so that a choice made late, which only a look can see, is seen.
  const onInput = () => {
    lastInputAt = now();
    inputSinceLook = true;
    if (timer === null && waiting.size > 0) startLooking();
  };
  // On the document, which every press and key passes on its way in (both are composed: they leave a
  // banner's shadow root too); with the method taken now, before the page could swap it.
  for (const type of ['pointerdown', 'keydown']) EventTarget.prototype.addEventListener.call(win.document, type, onInput, { capture: true, passive: true });
  /**
   * When a change that only a look can see (Google's own state) was made: at the press or key that
   * came since the look before; where it was there when first seen and the customer has not pressed
   * anything yet, at the page's start (a choice stored on an earlier visit, applied as the tags
   * loaded); otherwise now, the look's moment.
   */
  const changedAt: ChangedAt = (firstSight) =>
    inputSinceLook && lastInputAt !== null ? lastInputAt : firstSight && lastInputAt === null ? pageStart : now();

  readTcf(win, post, lookFor);
  readGpp(win, post, lookFor);
  for (const reader of PAGE_READERS) readPlatform(win, reader, post, lookFor);
  readConsentMode(win, post, lookFor, now, changedAt);
  readVendorCommands(win, post, lookFor, now);
  startLooking();
}

type Post = (payload: object, at?: number) => void;
type LookFor = (check: () => boolean) => void;
type ChangedAt = (firstSight: boolean) => number;

/** IAB TCF: the CMP may define __tcfapi late. */
function readTcf(win: PageWindow, post: Post, lookFor: LookFor) {
  lookFor(() => {
    const api = win.__tcfapi;
    if (typeof api !== 'function') return false;
    try {
      api('addEventListener', 2, (data, success) => {
        const tcData = data as { eventStatus?: unknown; tcString?: unknown } | null;
        if (success && tcData && typeof tcData.eventStatus === 'string') post({ source: 'tcf', eventStatus: tcData.eventStatus, tcString: String(tcData.tcString ?? '') });
      });
    } catch {
      // A CMP that throws reads as no CMP.
    }
    return true;
  });
}

/**
 * IAB GPP 1.1: `__gpp('addEventListener', callback)` calls back with `{ eventName, pingData }` on every
 * change; `pingData.gppString` is the whole string once `signalStatus` is 'ready'. The background
 * decodes it (its EU section is the TCF one).
 */
function readGpp(win: PageWindow, post: Post, lookFor: LookFor) {
  let last = '';
  const report = (data: unknown) => {
    const ping = (data as { pingData?: unknown } | null)?.pingData ?? data;
    const status = (ping as { signalStatus?: unknown } | null)?.signalStatus;
    const gppString = (ping as { gppString?: unknown } | null)?.gppString;
    if (status !== 'ready' || typeof gppString !== 'string' || gppString === '' || gppString === last) return;
    last = gppString;
    post({ source: 'gpp', gppString: gppString.slice(0, 16_384) });
  };
  lookFor(() => {
    const api = win.__gpp;
    if (typeof api !== 'function') return false;
    try {
      api('addEventListener', (data, success) => success !== false && report(data));
      api('ping', (data) => report(data));
    } catch {
      // As with TCF: a GPP stub that throws reads as none.
    }
    return true;
  });
}

/** One consent platform's page API: read once it is there, and again whenever it announces a change. */
function readPlatform(win: PageWindow, reader: PageReader, post: Post, lookFor: LookFor) {
  let last = '';
  const report = () => {
    let settled = false;
    const give = (reading: PageReading | null) => {
      if (settled || !reading) return;
      settled = true;
      const text = JSON.stringify(reading);
      if (text === last) return;
      last = text;
      post({ source: 'platform', platform: reader.platform, ...reading });
    };
    try {
      const result = reader.read(win);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<PageReading | null>).then(give, () => undefined);
        setTimeout(() => (settled = true), READ_TIMEOUT_MS);
      } else give(result as PageReading | null);
    } catch {
      // A reader that throws has read nothing; the next announcement tries again.
    }
  };
  lookFor(() => {
    if (!reader.present(win)) return false;
    // The banner is there whether or not its record can be read: the popup names it either way.
    post({ source: 'banner', platform: reader.platform });
    report();
    reader.subscribe(win, report);
    return true;
  });
}

/**
 * Google Consent Mode from `dataLayer`: every `gtag('consent', …)` from the first push on, resolved as
 * gtag resolves it (region-scoped defaults for the shop's customers' region only), posted with the
 * moment it was pushed. Where a tag template left no command in dataLayer
 * (`setDefaultConsentState`), Google's own resolved state (`google_tag_data.ics`, undocumented) is
 * read instead.
 */
function readConsentMode(win: PageWindow, post: Post, lookFor: LookFor, now: () => number, changedAt: ChangedAt) {
  const commands: ConsentCommand[] = [];
  const regions = customerRegions;
  const consider = (entry: unknown, at: number) => {
    const command = readConsentCommand(entry);
    if (!command) return;
    commands.push(command);
    // A default scoped to other regions changes nothing for this customer.
    if (command.command === 'default' && !defaultApplies(command.region, regions)) return;
    const resolved = resolveConsentMode(commands, regions);
    post({ source: 'consent-mode', command: command.command, values: resolved.values, origin: 'dataLayer', ...(command.waitForUpdate !== undefined ? { waitForUpdate: command.waitForUpdate } : {}) }, at);
  };
  watchQueue(win, 'dataLayer', lookFor, now, (entries, at) => entries.forEach((entry) => consider(entry, at)));

  // The fallback: Google's own resolved state, when no command came through dataLayer.
  let lastIcs = '';
  lookFor(() => {
    if (commands.length > 0) return true;
    const entries = readIcs(win.google_tag_data);
    if (!entries) return false;
    const text = JSON.stringify(entries);
    if (text !== lastIcs) {
      const at = changedAt(lastIcs === '');
      lastIcs = text;
      post({ source: 'consent-mode', command: entries.updated ? 'update' : 'default', values: entries.values, origin: 'ics' }, at);
    }
    // Looked at again while the looks go on: the customer may change the choice.
    return false;
  });
}

/** `google_tag_data.ics.entries[type] = { default, update }` (booleans), as gtag.js keeps it. */
function readIcs(data: unknown): { values: Record<string, 'granted' | 'denied'>; updated: boolean } | null {
  try {
    const entries = (data as { ics?: { entries?: unknown } } | null)?.ics?.entries;
    if (!entries || typeof entries !== 'object') return null;
    const values: Record<string, 'granted' | 'denied'> = {};
    let updated = false;
    for (const type of ['ad_storage', 'analytics_storage', 'ad_user_data', 'ad_personalization', 'functionality_storage', 'personalization_storage', 'security_storage']) {
      const entry = (entries as Record<string, { default?: unknown; update?: unknown } | undefined>)[type];
      const state = typeof entry?.update === 'boolean' ? entry.update : typeof entry?.default === 'boolean' ? entry.default : undefined;
      if (typeof entry?.update === 'boolean') updated = true;
      if (state !== undefined) values[type] = state ? 'granted' : 'denied';
    }
    return Object.keys(values).length ? { values, updated } : null;
  } catch {
    return null;
  }
}

/**
 * The consent commands of other vendors' tags, as evidence next to the banner's record:
 * UET's `uetq.push('consent', 'default' | 'update', { ad_storage })`, and Meta's
 * `fbq('consent', 'revoke' | 'grant')` while the pixel's queue waits for its library.
 */
function readVendorCommands(win: PageWindow, post: Post, lookFor: LookFor, now: () => number) {
  watchQueue(win, 'uetq', lookFor, now, (entries, at) => {
    for (let i = 0; i < entries.length; i++) {
      if (entries[i] !== 'consent') continue;
      const command = entries[i + 1];
      const values = entries[i + 2] as { ad_storage?: unknown } | undefined;
      if ((command === 'default' || command === 'update') && (values?.ad_storage === 'granted' || values?.ad_storage === 'denied')) {
        post({ source: 'vendor-consent', vendor: 'uet', command, granted: values.ad_storage === 'granted' }, at);
      }
    }
  });
  let seen = 0;
  lookFor(() => {
    const fbq: unknown = win.fbq;
    const queue = typeof fbq === 'function' ? (fbq as { queue?: unknown }).queue : undefined;
    if (!Array.isArray(queue)) return false;
    for (; seen < queue.length && seen < MAX_QUEUE_ENTRIES; seen++) {
      const args = queue[seen] as ArrayLike<unknown> | undefined;
      if (args?.[0] === 'consent' && (args[1] === 'grant' || args[1] === 'revoke')) post({ source: 'vendor-consent', vendor: 'meta', command: 'update', granted: args[1] === 'grant' }, now());
    }
    return false;
  });
}

/**
 * Follows a queue the page keeps on `window[name]` (an array, or an object with `push`): what is in it
 * when found, and every push after, timed before the push reaches the queue's own handler. A page
 * that replaces the queue gets its new one followed.
 *
 * The queue is found the moment the page first assigns it, not at the first look: a stored choice
 * is told to Google as the page loads (the banner's `gtag('consent', 'update', …)` at
 * DOMContentLoaded), and the tags it unblocks fire at once, long before a look 250 ms later. Timed
 * at that look, the update came after them, and a returning customer's consented pixel read as
 * "before the choice". So until the page assigns `window[name]`, it is an accessor that takes the
 * page's value, puts it back as the plain property the page meant to write, and follows the queue
 * from there; Google Tag Manager, which wraps `push` the same way, keeps ours in its chain.
 */
function watchQueue(win: PageWindow, name: 'dataLayer' | 'uetq', lookFor: LookFor, now: () => number, onEntries: (entries: unknown[], at: number) => void) {
  const hooked = new WeakSet<object>();
  let seen = 0;
  let current: unknown = undefined;
  const hook = (queue: { push?: unknown }) => {
    if (hooked.has(queue)) return;
    hooked.add(queue);
    const push = queue.push;
    if (typeof push !== 'function') return;
    try {
      queue.push = function (this: unknown, ...items: unknown[]) {
        const at = now();
        try {
          if (seen < MAX_QUEUE_ENTRIES) onEntries(items, at);
        } catch {
          // Never break the page's own push.
        }
        if (Array.isArray(queue)) seen += items.length;
        return Reflect.apply(push, this, items);
      };
    } catch {
      // A frozen queue is only read by polling.
    }
  };
  /** Reads what is new in the page's queue as of `at`, and follows its pushes from now on. */
  const follow = (queue: unknown, at: number) => {
    if (queue === null || typeof queue !== 'object') return;
    if (queue !== current) {
      current = queue;
      seen = 0;
    }
    if (Array.isArray(queue) && seen < queue.length) {
      const fresh = queue.slice(seen, MAX_QUEUE_ENTRIES);
      seen = queue.length;
      onEntries(fresh, at);
    }
    hook(queue as { push?: unknown });
  };
  trapFirstAssignment(win, name, (queue) => follow(queue, now()));
  lookFor(() => {
    follow(win[name], now());
    return false;
  });
}

/**
 * Calls `onAssigned` with the page's value the first time it assigns `win[name]`, which is then the
 * plain, writable property it would have been. Nothing is trapped where the page (or another
 * extension) already has the property, or where it cannot be defined; the looks find the queue there.
 *
 * While it waits, `name in window` is true where the page would hear false, and a script that asks so
 * before pushing would push to nothing. So a page that has not assigned it by DOMContentLoaded, when
 * every script in its markup has run, has it taken away again: a queue made later (by gtm.js itself,
 * loaded without the inline snippet) is found by the looks, as before.
 */
function trapFirstAssignment(win: PageWindow, name: 'dataLayer' | 'uetq', onAssigned: (value: unknown) => void) {
  if (Object.prototype.hasOwnProperty.call(win, name)) return;
  const plain = (value: unknown) => Object.defineProperty(win, name, { value, writable: true, enumerable: true, configurable: true });
  function set(value: unknown) {
    plain(value);
    try {
      onAssigned(value);
    } catch {
      // Never break the page's own assignment.
    }
  }
  const get = () => undefined;
  try {
    Object.defineProperty(win, name, { configurable: true, enumerable: true, get, set });
  } catch {
    // A window that will not take the property: the looks still find the queue.
    return;
  }
  const release = () => {
    // Only ours: a page that defined the property its own way keeps it.
    const descriptor = Object.getOwnPropertyDescriptor(win, name);
    if (descriptor?.get === get && descriptor.set === set) delete win[name];
  };
  EventTarget.prototype.addEventListener.call(win.document, 'DOMContentLoaded', release, { once: true, capture: true });
}
