import { createLoggedRowsCounter } from '../db/packs';
import { catalog, hasConsentModeSignal, hostPermissions } from '../catalog';
import { isShopUrl } from '../catalog/shop-domains';
import { classifier as sharedClassifier, createCookieMatcher, createHostingDetector } from '../classify';
import { NO_STANCE, STANCE_KEY, parseStance, type Stance } from '../consent/stance';
import { LOG_WRITE_DELAY_MS, startBackgroundLog } from '../db/background-log';
import { createTranslator, pickLanguage } from '../i18n';
import { providePackagedMessages } from '../i18n/packaged';
import { createMessageRouter, type Sender } from '../messages';
import { NO_VISIT_YET, REPORT_SAVED } from '../messages/answers';
import { createObserver, createTabStore, recoveriesToWaitFor } from '../observe';
import { handleContentMessage } from '../observe/content-messages';
import { createTabSync } from '../observe/tab-sync';
import { listenToRequests } from '../observe/web-request';
import { watchDeadlines } from '../requests/deadline-watch';
import { createPendingFills } from '../requests/pending-fills';
import { createEventQueue } from './event-queue';
import { eraseLocalData } from './erase';
import { workerTimings } from './timings';
import { RIGHTS_STANDING_KEY, parseRightsStanding, type RightsDigest } from '../requests/standing';
import { judgeInboxFile } from '../har/inbox';
import { within } from '../timing/within';

type WebExtension = typeof import('wxt/browser').browser;

/** How long after a "loading" event without an address the tab is asked again (see tabs.onUpdated). */
const HIDDEN_URL_SETTLE_MS = 500;

/**
 * When a woken worker fetches its strings if no webRequest event has come by then: after the waking
 * event on a loaded machine (which comes 50-170 ms after start, BENCHMARKS.md), and soon enough for the
 * tests and the scan, which wait for the strings.
 */
const STRINGS_WITHOUT_REQUEST_MS = 250;

/** storage.local: `{ reason, previousVersion, version, at }` of the last `runtime.onInstalled`. */
export const INSTALLED_KEY = 'installed:v1';

/**
 * Builds the background from its parts and registers every listener synchronously, as MV3 asks:
 * a service worker woken by an event must have its listener in place before its first await. Events
 * are handled, in order, once start-up is done: the rows a stopped worker left in the journal are
 * queued again (older than anything new), the user's stance is back (every verdict depends on it),
 * and so are the per-tab states saved before the stop (each event changes one). All are read at once:
 * a woken worker's first event waits for one round trip to storage, not three. The strings are read
 * after that event and not waited for: only the badge's title, the deadline check and HAR reports are
 * written in them, and those wait for them themselves.
 */
export function startBackground(browser: WebExtension) {
  workerTimings.modulesLoaded = performance.now();
  const classifier = sharedClassifier();
  const t = createTranslator(pickLanguage(browser.i18n.getUILanguage()));
  const session = browser.storage.session ?? browser.storage.local;
  // Start-up reads everything at once, in one round trip each: session storage (the log's journal and
  // the tab states, one read for both), the user's stance and the open tabs.
  const sessionAtStart = session.get(null);
  const stanceAtStart = browser.storage.local.get(STANCE_KEY);
  // Which tabs are open, so that a saved state whose tab has closed meanwhile is not brought back.
  const openTabsAtStart = browser.tabs.query({}).then((tabs) => tabs.flatMap((tab) => (tab.id === undefined ? [] : [tab.id])));
  // The strings are fetched once the webRequest event that woke the worker is handled, or a moment
  // after start when none comes (a worker woken by a message or an alarm): a worker's first fetch, even
  // one begun a task after start, held back that event by a median 18 ms (BENCHMARKS.md).
  let wakingRequestHandled = () => {};
  const messagesAtStart = new Promise<void>((fetchNow) => {
    wakingRequestHandled = fetchNow;
    setTimeout(fetchNow, STRINGS_WITHOUT_REQUEST_MS);
  }).then(() => providePackagedMessages(browser));
  const { log, writer, maintain } = startBackgroundLog({ session, local: browser.storage.local, sessionAtStart });

  let stance: Stance = NO_STANCE;
  /** The customer's rights requests, from the deadline check (null until it has run). */
  let rights: RightsDigest[] | null = null;
  const sync = createTabSync({ browser, writer, t, stance: () => stance, rights: () => rights, strings: messagesAtStart });
  const store = createTabStore(session, {
    // The popup and the log hear of a tab's changes every 200 ms at most: each time costs a save of the
    // state and calls to the toolbar's badge and title, and every call to the browser is 0.2-0.5 ms of
    // the worker's thread whatever its size. At 100 ms a home page load made 18 saves and 13 toolbar
    // calls, at 200 ms 12 and 10.5; a popup a tenth of a second later is not seen (BENCHMARKS.md).
    delayMs: 200,
    onChange: sync.onChange,
    atStart: sessionAtStart,
    openTabsAtStart,
    saveWith: (items) => writer.journalNow(items),
    // A state that counts a request recovered from a page's report is saved with that request's row.
    holdSaves: () => recoveriesToWaitFor(observer),
  });
  const started = Promise.all([
    writer.recovered,
    stanceAtStart.then((items) => void (stance = parseStance(items[STANCE_KEY]))).catch(() => undefined),
    store.ready,
    // The standing the last deadline check saved, until this start's own check (below) has run.
    sessionAtStart.then((items) => void (rights ??= parseRightsStanding(items[RIGHTS_STANDING_KEY]))).catch(() => undefined),
  ]).then(() => void (workerTimings.started = performance.now()));
  // Start-up's work on the database (opening the log, pruning it, the deadline check) waits until the
  // events that woke the worker are handled: the log is written a second after them anyway, and
  // loading Dexie before them delayed the first one (lib/db/dexie.ts).
  const afterWakingEvents = started.then(() => new Promise<void>((done) => setTimeout(done, LOG_WRITE_DELAY_MS)));
  void afterWakingEvents.then(maintain);
  const events = createEventQueue(started);
  const afterStart = events.afterStart;
  const handle = (work: () => void) => void afterStart(work).catch((error) => console.error('privacy-lens: event failed', error));

  const observer = createObserver({
    classifier,
    matchCookie: createCookieMatcher(),
    detectHosting: createHostingDetector(),
    hasConsentMode: hasConsentModeSignal,
    writer,
    store,
    // Each event on its own clock: a cookie written before start-up was done is dated when it was written.
    now: events.now,
    newId: () => crypto.randomUUID(),
    // Rare (only after a stopped worker lost events): write what is queued, then count on disk.
    loggedRows: createLoggedRowsCounter(log, () => writer.flush()),
    closedVisitChanged: sync.closedVisitChanged,
    snapshotCookies(tabId, visitId) {
      void Promise.all(catalog.shop.domains.map((domain) => browser.cookies.getAll({ domain })))
        .then((lists) => handle(() => observer.cookiesPresent(tabId, visitId, lists.flat())))
        .catch(() => undefined);
    },
  });

  listenToRequests(browser, hostPermissions(), observer, (work) => {
    workerTimings.firstRequestArrived ??= performance.now();
    handle(() => {
      work();
      workerTimings.firstRequestHandled ??= performance.now();
      wakingRequestHandled();
    });
  });
  browser.cookies.onChanged.addListener(({ removed, cause, cookie }) =>
    handle(() => observer.cookieChanged({ removed, cause, name: cookie.name, domain: cookie.domain, value: cookie.value })),
  );
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    // Chromium clears a tab's own badge when its navigation commits, which on a slow page comes after
    // the visit's first requests set it: once the page has loaded, the badge is drawn again.
    if (change.status === 'complete') return handle(() => void sync.redrawBadge(tabId, store.get(tabId)));
    if (change.status !== 'loading') return;
    const at = Date.now();
    const url = change.url ?? tab.url;
    if (url !== undefined) return handle(() => observer.tabNavigated(tabId, url, at));
    // No address: the browser hides it for a page we hold no access to, but Firefox also hides a new
    // tab's placeholder while the shop page's own request has already started the visit. Look again
    // once the navigation has settled: a shop page shows its address by then.
    setTimeout(() => void browser.tabs.get(tabId).then((settled) => handle(() => observer.tabNavigated(tabId, settled.url, at)), () => undefined), HIDDEN_URL_SETTLE_MS);
  });
  browser.tabs.onRemoved.addListener((tabId) => handle(() => observer.tabRemoved(tabId)));

  // The user's own stance, followed: every open tab is judged again when it changes. Local storage's
  // own event, not `storage.onChanged`: that one also brings the worker every session-storage save it
  // makes itself (a tab's state and the journal's rows, a dozen per page load), each value converted
  // for it twice, old and new.
  browser.storage.local.onChanged.addListener((changes) => {
    if (!(STANCE_KEY in changes)) return;
    handle(() => {
      stance = parseStance(changes[STANCE_KEY]!.newValue);
      for (const state of store.all()) store.rejudge(state.tabId);
    });
  });

  // How the extension last started (install, update, browser update), so that an update can be told
  // from a fresh install afterwards: the end-to-end test of updates checks it.
  browser.runtime.onInstalled.addListener(({ reason, previousVersion }) => {
    const record = { reason, previousVersion: previousVersion ?? null, version: browser.runtime.getManifest().version, at: Date.now() };
    void browser.storage.local.set({ [INSTALLED_KEY]: record }).catch(() => undefined);
  });

  // A request sent, answered or past its deadline changes the promise of an answer within a month on
  // every open tab: they are judged again, as for a change of stance.
  const deadlines = watchDeadlines(browser, log, t, {
    ready: messagesAtStart,
    firstCheckAfter: afterWakingEvents,
    onStanding: (digest) =>
      handle(() => {
        rights = digest;
        for (const state of store.all()) store.rejudge(state.tabId);
      }),
  });
  const pendingFills = createPendingFills(session);
  const router = createMessageRouter({
    extensionId: browser.runtime.id,
    extensionBaseUrl: browser.runtime.getURL('/'),
    // The shop's domains, not the classifier: a shop page whose address looks like a first-party
    // measurement relay (`/g/collect`) is still the shop's page.
    isShopUrl,
    onContent(tabId, message, pageUrl, documentId) {
      if (message.type === 'data-request-form-ready') return pendingFills.take(tabId);
      // Answered once the tab state it changed is saved, and in so many words (REPORT_SAVED): a report
      // the worker handled but could not save before it was stopped is sent again by the content script,
      // not lost, and so is one whose answer Chromium turned into nothing (lib/messages/answers.ts). A
      // handler that fails answers with the error, and one that came before its visit began with
      // NO_VISIT_YET: the content script sends either again.
      return afterStart(() => handleContentMessage(observer, tabId, message, pageUrl, documentId)).then((taken) => (taken ? store.saved().then(() => REPORT_SAVED) : NO_VISIT_YET));
    },
    async onExtensionPage(message) {
      if (message.type === 'requests-changed') return deadlines.check();
      if (message.type === 'flush-log') return afterStart(() => writer.flush()).then(() => true);
      if (message.type === 'erase-everything') {
        await events.exclusive(() => eraseLocalData({ store, observer, writer, log, areas: [browser.storage.local, ...(browser.storage.session ? [browser.storage.session] : [])] }));
        // The requests went with everything else: the toolbar's "!" for a late answer goes too.
        await deadlines.check().catch(() => undefined);
        return true;
      }
      // With the strings: the report's evidence is written in them.
      if (message.type === 'judge-har') return messagesAtStart.then(() => afterStart(() => judgeInboxFile(message.id, { name: 'mijnliefsteboek-privacy-lens', version: browser.runtime.getManifest().version })));
      if (message.type !== 'open-data-request-form') return undefined;
      const tab = await browser.tabs.create({ url: catalog.shop.dataRequestPage.url });
      if (tab.id !== undefined) await pendingFills.put(tab.id, message.email);
      return { tabId: tab.id ?? null };
    },
    onDrop: (diagnostics) => void browser.storage.session?.set({ diagnostics }).catch(() => undefined),
    now: Date.now,
  });
  browser.runtime.onMessage.addListener((message: unknown, sender: Sender) => router.route(message, sender));
  workerTimings.listening = performance.now();

  return {
    // The scan and the tests start once everything is in, the strings too.
    ready: Promise.all([started, messagesAtStart]).then(() => undefined),
    /**
     * Has every shop tab report what it has, then writes everything queued (tests and the scan read the
     * log right after a page settles). A refused write is not thrown at the caller: it is already in
     * the log's health for every page.
     */
    flush: () =>
      started
        .then(() => askForReports(browser, store.all().map((state) => state.tabId)))
        .then(() => store.flush())
        .then(() => observer.recovered())
        .then(() => writer.flush().catch(() => undefined)),
    diagnostics: router.diagnostics,
    timings: workerTimings,
  };
}

/** How long a shop tab's content script gets to deliver its reports when asked (it may be gone). */
const REPORT_NOW_MS = 3_000;

/** Asks each tab's content script to deliver its pending reports now, and waits until they have (or it is gone). */
function askForReports(browser: WebExtension, tabIds: number[]): Promise<unknown> {
  return Promise.all(tabIds.map((tabId) => within(REPORT_NOW_MS, browser.tabs.sendMessage(tabId, { type: 'report-now' }).catch(() => undefined))));
}
