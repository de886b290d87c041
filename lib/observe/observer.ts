import type { EntryId, RequestKind } from '../catalog';
import { splitUrl, type Classifier, type UrlClass } from '../classify';
import { parseConsentMode } from '../consent/consent-mode';
import type { BannerState, ConsentRecord } from '../consent/model';
import { findPersonalData } from '../consent/personal-data';
import { MAX_REPORT_DELAY_MS, placeConsent } from '../consent/timeline';
import { promiseSignals, type PromiseSignals } from '../promises/signals';
import { foldLeftOut, markLeftOutStopped } from '../promises/left-out';
import { stoppedBeforeSent } from './stopped';
import { recoveredKey, requestToRecover, tally, urlKey } from './reconcile';
import { observationRow } from './rows';
import { isConsentCookie, readConsentCookies } from '../consent/readers';
import type { LogWriter, Observation } from '../db';
import {
  MAX_CONSENT_CHANGES,
  MAX_COOKIE_WRITES,
  MAX_COOKIES_PER_ENTRY,
  MAX_JUDGED_REQUESTS,
  MAX_PENDING_REQUESTS,
  MAX_PLAIN_REQUESTS,
  MAX_RECONCILED_URLS,
  MAX_STORAGE_SIGHTINGS,
  MAX_UNLISTED_HOSTS,
  MAX_UNLISTED_REQUESTS,
  keptAddress,
  newTabState,
  overflowHostSeen,
  visitOfState,
  type EntryActivity,
  type Reconcile,
  type RequestRecord,
  type CookieWrite,
  type TabState,
} from './tab-state';
import type { TabStore } from './tab-store';
import { createLeftPages } from './left-pages';
import { CLOSED_PAGE_MS, tabOfWorkerRequest, type ClosedPage } from './worker-requests';
import { within } from '../timing/within';

/** A webRequest event, reduced to what the log keeps (the same shape on Chromium and Firefox). */
export interface RequestEvent {
  requestId: string;
  tabId: number;
  frameId: number;
  url: string;
  type: string;
  method: string;
  timeStamp: number;
  initiator?: string;
  statusCode?: number;
  error?: string;
  responseHeaders?: { name: string; value?: string }[];
  /** The request body as text (beacons, form posts), only on the request's start. */
  body?: string;
  /** The id of the document the request belongs to (Chromium; Firefox for a beacon, not a fetch), and that document's state (Chromium only). */
  documentId?: string;
  documentLifecycle?: string;
  /**
   * Sent by a service worker (no tab of its own) and placed in the tab of the page it names
   * (worker-requests.ts): marked so in its record and its row, for support staff who will not find it
   * among the page's own requests.
   */
  sentByWorker?: true;
}

export interface CookieEvent {
  removed: boolean;
  cause: string;
  name: string;
  domain: string;
  value: string;
}

export interface PageResource {
  url: string;
  initiatorType: string;
  startTime: number;
  /** Place in the page's report, from 1. */
  seq: number;
}

/**
 * The page a content script's report comes from: when it began, and when the back/forward cache last
 * showed it again if it did (lib/observe/page-start.ts), and its address.
 */
export interface ReportingPage {
  start: number;
  shownAgainAt?: number;
  /** When a prerendered page was shown (lib/observe/page-start.ts): its visit begins then. */
  shownAt?: number;
  url: string;
  /** The id of the page's document, as the browser names the report's sender (Chromium; Firefox ESR 153 too). */
  documentId?: string;
}

/** How many of a tab's documents it remembers (tabDocuments): far more than a back/forward cache keeps. */
const MAX_TAB_DOCUMENTS = 16;

/**
 * How much later than the tab's visit a reporting page may have begun and still be the visit's own
 * page. Its start is the page's clock read against the machine's (Firefox may round both to 100 ms);
 * the visit's, a request's time. A page left for another within a second keeps its reports with the
 * visit, as every page did before pages said when they began.
 */
const PAGE_START_MARGIN_MS = 1_000;

/** A consent change's log row: one per change, whatever is later learnt about its moment. */
const changeId = (state: TabState, change: TabState['consent'][number]) => `${state.visitId}:c${change.receivedAt}:${change.signal ?? 'record'}:${change.source}`;


/** A cookie write reported by the jar and by a Set-Cookie header this close together is one write. */
const SAME_WRITE_MS = 3_000;

/**
 * The jar's catalog cookie writes on the shop's domains that the observer keeps for a visit starting
 * later (see takeInJarWrites): at most this many, and when one is added, none older than JAR_WRITE_MS.
 */
const MAX_JAR_WRITES = 32;
const JAR_WRITE_MS = 10_000;

/** Reporting page loads whose last `seq` a visit remembers: the current one and a few before it. */
const MAX_REPORTING_PAGES = 4;

/**
 * What the page itself said about consent, already validated and read: a record of the customer's
 * choice (a platform's API, TCF, GPP), or a signal the shop sent the vendors' tags.
 */
export type PageConsentReport =
  /**
   * `carriedOver`: a stored choice, made before this page loaded (TCF's `tcloaded`); for a platform's
   * answer, unless its banner was seen waiting on this visit (or it answered before).
   */
  | { kind: 'record'; record: ConsentRecord; carriedOver: boolean | 'unless-banner-waited' }
  /** The platform's API says no choice has been made yet: its banner waits. */
  | { kind: 'pending'; cmp: BannerState['cmp']; seenAt: number }
  /** A platform's API is on the page: the banner is named even when its record cannot be read. */
  | { kind: 'named'; cmp: BannerState['cmp'] }
  /** `carriedOver`: sent before this visit began (told again to the visit of a page shown again). */
  | { kind: 'signal'; signal: ConsentRecord & { signal: 'default' | 'update' }; carriedOver?: true };

export interface ObserverDeps {
  classifier: Classifier;
  matchCookie(name: string): EntryId | null;
  detectHosting(headers: { name: string; value?: string }[]): EntryId | null;
  /** The catalog's Consent Mode signal per entry (GA: analytics storage, Ads: ad storage). */
  hasConsentMode(entryId: EntryId): boolean;
  writer: LogWriter;
  store: TabStore;
  now(): number;
  newId(): string;
  /** Asks the browser for the shop's cookies at the start of a visit. */
  snapshotCookies?(tabId: number, visitId: string): void;
  /**
   * How many rows the log holds for a request URL in a visit (queued rows included). Asked before a
   * recovered request is logged: a stop can lose the tab state's count while the row was already
   * journaled. Without it (unit tests), a recovered request is always logged.
   */
  loggedRows?(visitId: string, url: string): Promise<number>;
  /**
   * A visit whose tab is gone changed: its tab closed, or its page's last hits came after the close
   * (requestOfClosedVisit). The tab store no longer holds it, so its judgement and row are written by
   * this call.
   */
  closedVisitChanged?(state: TabState): void;
  /** What the policy's promises need from requests and responses; the bundled catalog's by default. */
  signals?: PromiseSignals;
}

/**
 * Requests in flight whose records an end can still mark stopped: a flood that the browser refuses
 * under load has hundreds in flight. At most this many references to records (a few hundred bytes each,
 * mostly the window's own).
 */
const MAX_OPEN_RECORDS = 1_000;

/** Shop tabs closed within CLOSED_PAGE_MS that are remembered: more than a customer closes at once. */
const MAX_CLOSED_PAGES = 20;

/** A shop page whose tab closed a moment ago, with its visit's state, which its last hits still join. */
interface ClosedVisit extends ClosedPage {
  state: TabState;
}

/** The `count` oldest entries of a map gone, at once: a flood whose requests never end pays for it once in a while. */
function forgetOldest(map: Map<string, unknown>, count: number) {
  for (const key of map.keys()) {
    map.delete(key);
    if (--count === 0) return;
  }
}

/**
 * Turns browser events into visits, per-tab activity, consent history and log rows. Pure logic over
 * injected dependencies: the background wires the real browser events to it, the unit tests fake them.
 */
export function createObserver(deps: ObserverDeps) {
  const { classifier, store, writer } = deps;
  const signals = deps.signals ?? promiseSignals();
  /** The shop's consent cookies as last seen: OneTrust's record spans two of them. */
  const consentCookies = new Map<string, string>();
  /** Recovered requests whose log row waits on the log's answer (see recoverRequest). */
  const recovering = new Set<Promise<void>>();
  /**
   * The judged records of requests recovered from a page's report by this worker, which know no
   * method and no body: the request's own events, if they come after all, put theirs in its place
   * (see countUnlessRecovered). In memory only: after a stop the recovered record stays as it is.
   */
  const recoveredRecords = new WeakSet<RequestRecord>();
  /**
   * The judged record of each request not yet ended, so that its end can mark it stopped (in the window,
   * or in the left-out groups if the window let go of it meanwhile). In memory only, the latest
   * MAX_OPEN_RECORDS: after a stop, or for a request with more than that many started after it before it
   * ended, the tracker's count of stopped requests still grows, but the record stays unmarked.
   */
  const openRecords = new Map<string, RequestRecord>();
  /**
   * The tab (or the closed page's visit) each tabless request went to at its start, until its end: the
   * end goes to the same place even if tabs opened or closed meanwhile, and a hit recognised only by its
   * body (which its end lacks) still ends there. In memory, the latest MAX_OPEN_RECORDS, as openRecords.
   */
  const workerRequestTabs = new Map<string, number | TabState>();
  /**
   * The visit each catalog request not yet ended was counted in: its end goes there, though the tab has
   * gone on to another page meanwhile (counted in that page's visit too, it would be counted twice). In
   * memory, the latest MAX_OPEN_RECORDS, as openRecords.
   */
  const openVisits = new Map<string, TabState>();
  /** The shop pages tabs left a moment ago, whose last hits come after the tab's visit moved on (left-pages.ts). */
  const leftPages = createLeftPages(deps.now);
  /** How many times everything was forgotten (forgetEverything): a row whose turn comes after is not logged. */
  let erasures = 0;
  /**
   * Per tab, the shop page whose own request is still under way: the tab shows the page before it until
   * it arrives. `leftHidden` is set when a hidden address was reported meanwhile (see tabNavigated). In
   * memory only: after a stop, a hidden address is judged by the visit's start alone, as before.
   */
  const pagesLoading = new Map<number, { requestId: string; visitId: string; leftHidden: boolean }>();
  /**
   * Per tab, a visit started from the tab's report of a shop address (tabNavigated) or from the page's
   * own first report (visitOfPage), whose page request has not been told yet: a back/forward-cache page
   * makes none, nor does one the shop's service worker served, but Firefox under load tells a page's
   * request after the tab's navigation (traced: 102 ms after the request began, after the page had
   * written its cookies). That request, begun before the visit was told of (`toldAt`), is the visit's
   * own (pageRequested). In memory only: after a stop, such a request starts a visit of its own, as any
   * request does.
   */
  const startedByNavigation = new Map<number, StartedUntold>();
  /**
   * Per tab, the documents its shop pages reported from (the sender's documentId), by the address each
   * reported, and which of them the tab's visit holds (visitOfDocument, which needs Chromium's state of
   * a request's document). In memory only: after a stop, a page shown again waits for its report, as in
   * Firefox.
   */
  const tabDocuments = new Map<number, TabDocuments>();
  /** The jar's latest catalog cookie writes on the shop's domains (see takeInJarWrites). */
  const jarWrites: JarWrite[] = [];

  /** The user erased everything: every open tab forgets its visit, until its next page load. */
  function forgetEverything() {
    erasures++;
    for (const state of store.all()) store.delete(state.tabId);
    openRecords.clear();
    openVisits.clear();
    workerRequestTabs.clear();
    closedPages.length = 0;
    leftPages.clear();
    store.takeClosedAtStart?.();
    pagesLoading.clear();
    startedByNavigation.clear();
    tabDocuments.clear();
    jarWrites.length = 0;
  }

  /** A new visit of the tab, from `at`; the page its visit before showed is left, by `navigation` if one was seen. */
  function startVisit(tabId: number, url: string, at: number, { shownAgain = false, navigation }: { shownAgain?: boolean; navigation?: string } = {}): TabState {
    const before = store.get(tabId);
    if (before) pageLeft(before, navigation, at);
    const state = newTabState(tabId, deps.newId(), url, at);
    if (shownAgain) state.shownAgain = true;
    takeInJarWrites(state, at, Number.POSITIVE_INFINITY);
    store.set(state);
    logVisit(state);
    deps.snapshotCookies?.(tabId, state.visitId);
    return state;
  }

  /**
   * The jar's catalog cookie writes told between `from` and `until`, which a visit whose page's request
   * began at `from` had no chance to hear of: that request was told after them (Firefox under load hands
   * a page's request to the background after the tab's navigation and the page's own cookie writes).
   * Written after the request began, they are the visit's as much as any told after it. Each is logged
   * in the consent state it was told in, and the visit's writes stay in time order.
   */
  function takeInJarWrites(state: TabState, from: number, until: number) {
    let taken = false;
    for (const write of jarWrites) {
      if (write.at < from || write.at >= until) continue;
      const changesBefore = state.consent.filter((change) => change.receivedAt <= write.at).length;
      taken = jarWritten(state, write, changesBefore) || taken;
    }
    if (taken) state.cookieWrites.sort((a, b) => a.at - b.at);
  }

  /**
   * A catalog cookie the jar says was written, on one visit: its owner set a cookie, and the write is
   * recorded unless the shop's server told of this very write already (its Set-Cookie header).
   * Whether it was recorded.
   */
  function jarWritten(state: TabState, write: JarWrite, changesBefore?: number): boolean {
    addName(activity(state, write.entryId, write.at).cookiesSet, write.name);
    if (recentWrite(state, write.name, write.at, 'server')) return false;
    addCookieWrite(state, { entryId: write.entryId, name: write.name, at: write.at }, write.domain, write.value, changesBefore);
    return true;
  }

  /** The visit's own row in the log, written again whenever what it keeps of the tab changes. */
  function logVisit(state: TabState) {
    writer.put('visits', visitOfState(state));
  }

  function endVisit(tabId: number) {
    store.delete(tabId);
    pagesLoading.delete(tabId);
    startedByNavigation.delete(tabId);
  }

  /** The tab's visit ends at `at`: it left the shop, by `navigation` if its request was seen. */
  function leaveShop(tabId: number, at: number, navigation?: string) {
    const state = store.get(tabId);
    if (state) pageLeft(state, navigation, at);
    endVisit(tabId);
  }

  /**
   * The visit's page is left: kept a moment for its last hits, unless it never arrived (the shop's
   * redirect to a payment page, whose own request leaves it). Its last changes may not have been judged
   * into its row yet, and the store will hear of the tab's next state only.
   */
  function pageLeft(state: TabState, navigation: string | undefined, at: number) {
    const loading = pagesLoading.get(state.tabId);
    if (store.unheard?.(state.tabId)) deps.closedVisitChanged?.(state);
    if (navigation !== undefined && loading?.requestId === navigation && loading.visitId === state.visitId) return;
    const held = tabDocuments.get(state.tabId)?.visit;
    leftPages.left(state, { documentId: held?.visitId === state.visitId ? held.documentId : undefined, navigation, at });
  }

  /**
   * Shop pages whose tab closed in the last CLOSED_PAGE_MS, newest last (at most MAX_CLOSED_PAGES): the
   * hits a page sends as it closes come with no tab, and are its own visit's (worker-requests.ts).
   */
  const closedPages: ClosedVisit[] = [];

  /**
   * When this worker began, read before any event could come: a queued event is dated when it came
   * (the background's clock), so the pages of tabs closed while the worker was stopped must not be
   * dated later than the hits that woke it.
   */
  const workerStartedAt = deps.now();

  function pageClosed(state: TabState, at = deps.now()) {
    closedPages.push({ url: state.url, closedAt: at, state });
    if (closedPages.length > MAX_CLOSED_PAGES) closedPages.shift();
  }

  /**
   * The shop pages closed a moment ago. A customer reads a page for longer than the worker stays up, so
   * the close that wakes it is the usual case: that tab's state was dropped at its start, and its page
   * counts as closed from then.
   */
  function recentlyClosed(): readonly ClosedVisit[] {
    for (const state of store.takeClosedAtStart?.() ?? []) pageClosed(state, workerStartedAt);
    const now = deps.now();
    // A clock set back makes an age negative: such a page goes too, rather than staying for hours.
    while (closedPages.length > 0 && (now - closedPages[0]!.closedAt > CLOSED_PAGE_MS || now < closedPages[0]!.closedAt)) closedPages.shift();
    return closedPages;
  }
  // Taken as the store has read them, so that they are not kept beyond CLOSED_PAGE_MS from the
  // worker's start when no request asks until later.
  void store.ready.then(recentlyClosed, () => undefined);

  /** The visit of a tab closed a moment ago (CLOSED_PAGE_MS). */
  function closedVisitOfTab(tabId: number): TabState | undefined {
    return recentlyClosed().findLast((closed) => closed.state.tabId === tabId)?.state;
  }

  function tabRemoved(tabId: number) {
    const state = store.get(tabId);
    endVisit(tabId);
    tabDocuments.delete(tabId);
    // A tab closed while the next page's request was on its way still showed the page it was leaving:
    // the hits it sends as the tab closes are that page's.
    const leaving = leftPages.closed(tabId, deps.now());
    if (!state) {
      if (leaving) pageClosed(leaving);
      return;
    }
    pageClosed(state);
    // Its last changes (the hits its page sent with the tab's id as it closed) may not have been heard
    // of yet, and the store hears of it now only as gone.
    deps.closedVisitChanged?.(state);
  }

  function documentsOf(tabId: number): TabDocuments {
    let documents = tabDocuments.get(tabId);
    if (!documents) tabDocuments.set(tabId, (documents = { pages: new Map(), visit: null, prerendered: new Map(), prerenderFrames: new Map() }));
    return documents;
  }

  /** The document's address, kept as the latest of the tab's; whether the tab knew the document before. */
  function rememberPage(documents: TabDocuments, documentId: string, url: string): boolean {
    const known = documents.pages.delete(documentId);
    documents.pages.set(documentId, url);
    if (documents.pages.size > MAX_TAB_DOCUMENTS) {
      const oldest = documents.pages.keys().next().value!;
      documents.pages.delete(oldest);
      documents.prerendered.delete(oldest);
    }
    return known;
  }

  /**
   * A page the shop's speculation rules have the browser fetch (prefetch) or load unseen (prerender)
   * before the customer goes there, if ever: no visit begins or ends. A prerender's own request names
   * the frame it loads in, whose requests then name the page's document (prerenderedDocument).
   */
  function prerendering(event: RequestEvent) {
    if (event.frameId === 0 || !isShopPage(event.url)) return;
    const frames = documentsOf(event.tabId).prerenderFrames;
    frames.delete(event.frameId);
    frames.set(event.frameId, { url: event.url });
    if (frames.size > MAX_TAB_DOCUMENTS) frames.delete(frames.keys().next().value!);
  }

  /**
   * A request of a prerendered shop page: its document is that page's, shown later perhaps. Its first
   * request once shown begins its visit (visitOfDocument), as its report would.
   */
  function prerenderedDocument(event: RequestEvent) {
    const documents = tabDocuments.get(event.tabId);
    const frame = documents?.prerenderFrames.get(event.frameId);
    if (!documents || !frame || event.documentId === undefined || documents.pages.has(event.documentId)) return;
    rememberPage(documents, event.documentId, frame.url);
    documents.prerendered.set(event.documentId, event.frameId);
  }

  /**
   * A shop page's report came from its document, and `visit` took it: the document's address, and the
   * visit's page is that document, unless the page began before the visit and had reported before (a
   * report of the page before, late: visitOfReport gives it to the tab's visit). A document first heard
   * of now is the visit's page however long before the visit it began: its navigation began before the
   * shop's request did, through an ad click's slow redirects or on a slow machine, and its address may
   * differ from the visit's by now (a page that strips `gclid` from its address). Left unheld, its next
   * request would begin a visit of a page shown again (visitOfDocument). Of two pages reporting to one
   * visit the one that began (or was shown again) last is the visit's: a page left within a second,
   * whose last report came after the next page's first, is not.
   */
  function noteDocument(tabId: number, documentId: string, page: ReportingPage, visit: TabState) {
    const documents = documentsOf(tabId);
    const reportedBefore = rememberPage(documents, documentId, page.url);
    const began = pageBegan(page);
    if (reportedBefore && began < visit.startedAt - PAGE_START_MARGIN_MS) return;
    const held = documents.visit;
    if (held?.visitId === visit.visitId && held.documentId !== documentId && held.began > began) return;
    documents.visit = { visitId: visit.visitId, documentId, began };
    if (documents.prerendered.has(documentId)) prerenderShown(documents, documentId, visit);
  }

  /**
   * The visit of a page the back/forward cache showed again, begun by the page's first request: in
   * Chromium a top-frame request names its document, and one of the tab's earlier pages, active again
   * while the tab's latest visit with a report holds another page's document, is that page come back
   * (also while the request of a next page is on its way: going back abandons it). Its own report says
   * so too (visitOfPage), but the two race to the worker, and the request won 1 run in 5 (BENCHMARKS.md,
   * the thirty-first stop): it then counted in the visit of the page left. A request of the page left,
   * while it goes (`pending_deletion`) or while the next page's request is on its way (still `active`,
   * the document the visit before held), is no showing.
   */
  function visitOfDocument(event: RequestEvent): TabState | undefined {
    if (event.frameId !== 0 || event.documentId === undefined || event.documentLifecycle !== 'active') return undefined;
    const documents = tabDocuments.get(event.tabId);
    const state = store.get(event.tabId);
    if (!documents || !state || documents.visit?.documentId === event.documentId) return undefined;
    const url = documents.pages.get(event.documentId);
    if (url === undefined) return undefined;
    // A prerendered page's first request since it was shown: its first showing, not a showing again.
    const prerendered = documents.prerendered.has(event.documentId);
    const started = startVisit(event.tabId, url, event.timeStamp, { shownAgain: !prerendered });
    if (prerendered) prerenderShown(documents, event.documentId, started);
    pagesLoading.delete(event.tabId);
    startedByNavigation.delete(event.tabId);
    documents.visit = { visitId: started.visitId, documentId: event.documentId, began: event.timeStamp };
    return started;
  }

  /**
   * A shop page's own request: a new visit, unless it is the next hop of a redirect the visit's page
   * already made (webRequest reports each hop as a start of the same request), which moves the visit to
   * the page's new address rather than leave an empty visit behind for every hop.
   */
  function pageRequested(event: RequestEvent) {
    const loading = pagesLoading.get(event.tabId);
    const state = store.get(event.tabId);
    if (loading?.requestId === event.requestId && state?.visitId === loading.visitId) {
      state.url = event.url;
      logVisit(state);
      store.changed(state);
      return;
    }
    const byNavigation = startedByNavigation.get(event.tabId);
    startedByNavigation.delete(event.tabId);
    // The request of the page the tab already showed, told late: begun before the visit that the tab's
    // report of it started, and for the same address. The visit keeps what it saw meanwhile (the page's
    // cookie writes, its content script's reports) and starts when its request did; a second visit in
    // its place would lose them and leave an empty one in the history (isOwnRequest).
    if (state && byNavigation?.visitId === state.visitId && isOwnRequest(byNavigation, event, state.url)) {
      takeInJarWrites(state, event.timeStamp, state.startedAt);
      state.startedAt = Math.min(state.startedAt, event.timeStamp);
      logVisit(state);
      store.changed(state, { now: true });
      pagesLoading.set(event.tabId, { requestId: event.requestId, visitId: state.visitId, leftHidden: false });
      return;
    }
    const started = startVisit(event.tabId, event.url, event.timeStamp, { navigation: event.requestId });
    pagesLoading.set(event.tabId, { requestId: event.requestId, visitId: started.visitId, leftHidden: false });
  }

  /**
   * The visit a page's report belongs to. A page that began (`page.start`, lib/observe/page-start.ts)
   * after the tab's visit did is one whose own request the background was not told of: the shop's
   * service worker served it (Chromium's webRequest does not show such a navigation: its visit would
   * go on as the page before's, measured in tagging.e2e.ts), or Firefox under load tells its request
   * late. Its visit begins here, when the page did, and a late request for it is taken in
   * (startedByNavigation). A page the back/forward cache showed again (`page.shownAgainAt`) begins
   * anew then: it made no request at all, and within the shop the tab's visit was the page it left
   * (marked `shownAgain`, for the popup to say so). Without a visit, the tab waits for its page's request
   * or the tab's report of it: the report is sent again (NO_VISIT_YET). Without `page` (a HAR file's
   * pages, tests), the tab's visit. MADE_BEFORE_SHOWN for a report a page shown again made before.
   * The visit that takes a report holds the report's document (noteDocument, for visitOfDocument).
   */
  function visitOfPage(tabId: number, page: ReportingPage | undefined): TabState | undefined | typeof MADE_BEFORE_SHOWN {
    const visit = visitOfReport(tabId, page);
    if (page?.documentId !== undefined && visit !== undefined && visit !== MADE_BEFORE_SHOWN) noteDocument(tabId, page.documentId, page, visit);
    return visit;
  }

  /** visitOfPage's choice of visit. */
  function visitOfReport(tabId: number, page: ReportingPage | undefined): TabState | undefined | typeof MADE_BEFORE_SHOWN {
    const state = store.get(tabId);
    if (!state || !page || !isShopPage(page.url)) return state;
    // Made before the page the visit holds was shown again (sent again since): that showing's visit has ended.
    if (state.shownAgain && page.shownAgainAt === undefined && state.startedAt >= page.start - PAGE_START_MARGIN_MS) return MADE_BEFORE_SHOWN;
    const began = pageBegan(page);
    if (state.startedAt >= began - PAGE_START_MARGIN_MS) {
      // The tab's report of the page began this visit (the page before was not the shop's): it is this showing's.
      if (page.shownAgainAt !== undefined && !state.shownAgain && startedByNavigation.get(tabId)?.visitId === state.visitId && withoutFragment(state.url) === withoutFragment(page.url)) {
        state.shownAgain = true;
        logVisit(state);
        store.changed(state);
      }
      return state;
    }
    const now = deps.now();
    const started = startVisit(tabId, page.url, Math.min(began, now), { shownAgain: page.shownAgainAt !== undefined });
    pagesLoading.delete(tabId);
    // A page shown again made no request of its own to take in later: a page request told late is another page's.
    if (page.shownAgainAt === undefined) startedByNavigation.set(tabId, { visitId: started.visitId, toldAt: now, pageStart: began });
    else startedByNavigation.delete(tabId);
    return started;
  }

  /**
   * The end of a shop page's own request. Had the tab meanwhile gone to an address it hides, the page
   * that never arrived was left for it: the visit ends. Arrived, the hidden address was the tab's page
   * before this one.
   */
  function pageEnded(event: RequestEvent): 'left' | undefined {
    const loading = pagesLoading.get(event.tabId);
    if (loading?.requestId !== event.requestId) return;
    pagesLoading.delete(event.tabId);
    if (event.error === undefined || !loading.leftHidden || store.get(event.tabId)?.visitId !== loading.visitId) return;
    endVisit(event.tabId);
    return 'left';
  }

  function activity(state: TabState, entryId: EntryId, at: number): EntryActivity {
    return (state.entries[entryId] ??= { requests: 0, cookiesSet: [], cookiesPresent: [], firstAt: at, via: [], relays: [], stopped: 0 });
  }

  /** Counts a catalog request and keeps what judging it needs. */
  function countRequest(state: TabState, cls: Pick<Extract<UrlClass, { party: 'listed' }>, 'entryId' | 'via' | 'relay' | 'host'>, at: number, record: RequestRecord | null) {
    const entry = activity(state, cls.entryId, at);
    entry.requests++;
    const via = cls.via;
    if (via && !entry.via.includes(via) && entry.via.length < 10) entry.via.push(via);
    if (cls.relay && entry.relays.length < 10 && !entry.relays.some((r) => r.host === cls.host)) entry.relays.push({ host: cls.host, party: cls.relay });
    if (!record) return;
    // Bounded: the first half of the visit's requests stay, the second half is a rolling window,
    // so both "before the choice" and "after it" keep their evidence on a page that never stops.
    if (state.requests.length >= MAX_JUDGED_REQUESTS) {
      const [leftOut] = state.requests.splice(MAX_JUDGED_REQUESTS / 2, 1);
      state.requestsLeftOut++;
      // The promises still count it: "all 600 hits" must mean all of them, not the 500 kept.
      foldLeftOut(state.leftOutRequests, leftOut!);
    }
    state.requests.push(record);
  }

  /** `seen`: what the request was, kept with it for the panel, the chart and the report. */
  function judgedRecord(cls: Pick<Extract<UrlClass, { party: 'listed' }>, 'entryId' | 'host' | 'kind'>, at: number, url: string, body: string | undefined, seen: { type: string; method: string; sentByWorker?: true }): RequestRecord {
    const query = url.indexOf('?');
    const personalData = findPersonalData(url, body);
    return {
      entryId: cls.entryId,
      at,
      consentMode: deps.hasConsentMode(cls.entryId) && query >= 0 ? parseConsentMode(url.slice(query + 1)) : null,
      personalData,
      url: keptAddress(url),
      kind: cls.kind,
      type: seen.type.slice(0, 40),
      method: seen.method.slice(0, 16),
      ...signals.requestSignals(cls.entryId, cls.host, url, body, personalData),
      ...(seen.sentByWorker ? { worker: true as const } : {}),
    };
  }

  /** Bounded like the catalog's: the first half of the visit's stay, the latest ones roll. */
  function keepUnlistedRequest(state: TabState, url: string, at: number, type: string) {
    if (state.unlistedRequests.length >= MAX_UNLISTED_REQUESTS) {
      state.unlistedRequests.splice(MAX_UNLISTED_REQUESTS / 2, 1);
      state.unlistedRequestsLeftOut++;
    }
    state.unlistedRequests.push({ url: keptAddress(url), at, type: type.slice(0, 40) });
  }
  /**
   * A catalog request that completed over plain http:. Judged by its final address: Chromium's and
   * Firefox's HSTS upgrades (google-analytics.com and facebook.com are preloaded) end on https:, and so
   * does a request the server redirected to https: (that first leg is not seen: the observer does not
   * follow redirects, and an HSTS upgrade looks like one).
   */
  function plainRequest(state: TabState, event: RequestEvent, entryId: EntryId, host: string) {
    if (!event.url.startsWith('http:') || event.statusCode === undefined) return;
    if (state.plain.length < MAX_PLAIN_REQUESTS) state.plain.push({ entryId, host, at: event.timeStamp });
    else state.plainLeftOut++;
  }

  /** Where the shop's storage is, as S3 says in its response, and the CloudFront edge that delivered it. */
  function storageSeen(state: TabState, event: RequestEvent, host: string) {
    const { region, edge } = signals.storageFromHeaders(event.responseHeaders ?? []);
    const { edges } = state.storage;
    if (region) addRegion(state, { region, from: 'header', host, at: event.timeStamp });
    if (edge && edges.length < MAX_STORAGE_SIGHTINGS && !edges.includes(edge)) edges.push(edge);
  }

  /** A storage region, once per region and host, bounded. */
  function addRegion(state: TabState, sighting: TabState['storage']['regions'][number]) {
    const { regions } = state.storage;
    if (regions.length < MAX_STORAGE_SIGHTINGS && !regions.some((r) => r.region === sighting.region && r.host === sighting.host)) regions.push(sighting);
  }

  /** `end`: the request's end, merged into its start's row wherever that row is (queue or disk). */
  function logRequest(state: TabState, event: RequestEvent, cls: Extract<UrlClass, { party: 'listed' }>, kind: RequestKind, judged: RequestRecord | null, end = false) {
    const seen = { source: 'network', requestId: event.requestId, at: event.timeStamp, url: event.url, type: event.type, method: event.method, frameId: event.frameId, status: event.statusCode, error: event.error, initiator: event.initiator, worker: event.sentByWorker } as const;
    const row = observationRow(state.visitId, seen, cls, kind, judged);
    if (end) writer.amend('observations', row);
    else writer.put('observations', row);
  }


  /**
   * Tallies a request webRequest showed, and says whether the page's report counted it already. The
   * browser does not order the two: under load, Firefox handed the worker a page's Resource Timing
   * report before the webRequest events of the same images (the Meta pixel counted 5 times for 3
   * requests, 1 run in 6). A request the report recovered is not counted again when its event comes.
   */
  function recoveredBefore(state: TabState, url: string): boolean {
    const onNetwork = tally(state.reconcile, 'network', url);
    return onNetwork !== null && onNetwork <= (state.reconcile.page[urlKey(url)] ?? 0);
  }

  /**
   * Counts a request webRequest showed, unless the page's report recovered it first (recoveredBefore).
   * Then it is judged by what webRequest knows (its method and body, where Trustpilot's invitation
   * carries the e-mail address), in the recovered record's place.
   */
  function countUnlessRecovered(state: TabState, cls: Extract<UrlClass, { party: 'listed' }>, event: RequestEvent, judged: RequestRecord) {
    if (!recoveredBefore(state, event.url)) return countRequest(state, cls, event.timeStamp, judged);
    const i = state.requests.findIndex((r) => recoveredRecords.has(r) && r.entryId === judged.entryId && r.url === judged.url);
    if (i < 0) return;
    recoveredRecords.delete(state.requests[i]!);
    state.requests[i] = judged;
  }

  /**
   * A request with no tab: a service worker's, or a closed page's last hit (worker-requests.ts).
   * - A catalog entry's request that a worker of the shop's or of Google's tag sent counts as the
   *   request of the tab whose page it is for, marked as a worker's. It is placed before it is
   *   classified, so that another site's worker (facebook.com's, posting large bodies to hosts we hold)
   *   costs an origin's comparison, not its body read as text.
   * - A page's last hits as its tab closes (keepalive fetches and beacons in `pagehide`) count in that
   *   page's visit, whose tab is gone (requestOfClosedVisit). Those from the page's own host are not
   *   marked as a worker's (the page sent them, in both browsers' traces); a hit naming the closed page
   *   from another host's worker (the tagging server's, Google's tag's) is.
   * Only a catalog entry's request is placed: a worker's fetch of the shop's own pages and files is no
   * page's. An end goes where its start went. The copy is read once placed: it has no lazy getter of
   * the body.
   */
  function tablessRequest(event: RequestEvent, end: boolean): void {
    if (event.type === 'main_frame') return;
    let place = end ? workerRequestTabs.get(event.requestId) : undefined;
    if (place !== undefined) workerRequestTabs.delete(event.requestId);
    else {
      const placed = tabOfWorkerRequest(event.url, event.initiator, store.all(), isShopPage, recentlyClosed());
      if (placed === undefined || classifier.classifyUrl(event.url, event.body).party !== 'listed') return;
      place = typeof placed === 'number' ? placed : placed.state;
      if (!end) {
        workerRequestTabs.set(event.requestId, place);
        if (workerRequestTabs.size > MAX_OPEN_RECORDS) forgetOldest(workerRequestTabs, MAX_OPEN_RECORDS / 10);
      }
    }
    const { requestId, frameId, url, type, method, timeStamp, initiator, statusCode, error, responseHeaders, body } = event;
    const copy = { requestId, frameId, url, type, method, timeStamp, initiator, statusCode, error, responseHeaders, body };
    if (typeof place === 'number') {
      const forTab = { ...copy, tabId: place, sentByWorker: true as const };
      return end ? requestEnded(forTab) : requestStarted(forTab);
    }
    // Its visit, after a stop of the worker, may be one that another worker's store handed over.
    const byPage = event.initiator !== undefined && splitUrl(event.initiator)?.host === splitUrl(place.url)?.host;
    requestOfClosedVisit(place, { ...copy, tabId: place.tabId, ...(byPage ? {} : { sentByWorker: true as const }) }, end);
  }

  /**
   * A last hit of a page that is gone (its tab closed, or went on to another page): a catalog entry's
   * request counted in its visit, or the end of one the visit counted, after which the visit is judged
   * and logged again (the tab store no longer holds it). Chromium shows some of a closed tab's with its
   * id, after the tab's removal. The ends of the page's other requests, cut off as it went, change
   * nothing worth a new judgement.
   */
  function requestOfClosedVisit(state: TabState, event: RequestEvent, end: boolean) {
    if (end) {
      if (!state.pending.includes(event.requestId)) return;
      requestEndedIn(state, event);
    } else if (!requestStartedIn(state, event)) return;
    deps.closedVisitChanged?.(state);
  }

  function requestStarted(event: RequestEvent): void {
    if (event.tabId < 0) return tablessRequest(event, false);
    if (event.type === 'main_frame') {
      if (isSpeculative(event)) return prerendering(event);
      // A navigation told after its tab closed begins no visit of the gone tab.
      if (!store.get(event.tabId) && closedVisitOfTab(event.tabId)) return;
      if (isShopPage(event.url)) pageRequested(event);
      else leaveShop(event.tabId, event.timeStamp, event.requestId);
      return;
    }
    // A prerendered page is not shown: what it loads meanwhile is its own visit's once it is (its
    // report recovers it then), not the visit of the page the customer is on.
    if (event.documentLifecycle === 'prerender') return prerenderedDocument(event);
    // The next hop of a redirect that a page the tab has left began: its visit's, counted there once.
    const startedIn = openVisits.get(event.requestId);
    if (startedIn !== undefined && startedIn.visitId !== store.get(event.tabId)?.visitId) return requestOfClosedVisit(startedIn, event, false);
    const state = visitOfDocument(event) ?? store.get(event.tabId);
    // The last hits of a page the tab left a moment ago, for the shop's next page or another site.
    const left = leftPages.sentBy(event, state);
    if (left) return requestOfClosedVisit(left, event, false);
    if (state) {
      requestStartedIn(state, event);
      return;
    }
    // A tab without a visit shows no page of the shop: often a tracker's own site (facebook.com,
    // trustpilot.com), whose requests the browser shows us since we hold both the request's host and
    // its initiator's. Dropped before its URL is classified or its body read, unless they are the last
    // hits of a page whose tab closed a moment ago.
    const closed = closedVisitOfTab(event.tabId);
    if (closed) requestOfClosedVisit(closed, event, false);
  }

  /** A request of the visit's page: a catalog entry's is counted, judged and logged. Whether it was one. */
  function requestStartedIn(state: TabState, event: RequestEvent): boolean {
    const cls = classifier.classifyUrl(event.url, event.body);
    if (cls.party !== 'listed') return false;
    const judged = judgedRecord(cls, event.timeStamp, event.url, event.body, event);
    // One request's start can reach the log twice: seen when the service worker was stopped while
    // handling it (the tab state kept it, and the start came again). Counted once, logged once.
    if (!state.pending.includes(event.requestId)) {
      if (state.pending.length >= MAX_PENDING_REQUESTS) {
        state.pending.shift();
        state.pendingEvicted++;
      }
      state.pending.push(event.requestId);
      countUnlessRecovered(state, cls, event, judged);
      openRecords.set(event.requestId, judged);
      if (openRecords.size > MAX_OPEN_RECORDS) forgetOldest(openRecords, MAX_OPEN_RECORDS / 10);
      openVisits.set(event.requestId, state);
      if (openVisits.size > MAX_OPEN_RECORDS) forgetOldest(openVisits, MAX_OPEN_RECORDS / 10);
    }
    logRequest(state, event, cls, cls.kind, judged);
    store.changed(state);
    return true;
  }

  /** A response of the shop's own: its headers say where it is hosted (CloudFront / S3). */
  function shopResponded(state: TabState, event: RequestEvent, host: string) {
    const hosting = event.responseHeaders ? deps.detectHosting(event.responseHeaders) : null;
    if (!hosting) return;
    const kind = event.type === 'main_frame' ? 'page' : 'other';
    const listed = { party: 'listed', host, entryId: hosting, kind, observeBy: 'network' } as const;
    countRequest(state, listed, event.timeStamp, { entryId: hosting, at: event.timeStamp, consentMode: null, personalData: [], url: keptAddress(event.url), kind, type: event.type.slice(0, 40), method: event.method.slice(0, 16), ...(event.sentByWorker ? { worker: true as const } : {}) });
    plainRequest(state, event, hosting, host);
    storageSeen(state, event, host);
    logRequest(state, event, listed, kind, null);
    // No report of the page's own recovers the document's response: saved now, with its row.
    store.changed(state, { now: event.type === 'main_frame' });
  }

  /** A prerendered shop page's own response, kept for its visit once it is shown (prerenderShown). */
  function prerenderResponded(event: RequestEvent) {
    const frame = tabDocuments.get(event.tabId)?.prerenderFrames.get(event.frameId);
    if (frame && frame.url === event.url) frame.response = event;
  }

  /**
   * A prerendered page shown, its visit begun: the page's own response, which came while it was unseen,
   * is the visit's, dated when the page was shown (its cookies, and where the shop hosts it).
   */
  function prerenderShown(documents: TabDocuments, documentId: string, state: TabState) {
    const response = documents.prerenderFrames.get(documents.prerendered.get(documentId)!)?.response;
    documents.prerendered.delete(documentId);
    if (!response) return;
    const shown = { ...response, timeStamp: Math.max(response.timeStamp, state.startedAt) } as RequestEvent;
    serverCookies(state, shown);
    const parts = splitUrl(shown.url);
    if (parts) shopResponded(state, shown, parts.host);
  }

  function requestEnded(event: RequestEvent): void {
    if (event.tabId < 0) return tablessRequest(event, true);
    if (event.type === 'main_frame' && isSpeculative(event)) return prerenderResponded(event);
    if (event.type === 'main_frame') leftPages.arrived(event.requestId, event.timeStamp);
    if (event.documentLifecycle === 'prerender' || (event.type === 'main_frame' && pageEnded(event) === 'left')) return;
    // The end of a request that the visit of a page the tab has since left counted: it ends there (as
    // one whose start this worker saw, though the visit's list of those may have let go of it).
    const startedIn = openVisits.get(event.requestId);
    if (startedIn !== undefined && startedIn.visitId !== store.get(event.tabId)?.visitId) {
      requestEndedIn(startedIn, event);
      deps.closedVisitChanged?.(startedIn);
      return;
    }
    // The page's own response starts its visit if nothing else did yet (a browser that told us of the
    // navigation late, or a worker that missed its start): the document's headers always count.
    const closed = store.get(event.tabId) ? undefined : closedVisitOfTab(event.tabId);
    // A page whose tab closed before its response came begins no visit: the tab is gone.
    if (closed) return event.type === 'main_frame' ? undefined : requestOfClosedVisit(closed, event, true);
    const state = store.get(event.tabId) ?? (event.type === 'main_frame' && isShopPage(event.url) ? startVisit(event.tabId, event.url, event.timeStamp) : undefined);
    if (state) requestEndedIn(state, event);
  }

  /** The end of a request of the visit's page: the shop's responses' headers, a catalog entry's outcome. */
  function requestEndedIn(state: TabState, event: RequestEvent) {
    openVisits.delete(event.requestId);
    const cls = classifier.classifyUrl(event.url);
    if (cls.party === 'shop' || (cls.party === 'listed' && cls.relay === 'shop')) serverCookies(state, event);
    if (cls.party === 'shop') {
      // A protocol recognised only by its POST body at the start (server-side tagging): its end carries
      // no body, so it reads as the shop's. Its row stays that hit's, not a second one of the shop's
      // CDN under the same id; the hosting headers come with the shop's other responses.
      const open = state.pending.indexOf(event.requestId);
      if (open >= 0) {
        state.pending.splice(open, 1);
        return;
      }
      return shopResponded(state, event, cls.host);
    }
    if (cls.party !== 'listed') return;
    const open = state.pending.indexOf(event.requestId);
    // A request whose start this worker never saw (it was stopped in between) still counts once.
    // While started requests were pushed out of `pending`, an unknown end is taken to be one of
    // those (counted at its start): a flood must not count its requests twice.
    let judged: RequestRecord | null = null;
    if (open >= 0) state.pending.splice(open, 1);
    else if (state.pendingEvicted > 0) state.pendingEvicted--;
    else {
      judged = judgedRecord(cls, event.timeStamp, event.url, undefined, event);
      countUnlessRecovered(state, cls, event, judged);
    }
    plainRequest(state, event, cls.entryId, cls.host);
    let record = judged ?? openRecords.get(event.requestId);
    openRecords.delete(event.requestId);
    if (event.error !== undefined && stoppedBeforeSent(event.error)) {
      activity(state, cls.entryId, event.timeStamp).stopped++;
      // Started before this worker did (the state saved by the last one still had it pending): its
      // record is the latest of its address not yet marked. Requests to one address are alike, so
      // which of them is marked does not change what the promises count.
      if (!record && open >= 0) record = latestUnstopped(state, cls.entryId, keptAddress(event.url));
      if (record && !record.stopped) {
        record.stopped = true;
        // Not in the window any more: the window let go of it, and its group counted it as received.
        if (state.requestsLeftOut > 0 && !state.requests.includes(record)) markLeftOutStopped(state.leftOutRequests, record);
      }
    }
    // The end carries what its URL says too: a stop can lose the start's row after its count was saved.
    logRequest(state, event, cls, cls.kind, judged ?? judgedRecord(cls, event.timeStamp, event.url, undefined, event), true);
    store.changed(state);
  }

  /** A request started by this worker waits for its own end (openRecords): it is not one of those. */
  function latestUnstopped(state: TabState, entryId: EntryId, url: string): RequestRecord | undefined {
    const open = new Set(openRecords.values());
    for (let i = state.requests.length - 1; i >= 0; i--) {
      const record = state.requests[i]!;
      if (record.entryId === entryId && record.url === url && !record.stopped && !open.has(record)) return record;
    }
    return undefined;
  }

  /** Adds a record or a signal to the visit's consent timeline (lib/consent/timeline.ts decides where). */
  function addConsent(state: TabState, record: ConsentRecord & { signal?: 'default' | 'update' }, receivedAt: number, carriedOver: boolean) {
    const placed = placeConsent(state, record, receivedAt, carriedOver);
    if (placed.kind === 'same') return;
    let change = placed.change;
    if (placed.kind === 'earlier') change.at = placed.at;
    else {
      if (state.consent.length >= MAX_CONSENT_CHANGES) state.consent.splice(1, 1);
      state.consent.push((change = placed.change));
      if (change.signal === undefined && state.banner) state.banner = { ...state.banner, showing: false };
      if (placed.earlierRecord) {
        placed.earlierRecord.change.at = placed.earlierRecord.at;
        writer.put('consentChanges', { id: changeId(state, placed.earlierRecord.change), visitId: state.visitId, ...placed.earlierRecord.change });
      }
    }
    writer.put('consentChanges', { id: changeId(state, change), visitId: state.visitId, ...change });
    store.changed(state, { now: true });
  }

  function cookieChanged(event: CookieEvent) {
    // An overwrite arrives as a removal followed by the new cookie: only the second matters.
    if (event.removed && event.cause === 'overwrite') return;
    const domain = event.domain.replace(/^\./, '');
    if (!classifier.isShopHost(domain)) return;
    const at = deps.now();
    if (isConsentCookie(event.name)) {
      if (event.removed) consentCookies.delete(event.name);
      else consentCookies.set(event.name, event.value);
      const record = readConsentCookies(consentCookies);
      if (record) for (const state of store.all()) addConsent(state, record, at, false);
      return;
    }
    const entryId = deps.matchCookie(event.name);
    if (!entryId) return;
    const write: JarWrite = { entryId, name: event.name, domain, value: event.value, at };
    if (!event.removed) {
      if (jarWrites.length >= MAX_JAR_WRITES) jarWrites.shift();
      while (jarWrites.length && jarWrites[0]!.at < at - JAR_WRITE_MS) jarWrites.shift();
      jarWrites.push(write);
    }
    for (const state of store.all()) {
      if (event.removed) {
        writer.put('cookies', { id: `${state.visitId}|${event.name}|${domain}|removed`, visitId: state.visitId, entryId, name: event.name, domain, value: event.value, at, change: 'removed' });
      } else jarWritten(state, write);
      store.changed(state);
    }
  }

  /**
   * Catalog cookies the shop's own server sets (Set-Cookie on its responses: server-side tagging sets
   * FPID, _ga and _fbp that way). The cookie jar reports the same write without saying who made it;
   * the two are matched by name within a few seconds, whichever arrives first.
   */
  function serverCookies(state: TabState, event: RequestEvent) {
    if (!event.responseHeaders) return;
    let changed = false;
    for (const header of event.responseHeaders) {
      if (header.name.toLowerCase() !== 'set-cookie' || !header.value) continue;
      // Chromium joins several Set-Cookie headers with line breaks; Firefox does too.
      for (const line of header.value.split('\n')) {
        const eq = line.indexOf('=');
        const name = line.slice(0, eq).trim();
        if (eq < 1 || /;\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(line)) continue;
        const entryId = deps.matchCookie(name);
        if (!entryId) continue;
        const value = line.slice(eq + 1).split(';', 1)[0]!.trim();
        const domain = /;\s*domain=\.?([^;\s]+)/i.exec(line)?.[1]?.toLowerCase() ?? splitUrl(event.url)?.host ?? '';
        const seen = recentWrite(state, name, event.timeStamp);
        if (seen) {
          seen.by = 'server';
          logCookieWrite(state, seen, domain, value);
        } else addCookieWrite(state, { entryId, name, at: event.timeStamp, by: 'server' }, domain, value);
        addName(activity(state, entryId, event.timeStamp).cookiesSet, name);
        changed = true;
      }
    }
    if (changed) store.changed(state);
  }

  /** The write of `name` within a few seconds of `at`, if one is recorded (of the given origin). */
  function recentWrite(state: TabState, name: string, at: number, by?: 'server') {
    for (let i = state.cookieWrites.length - 1; i >= 0; i--) {
      const write = state.cookieWrites[i]!;
      if (at - write.at > SAME_WRITE_MS) break;
      if (write.name === name && Math.abs(at - write.at) <= SAME_WRITE_MS && (by === undefined || write.by === by)) return write;
    }
    return undefined;
  }

  /** Bounded like the requests: the visit's first writes stay, the latest ones roll. */
  function addCookieWrite(state: TabState, write: CookieWrite, domain: string, value: string, changesBefore?: number) {
    if (state.cookieWrites.length >= MAX_COOKIE_WRITES) state.cookieWrites.splice(MAX_COOKIE_WRITES / 2, 1);
    state.cookieWrites.push(write);
    logCookieWrite(state, write, domain, value, changesBefore);
  }

  /**
   * The log keeps a cookie's latest write per consent state of the visit (the number of changes so
   * far), so a refresh after a refusal does not overwrite the write before the choice, and a cookie
   * refreshed on every hit still costs one row per state.
   */
  function logCookieWrite(state: TabState, write: CookieWrite, domain: string, value: string, changesBefore = state.consent.length) {
    writer.put('cookies', {
      id: `${state.visitId}|${write.name}|${domain}|set|${changesBefore}`,
      visitId: state.visitId,
      entryId: write.entryId,
      name: write.name,
      domain,
      value,
      at: write.at,
      change: 'set',
      ...(write.by ? { by: write.by } : {}),
    });
  }

  function cookiesPresent(tabId: number, visitId: string, cookies: { name: string; domain: string; value: string }[]) {
    const state = store.get(tabId);
    if (!state || state.visitId !== visitId) return;
    const at = deps.now();
    const consent = new Map<string, string>();
    for (const cookie of cookies) {
      const domain = cookie.domain.replace(/^\./, '');
      if (!classifier.isShopHost(domain)) continue;
      if (isConsentCookie(cookie.name)) {
        consent.set(cookie.name, cookie.value);
        continue;
      }
      const entryId = deps.matchCookie(cookie.name);
      if (!entryId) continue;
      addName(activity(state, entryId, at).cookiesPresent, cookie.name);
      writer.put('cookies', { id: `${visitId}|${cookie.name}|${domain}|present`, visitId, entryId, name: cookie.name, domain, value: cookie.value, at, change: 'present' });
    }
    for (const [name, value] of consent) consentCookies.set(name, value);
    const record = readConsentCookies(consent);
    // A record already there when the visit began is the choice of an earlier visit.
    if (record && !state.consent.some((c) => c.signal === undefined)) addConsent(state, record, at, true);
    store.changed(state);
  }

  /**
   * The page's report of what it loaded. Like the banner and consent reports, it says whether the tab
   * had a visit to take it into: without one it is sent again (NO_VISIT_YET), not dropped.
   */
  function pageResources(tabId: number, resources: PageResource[], page: string, from?: ReportingPage): boolean {
    // A report of a page the tab has just left, which came after the next page's visit began: its visit
    // counted the page's last hits, so its report is that visit's (not a page shown again: a new visit's).
    const left = from?.documentId !== undefined && from.shownAgainAt === undefined ? leftPages.ofDocument(tabId, from.documentId) : undefined;
    const state = left ?? visitOfPage(tabId, from);
    if (state === MADE_BEFORE_SHOWN) return true;
    if (!state) return false;
    const seen = state.reconcile.seqByPage;
    let changed = false;
    if (!(page in seen)) {
      const pages = Object.keys(seen);
      if (pages.length >= MAX_REPORTING_PAGES) delete seen[pages[0]!];
      seen[page] = 0;
      // A page's first report, even an empty one, says the page is watched (see pageWatched).
      changed = true;
    }
    for (const resource of resources) {
      // Delivered before (the worker stopped before it could say so): already counted.
      if (resource.seq <= seen[page]!) continue;
      seen[page] = resource.seq;
      changed = true;
      const cls = classifier.classifyUrl(resource.url);
      if (cls.party === 'shop' || cls.party === 'not-web') continue;
      // Resource Timing counts from the page's start, which the report says: a page the back/forward cache
      // showed again began long before its visit did. Not before the visit: a report of the page before
      // that came late is the visit's now.
      const at = Math.max(state.startedAt, (from?.start ?? state.startedAt) + resource.startTime);
      // Hosts in the host permissions are counted from webRequest, which sees more (status, method).
      // The page's own report only makes up for a request webRequest never showed a running worker.
      if (cls.party === 'listed' && cls.observeBy === 'network') {
        const occurrence = requestToRecover(state.reconcile, resource.url);
        if (occurrence !== null) recoverRequest(state, cls, resource, at, occurrence);
        continue;
      }
      const judged = cls.party === 'listed' ? judgedRecord(cls, at, resource.url, undefined, { type: resource.initiatorType, method: 'GET' }) : null;
      if (cls.party === 'listed') countRequest(state, cls, at, judged);
      else {
        if (cls.host in state.unlisted) state.unlisted[cls.host]!++;
        else if (Object.keys(state.unlisted).length < MAX_UNLISTED_HOSTS) state.unlisted[cls.host] = 1;
        else overflowHostSeen(state, cls.host);
        // A file from an S3 bucket: its host name says where the bucket is (the extension holds no
        // permission for amazonaws.com, so the page's Resource Timing is the only one to see it).
        const region = signals.storageFromHost(cls.host);
        if (region) addRegion(state, { region, from: 'host', host: cls.host, at });
        keepUnlistedRequest(state, resource.url, at, resource.initiatorType);
      }
      const sighting = { source: 'page', key: `p${resource.startTime.toFixed(3)}:${resource.url.slice(0, 256)}`, at, url: resource.url, type: resource.initiatorType } as const;
      writer.put('observations', observationRow(state.visitId, sighting, cls, cls.party === 'listed' ? cls.kind : 'other', judged));
    }
    if (changed && left) deps.closedVisitChanged?.(left);
    else if (changed) store.changed(state);
    return true;
  }

  /**
   * A catalog request the page loaded but no running worker saw (its webRequest events went to a
   * worker that was stopped before handling them): counted and logged from the page's report. Its id
   * is the URL and its occurrence, so the same recovery written twice is one row.
   */
  function recoverRequest(state: TabState, cls: Extract<UrlClass, { party: 'listed' }>, resource: PageResource, at: number, occurrence: number) {
    const judged = judgedRecord(cls, at, resource.url, undefined, { type: resource.initiatorType, method: 'GET' });
    recoveredRecords.add(judged);
    // The tab state lacks it either way (webRequest's events were lost, or the state saved before
    // them was what a new worker found); the log may already hold its row.
    countRequest(state, cls, at, judged);
    const seen = { source: 'page', key: recoveredKey(resource.url, occurrence), at, url: resource.url, type: resource.initiatorType } as const;
    const row = observationRow(state.visitId, seen, cls, cls.kind, judged);
    if (!deps.loggedRows) return writer.put('observations', row);
    // Not after an erase of everything (lib/background/erase.ts): the log's answer can come after it,
    // and the row would belong to a visit that is gone.
    const erasuresBefore = erasures;
    const current = () => erasures === erasuresBefore;
    const logging = deps.loggedRows(state.visitId, resource.url).then(
      (rows) => void (rows < occurrence && current() && writer.put('observations', row)),
      () => void (current() && writer.put('observations', row)),
    );
    recovering.add(logging);
    void logging.finally(() => recovering.delete(logging));
  }

  /**
   * Resolves once every recovered request is queued for the log (a flush then writes them). Nothing to
   * wait for (`recovering` false) is the usual case: a recovery follows only a stopped worker's lost events.
   */
  async function recovered(): Promise<void> {
    while (recovering.size) await Promise.allSettled([...recovering]);
  }

  /**
   * The content script saw a consent banner appear or go, at `seenAt` by the machine's clock. Its
   * message can reach us late (a loaded machine, a worker that was starting), after the customer has
   * already clicked: "no choice yet" is then dated when the banner was seen, not when we heard of it,
   * or trackers that fired right after the click would read as before it. Kept within the visit and
   * within what a live report may take.
   */
  function bannerSeen(tabId: number, cmp: BannerState['cmp'], showing: boolean, seenAt: number, from?: ReportingPage): boolean {
    const state = visitOfPage(tabId, from);
    if (state === MADE_BEFORE_SHOWN) return true;
    if (!state) return false;
    const now = deps.now();
    if (state.banner?.cmp === cmp && state.banner.showing === showing) return true;
    const at = Math.min(now, Math.max(seenAt, now - MAX_REPORT_DELAY_MS, state.startedAt));
    state.banner = { cmp, showing, seenAt: at };
    // A banner on screen and no record: nothing has been chosen up to then.
    if (showing && !state.consent.some((c) => c.signal === undefined)) state.noRecordSince = Math.max(state.noRecordSince ?? Number.NEGATIVE_INFINITY, at);
    // The log keeps the banner with the visit: an unanswered banner is what "before the choice" rests on.
    logVisit(state);
    store.changed(state);
    return true;
  }

  /** What the page's consent APIs reported (page-consent.ts turns the messages into these); taken as bannerSeen. */
  function pageConsent(tabId: number, report: PageConsentReport, from?: ReportingPage): boolean {
    const state = visitOfPage(tabId, from);
    if (state === MADE_BEFORE_SHOWN) return true;
    if (!state) return false;
    const now = deps.now();
    switch (report.kind) {
      case 'pending':
        return bannerSeen(tabId, report.cmp, true, report.seenAt);
      case 'named':
        // Named, not claimed visible: a returning customer's banner stays hidden.
        if (state.banner) return true;
        state.banner = { cmp: report.cmp, showing: false, seenAt: now };
        logVisit(state);
        store.changed(state);
        return true;
      case 'signal':
        addConsent(state, report.signal, now, report.carriedOver === true);
        return true;
      case 'record': {
        const hasRecord = state.consent.some((c) => c.signal === undefined);
        const carriedOver = report.carriedOver === 'unless-banner-waited' ? !hasRecord && !(state.banner?.cmp === report.record.source && state.banner.showing) : report.carriedOver;
        // A stored choice reported after this visit already has a record adds nothing.
        if (!(carriedOver && hasRecord)) addConsent(state, report.record, now, carriedOver);
        return true;
      }
    }
  }

  /** A page of the shop: its host is the shop's, whatever its path looks like. */
  function isShopPage(url: string): boolean {
    const parts = splitUrl(url);
    return parts !== null && classifier.isShopHost(parts.host);
  }

  function tabNavigated(tabId: number, url: string | undefined, at: number) {
    // A new tab's placeholder, not a place: Firefox can report its first "loading" with the stale
    // about:blank after the shop page's own request has already started the visit.
    if (url === 'about:blank') return;
    // A hidden address from before the visit's own page request is the placeholder's too: Chromium hides a
    // new tab's about:blank (no host access to it), and on a slow first load the shop page has not
    // committed when the background looks again. Only a navigation after the visit began leaves it.
    if (url === undefined && (store.get(tabId)?.startedAt ?? Number.NEGATIVE_INFINITY) >= at) return;
    // While the visit's page is still on its way, the tab's address is still the one before, hidden
    // (Firefox reports "loading" twice for a new tab, the second after the page's request started, and
    // under load still hides its address when looked at half a second later). Whether the tab left is
    // known when the page's request ends: arrived, it did not.
    const loading = pagesLoading.get(tabId);
    if (url === undefined && loading && loading.visitId === store.get(tabId)?.visitId) {
      loading.leftHidden = true;
      return;
    }
    if (url === undefined || !isShopPage(url)) return leaveShop(tabId, at);
    // Back/forward cache: the page comes back without a main_frame request. (Or its request is told
    // after this report: see startedByNavigation.)
    if (!store.get(tabId)) startedByNavigation.set(tabId, { visitId: startVisit(tabId, url!, at).visitId, toldAt: at });
  }

  return { requestStarted, requestEnded, cookieChanged, cookiesPresent, pageResources, bannerSeen, pageConsent, tabNavigated, tabRemoved, forgetEverything, recovered, recovering: () => recovering.size > 0 };
}

export type Observer = ReturnType<typeof createObserver>;

/**
 * A report made before the page its tab's visit holds was shown again by the back/forward cache, sent
 * again since: it is taken (not sent again) and read as nothing, since that showing's visit has ended.
 */
const MADE_BEFORE_SHOWN = 'made before shown';

/** A visit begun before its page's request was told (startedByNavigation), and when it was. */
interface StartedUntold {
  visitId: string;
  toldAt: number;
  /** Set when the page's own report began it: when the page began (lib/observe/page-start.ts). */
  pageStart?: number;
}

/**
 * Whether a page request told late is the own request of a visit begun before it was told: begun before
 * that, and for the visit's page. A page that reported its start began when it says: a request begun
 * since is its own whatever its address, which is the first of a redirect's (the next hop then moves the
 * visit to the page's address). Without it, the address must be the page's, fragment aside (the tab's
 * address carries one, a request never does): a late request that was redirected starts a visit of its
 * own, as before (the cookie writes told before it still go into that one).
 */
function isOwnRequest(started: StartedUntold, event: RequestEvent, visitUrl: string): boolean {
  if (event.timeStamp > started.toldAt) return false;
  if (started.pageStart !== undefined) return event.timeStamp >= started.pageStart - PAGE_START_MARGIN_MS;
  return withoutFragment(event.url) === withoutFragment(visitUrl);
}

/**
 * Per tab, the documents its shop pages reported from or were prerendered in (Chromium's documentId),
 * by address; which of them the tab's visit holds (visitOfDocument); which were prerendered and not
 * shown yet; and the frames prerendered pages load in, by address.
 */
interface TabDocuments {
  pages: Map<string, string>;
  visit: { visitId: string; documentId: string; began: number } | null;
  /** By the frame each loads in. */
  prerendered: Map<string, number>;
  /** With the page's own response, once it came (a page's first requests may start before it ends). */
  prerenderFrames: Map<number, { url: string; response?: RequestEvent }>;
}

/**
 * A top-level request that is no navigation of the tab (Chromium, speculation rules): a prefetch,
 * made by the page the tab shows and naming its document (a navigation's request names none), or a
 * prerender, in a frame of its own (not 0) and `prerender` lifecycle. Checked in Chromium 156.
 */
function isSpeculative(event: RequestEvent): boolean {
  return event.documentId !== undefined || event.frameId !== 0 || event.documentLifecycle === 'prerender';
}

/** When a reporting page began, as its visit counts: when it was last shown, if later than its start. */
function pageBegan(page: ReportingPage): number {
  return Math.max(page.start, page.shownAt ?? page.start, page.shownAgainAt ?? page.start);
}

/** A catalog cookie written on one of the shop's domains, as the jar told of it. */
interface JarWrite {
  entryId: EntryId;
  name: string;
  domain: string;
  value: string;
  /** When the background heard of it. */
  at: number;
}

/** A page's address as its request names it: the tab's address can carry a fragment, a request's never does. */
function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

function addName(names: string[], name: string) {
  if (!names.includes(name) && names.length < MAX_COOKIES_PER_ENTRY) names.push(name);
}

/**
 * How long a tab-state save waits at most for the log to say which recovered requests it lacks: a log
 * that does not answer must not stop the tab states being saved.
 */
export const RECOVERY_HOLD_MS = 3_000;

/**
 * What a tab-state save waits for (the tab store's `holdSaves`): the requests the observer is
 * recovering from a page's report, whose count is in the state at once and whose rows come only once
 * the log has answered; at most `ms`. Nothing, and no timer, when none is being recovered, which is
 * almost always (a timer per save was 0.7 ms of a page load's CPU).
 */
export function recoveriesToWaitFor(observer: Pick<Observer, 'recovering' | 'recovered'>, ms = RECOVERY_HOLD_MS): Promise<unknown> | undefined {
  return observer.recovering() ? within(ms, observer.recovered()) : undefined;
}
