import { hasConsentModeSignal, hostPermissions, type EntryId } from '../catalog';
import { classifier as sharedClassifier, createCookieMatcher, createHostingDetector, type Classifier } from '../classify';
import { parseConsentMode, type ConsentModeSignals } from '../consent/consent-mode';
import { categoriesFromConsentMode, type ConsentModeValues } from '../consent/consent-mode-commands';
import { judgeVisit, type Verdict } from '../consent/judge';
import type { ConsentChange, ConsentRecord } from '../consent/model';
import { platformOfHost } from '../consent/platforms/signatures';
import { isConsentCookie, parseGppString, parseTcString, readConsentCookies } from '../consent/readers';
import { COOKIE_READERS } from '../consent/platforms/cookies';
import { placeConsent } from '../consent/timeline';
import type { LogWriter } from '../db';
import { createObserver, type Observer, type PageConsentReport } from '../observe/observer';
import type { TabState } from '../observe/tab-state';
import type { TabStore } from '../observe/tab-store';
import { pageReport, visitFromTab, type HarLimit, type PageReport } from '../report';
import { cookiesInHar, readExchanges, type Exchange } from './exchanges';
import type { Har } from './schema';

/**
 * A HAR file judged by the extension's own pipeline: its entries become the events the browser would
 * have handed the background (webRequest for the hosts in the manifest, the page's Resource Timing for
 * every other host, the cookie jar, the consent platform's record), replayed in time order through
 * the same observer (lib/observe/observer.ts), whose tab states go through the same judge and report
 * builder as a live visit. What a HAR holds in place of the page's own world is read here, once:
 *
 * - the consent platform's record, from the shop's cookies in later requests (the existing readers),
 *   counted from the moment the record gives, kept between the last request to the page's host that
 *   carried no such record and the first that carried it (placeConsent, the live rule's bounds);
 * - TC and GPP strings handed to vendors (`gdpr_consent`, `gpp` in their requests);
 * - Consent Mode from Google's hits (`gcs`/`gcd`) and UET's `asc`: an update is a change between two
 *   hits of the same page, a default the first hit's `gcd` letters without an update;
 * - the banner, named by the platform's script host (a HAR cannot show it on screen);
 * - catalog cookies a script wrote, first seen in a later request: placed at the tracker's own last
 *   request before it (or the page's end), since a HAR cannot show the moment.
 */

export type HarJudgement =
  | { ok: true; pages: PageReport[]; creator: string; cookies: boolean; entries: number }
  | { ok: false; problem: { code: 'no-shop-pages' } };

const TAB = 1;
type Injection = { at: number; rank: 0; run(observer: Observer): void };

export function judgeHar(har: Har): HarJudgement {
  const classifier = sharedClassifier();
  const matchCookie = createCookieMatcher();
  const exchanges = readExchanges(har);
  const cookies = cookiesInHar(har);
  const spans = visitSpans(exchanges, classifier);
  if (!spans.some((s) => s.shop)) return { ok: false, problem: { code: 'no-shop-pages' } };
  const evidence = readEvidence(exchanges, spans, classifier, matchCookie, cookies);
  const states = replay(exchanges, evidence.injections, classifier, matchCookie);
  // Chromium's DevTools call themselves WebInspector, with WebKit's version; Firefox names itself in `browser`.
  const creator = har.log.browser ? `${har.log.browser.name} ${har.log.browser.version}`.trim() : har.log.creator.name === 'WebInspector' ? 'Chromium DevTools' : `${har.log.creator.name} ${har.log.creator.version}`.trim();
  const redirects = new Set(spans.filter((s) => s.redirect).map((s) => s.start));
  const pages = states
    .filter((state) => !redirects.has(state.startedAt))
    .map((state) => {
      const report = pageReport(visitFromTab(state), null);
      markLimits(report, state, evidence);
      return { ...report, capture: { from: 'har' as const, creator: creator.slice(0, 200), cookies } };
    });
  return { ok: true, pages, creator, cookies, entries: exchanges.length };
}

// ---------------------------------------------------------------------------------------------
// Page loads

interface Span {
  start: number;
  /** Last moment anything of this load was seen. */
  lastAt: number;
  host: string;
  shop: boolean;
  /** The load was redirected on (a 3xx document): not a page of its own. */
  redirect: boolean;
}

function visitSpans(exchanges: Exchange[], classifier: Classifier): Span[] {
  const spans: Span[] = [];
  for (const ex of exchanges) {
    if (ex.type === 'main_frame' && ex.host !== null) {
      spans.push({ start: ex.start, lastAt: ex.end, host: ex.host, shop: classifier.isShopHost(ex.host), redirect: ex.status !== undefined && ex.status >= 300 && ex.status < 400 });
    } else {
      const current = spans.at(-1);
      if (current) current.lastAt = Math.max(current.lastAt, ex.end);
    }
  }
  return spans;
}

/** The page load in force at `at` (the last one started by then): a binary search, spans being in order. */
function spanAt(spans: Span[], at: number): Span | undefined {
  let low = 0;
  let high = spans.length - 1;
  let found: Span | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (spans[mid]!.start <= at) {
      found = spans[mid];
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// What the HAR holds of the consent, and of cookies written by scripts

interface Evidence {
  injections: Injection[];
  /** The last request to a shop page's own host whose cookies the HAR shows (-Infinity: none, or cookies left out). */
  lastCookieEvidenceAt: number;
  /** Catalog cookie writes whose moment was estimated: `name@at`. */
  estimatedWrites: Set<string>;
  /**
   * Spans in which a choice may already have been made, though the HAR counts it only from their end: a
   * record first carried by a request, with no moment of its own (Klaro, a TC string), was made somewhere
   * between the last request that showed none and that one.
   */
  unsureChoice: { from: number; to: number }[];
}

const recordKey = (record: ConsentRecord | null) =>
  record === null ? 'none' : `${record.source}|${record.granted.join(',')}|${record.denied.join(',')}|${record.vendors ? `${record.vendors.consents.join(',')}/${record.vendors.objections.join(',')}` : ''}`;

function readEvidence(exchanges: Exchange[], spans: Span[], classifier: Classifier, matchCookie: (name: string) => EntryId | null, cookiesKnown: boolean): Evidence {
  const injections: Injection[] = [];
  const inject = (at: number, run: (observer: Observer) => void) => injections.push({ at, rank: 0, run });
  const report = (at: number, r: PageConsentReport) => inject(at, (o) => o.pageConsent(TAB, r));
  const estimatedWrites = new Set<string>();
  const unsureChoice: Evidence['unsureChoice'] = [];
  let lastCookieEvidenceAt = Number.NEGATIVE_INFINITY;

  // The platform's record in the shop's cookies.
  let recordNow = 'none';
  let noRecordSince: number | null = null;
  const changes: ConsentChange[] = [];
  // Catalog cookies as last seen, and what the shop's own server set (the observer reads those itself).
  const cookieValues = new Map<string, string>();
  let cookiesSeenSince: number | null = null;
  const serverSet = new Map<string, string>();
  // Listed requests in order, to place a cookie a script wrote with its tracker's own traffic.
  const listed: { at: number; entryId: EntryId }[] = [];
  // Signals and banners, per page load.
  let signalSpan: Span | undefined;
  const lastSignal = new Map<string, string>();
  let bannerSpan: Span | undefined;
  let lastTcf = 'none';

  /**
   * A choice first shown by evidence at `learnt`, and known not made at `since`: counted from the moment its
   * record gives, kept between the two (the live rule's bounds, with no delivery delay to allow for).
   */
  function recordLearnt(record: ConsentRecord, since: number, learnt: number, span: Span) {
    const placed = placeConsent({ startedAt: span.start, noRecordSince: since, consent: changes }, record, learnt, false, { maxDelayMs: Infinity });
    if (placed.kind !== 'new') return;
    changes.push(placed.change);
    const at = placed.change.at;
    if (record.decidedAt === null && since < at) unsureChoice.push({ from: since, to: at });
    report(at, { kind: 'record', record: { ...record, decidedAt: at }, carriedOver: false });
  }

  for (const ex of exchanges) {
    const span = spanAt(spans, ex.start);
    if (!span?.shop || ex.host === null) continue;
    const cls = classifier.classifyUrl(ex.url, ex.body);
    if (cls.party === 'listed') listed.push({ at: ex.start, entryId: cls.entryId });

    // The banner, named by its platform's script or API host.
    const platform = platformOfHost(ex.host);
    if (platform && bannerSpan !== span) {
      bannerSpan = span;
      report(ex.start, { kind: 'named', cmp: platform.platform });
    }

    // Consent Mode and UET's asc, as the vendors' hits carry them.
    if (cls.party === 'listed' && hasConsentModeSignal(cls.entryId)) {
      if (signalSpan !== span) {
        signalSpan = span;
        lastSignal.clear();
      }
      const query = ex.url.includes('?') ? ex.url.slice(ex.url.indexOf('?') + 1) : '';
      const signals = parseConsentMode(query);
      if (signals) {
        const params = new URLSearchParams(query);
        const source = params.has('gcs') || params.has('gcd') ? 'consent-mode' : 'uet';
        const key = JSON.stringify(signals);
        const previous = lastSignal.get(source);
        if (previous === undefined) {
          if (source === 'consent-mode' && defaultOnly(params.get('gcd'))) report(ex.start, { kind: 'signal', signal: signalRecord(source, 'default', signals, ex.start) });
        } else if (previous !== key) report(ex.start, { kind: 'signal', signal: signalRecord(source, 'update', signals, ex.start) });
        lastSignal.set(source, key);
      }
    }

    // TC and GPP strings a CMP handed to vendors: a record of the choice, read by the IAB's decoders.
    const tcf = tcfRecord(ex.url);
    if (tcf && recordKey(tcf) !== lastTcf) {
      lastTcf = recordKey(tcf);
      report(ex.start, { kind: 'record', record: { ...tcf, decidedAt: ex.start }, carriedOver: false });
    }

    if (!classifier.isShopHost(ex.host) || !cookiesKnown) continue;
    const pageHost = ex.host === span.host;

    // The shop's own server set these (Set-Cookie): the observer takes them from the response itself.
    const set = [...setCookies(ex.responseHeaders)];
    for (const [name, value] of set) serverSet.set(name, value);

    const consentCookies = new Map([...ex.cookies].filter(([name]) => isConsentCookie(name)));
    const record = consentCookies.size ? readConsentCookies(consentCookies) : null;
    if (recordKey(record) !== recordNow && (record !== null || pageHost)) {
      // There before the capture began: an earlier visit's choice. A page load's own request shows it to the
      // observer as a cookie present at the start; anywhere else it is said here.
      if (record !== null && noRecordSince === null) {
        if (ex.type !== 'main_frame') report(ex.start, { kind: 'record', record, carriedOver: true });
      } else if (record !== null) recordLearnt(record, noRecordSince!, ex.start, span);
      recordNow = recordKey(record);
    }
    // A record the shop's server wrote (Set-Cookie on this response): made between this request, which
    // carried the one before, and its answer.
    const setConsent = set.filter(([name]) => isConsentCookie(name));
    if (setConsent.length) {
      const written = readConsentCookies(new Map([...consentCookies, ...setConsent]));
      if (written !== null && recordKey(written) !== recordNow) {
        recordLearnt(written, ex.start, ex.end, span);
        recordNow = recordKey(written);
      }
    }
    if (!pageHost) continue;
    // A request to the page's own host carries every cookie of the shop a script could have written.
    noRecordSince = ex.start;
    lastCookieEvidenceAt = ex.start;

    for (const [name, value] of ex.cookies) {
      const entryId = matchCookie(name);
      if (!entryId || cookieValues.get(name) === value) continue;
      cookieValues.set(name, value);
      // First seen on the capture's first request: there before it began (set by an earlier visit or a script).
      if (cookiesSeenSince === null || serverSet.get(name) === value) continue;
      const since = cookiesSeenSince;
      let anchor: number | undefined;
      for (let i = listed.length - 1; i >= 0 && listed[i]!.at > since; i--) {
        if (listed[i]!.entryId === entryId && listed[i]!.at <= ex.start) {
          anchor = listed[i]!.at;
          break;
        }
      }
      const from = spanAt(spans, since)!;
      const at = anchor ?? (from === span ? ex.start : from.lastAt);
      estimatedWrites.add(`${name}@${at}`);
      const domain = from.host;
      inject(at, (o) => o.cookieChanged({ removed: false, cause: 'explicit', name, domain, value }));
    }
    for (const name of [...cookieValues.keys()]) if (!ex.cookies.has(name)) cookieValues.delete(name);
    cookiesSeenSince = ex.start;
  }
  return { injections, lastCookieEvidenceAt, estimatedWrites, unsureChoice };
}

/** `gcd` letters for ad_storage and analytics_storage that say a default was set and no update yet (p, t). */
function defaultOnly(gcd: string | null): boolean {
  const letters = gcd?.match(/^\d{2}([a-z])\d([a-z])/);
  return !!letters && /^[pt]$/.test(letters[1]!) && /^[pt]$/.test(letters[2]!);
}

function signalRecord(source: 'consent-mode' | 'uet', signal: 'default' | 'update', s: ConsentModeSignals, at: number): ConsentRecord & { signal: 'default' | 'update' } {
  if (source === 'uet') {
    const granted = s.adStorage === 'granted';
    return { source, signal, decidedAt: at, granted: granted ? ['marketing'] : [], denied: granted ? [] : ['marketing'] };
  }
  const values: ConsentModeValues = {};
  const set = (type: keyof ConsentModeValues, state: string | undefined) => {
    if (state === 'granted' || state === 'denied') values[type] = state;
  };
  set('ad_storage', s.adStorage);
  set('analytics_storage', s.analyticsStorage);
  set('ad_user_data', s.adUserData);
  set('ad_personalization', s.adPersonalization);
  return { source, signal, decidedAt: at, ...categoriesFromConsentMode(values) };
}

function tcfRecord(url: string): ConsentRecord | null {
  const query = url.indexOf('?');
  if (query < 0 || (!url.includes('gdpr_consent=') && !url.includes('gpp='))) return null;
  const params = new URLSearchParams(url.slice(query + 1));
  const tc = params.get('gdpr_consent');
  if (tc) return parseTcString(tc);
  const gpp = params.get('gpp');
  return gpp ? parseGppString(gpp) : null;
}

function* setCookies(headers: readonly { name: string; value: string }[]): Generator<[string, string]> {
  for (const header of headers) {
    if (header.name.toLowerCase() !== 'set-cookie') continue;
    for (const line of header.value.split('\n')) {
      const eq = line.indexOf('=');
      if (eq < 1) continue;
      yield [line.slice(0, eq).trim(), line.slice(eq + 1).split(';', 1)[0]!.trim()];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The replay

/** Host-permission patterns (`*://*.example.com/*`) as a host test: what webRequest would show the extension. */
function webRequestSees(): (host: string) => boolean {
  const bases = hostPermissions().map((pattern) => pattern.replace(/^\*:\/\/\*\./, '').replace(/\/\*$/, ''));
  return (host) => bases.some((base) => host === base || host.endsWith(`.${base}`));
}

const INITIATOR: Record<string, string> = { script: 'script', image: 'img', stylesheet: 'link', xmlhttprequest: 'xmlhttprequest', ping: 'beacon', sub_frame: 'iframe', font: 'css' };

function replay(exchanges: Exchange[], injections: Injection[], classifier: Classifier, matchCookie: (name: string) => EntryId | null): TabState[] {
  let clock = 0;
  const visits: TabState[] = [];
  const states = new Map<number, TabState>();
  // The tab states, in memory: what session storage is to the background, without the batching.
  const store: TabStore = {
    ready: Promise.resolve(),
    get: (tabId) => states.get(tabId),
    all: () => [...states.values()],
    set: (state) => {
      states.set(state.tabId, state);
      visits.push(state);
    },
    delete: (tabId) => void states.delete(tabId),
    changed: () => undefined,
    rejudge: () => undefined,
    flush: async () => undefined,
    saved: async () => undefined,
  };
  // The log's rows are not needed: the report is built from the tab states, as the live scan's is.
  const writer: LogWriter = { put: () => undefined, amend: () => undefined, flush: async () => undefined, pending: () => 0 };
  let pageCookies: { name: string; domain: string; value: string }[] = [];
  const observer = createObserver({
    classifier,
    matchCookie,
    detectHosting: createHostingDetector(),
    hasConsentMode: hasConsentModeSignal,
    writer,
    store,
    now: () => clock,
    newId: () => `har-${visits.length + 1}`,
    // The cookies the page load's own request carried: what the jar held when the visit began.
    snapshotCookies: (tabId, visitId) => observer.cookiesPresent(tabId, visitId, pageCookies),
  });
  const sees = webRequestSees();
  const resourceSeq = new Map<string, number>();

  type Step = { at: number; rank: number; seq: number; run(): void };
  const steps: Step[] = injections.map((i, seq) => ({ at: i.at, rank: i.rank, seq, run: () => i.run(observer) }));
  const visitAtStart = new Map<number, string | undefined>();
  let seq = steps.length;
  for (const ex of exchanges) {
    if (ex.host === null) continue;
    const event = { requestId: `har-${ex.index}`, tabId: TAB, frameId: ex.type === 'main_frame' ? 0 : 1, url: ex.url, type: ex.type, method: ex.method, body: ex.body };
    const seen = sees(ex.host);
    steps.push({
      at: ex.start,
      rank: 1,
      seq: seq++,
      run: () => {
        if (ex.type === 'main_frame') pageCookies = [...ex.cookies].map(([name, value]) => ({ name, value, domain: ex.host! }));
        if (seen) observer.requestStarted({ ...event, timeStamp: ex.start });
        if (ex.type === 'main_frame') observer.tabNavigated(TAB, ex.url, ex.start);
        visitAtStart.set(ex.index, states.get(TAB)?.visitId);
      },
    });
    steps.push({
      at: ex.end,
      rank: 2,
      seq: seq++,
      run: () => {
        if (seen) observer.requestEnded({ ...event, timeStamp: ex.end, statusCode: ex.status, error: ex.error, responseHeaders: ex.responseHeaders });
        // The page's own Resource Timing, for the hosts webRequest does not show (and to reconcile the rest).
        const state = states.get(TAB);
        if (ex.type === 'main_frame' || ex.status === undefined || !state || visitAtStart.get(ex.index) !== state.visitId) return;
        const resource = { url: ex.url, initiatorType: INITIATOR[ex.type] ?? 'other', startTime: ex.start - state.startedAt, seq: (resourceSeq.get(state.visitId) ?? 0) + 1 };
        resourceSeq.set(state.visitId, resource.seq);
        observer.pageResources(TAB, [resource], state.visitId);
      },
    });
  }
  steps.sort((a, b) => a.at - b.at || a.rank - b.rank || a.seq - b.seq);
  for (const step of steps) {
    clock = step.at;
    step.run();
  }
  return visits;
}

// ---------------------------------------------------------------------------------------------
// What a verdict rests on that a HAR cannot show

const UNSURE: readonly Verdict[] = ['before-choice', 'unknown'];
/** Platforms whose record is in a cookie a later request can carry (Usercentrics keeps its own in localStorage). */
const RECORD_IN_COOKIES = new Set<string>([...COOKIE_READERS.map((r) => r.platform), 'tcf']);

function markLimits(report: PageReport, state: TabState, evidence: Evidence) {
  const judgement = judgeVisit({ requests: state.requests, consent: state.consent, banner: state.banner, cookieWrites: state.cookieWrites, unlistedHosts: [], stance: null });
  // The moments at which a choice made in the page could have gone unseen: after the last request that showed
  // the shop's cookies, inside a span where a record without a moment of its own was made, and anywhere when
  // the banner keeps its record out of cookies or the file holds no cookies at all.
  const unseen = (at: number) =>
    at > evidence.lastCookieEvidenceAt || evidence.unsureChoice.some((s) => at > s.from && at < s.to) || (state.banner !== null && !RECORD_IN_COOKIES.has(state.banner.cmp));
  for (const tracker of report.trackers) {
    const limits = new Set<HarLimit>();
    if (UNSURE.includes(tracker.verdict)) {
      const request = state.requests.some((r, i) => r.entryId === tracker.id && UNSURE.includes(judgement.requestVerdicts[i]!) && unseen(r.at));
      const cookie = tracker.cookieEvidence !== null && unseen(Date.parse(tracker.cookieEvidence.at));
      // `unknown` says no banner was seen: a HAR never shows one on screen, only its platform's scripts.
      if (request || cookie || (tracker.verdict === 'unknown' && state.banner === null)) limits.add('page-world');
    }
    if (judgement.consentFrom === 'consent-mode' && tracker.verdict !== 'necessary') limits.add('consent-mode-hits');
    const cookie = tracker.cookieEvidence;
    if (cookie && cookie.by === 'script' && evidence.estimatedWrites.has(`${cookie.name}@${Date.parse(cookie.at)}`)) limits.add('script-cookie');
    if (limits.size) tracker.harLimits = [...limits];
  }
}
