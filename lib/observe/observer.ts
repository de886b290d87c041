import type { EntryId, RequestKind } from '../catalog';
import type { Classifier, UrlClass } from '../classify';
import type { LogWriter, Observation } from '../db';
import { MAX_COOKIES_PER_ENTRY, MAX_PENDING_REQUESTS, MAX_UNLISTED_HOSTS, newTabState, type EntryActivity, type TabState } from './tab-state';
import type { TabStore } from './tab-store';

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
}

export interface ObserverDeps {
  classifier: Classifier;
  matchCookie(name: string): EntryId | null;
  detectHosting(headers: { name: string; value?: string }[]): EntryId | null;
  writer: LogWriter;
  store: TabStore;
  now(): number;
  newId(): string;
  /** Asks the browser for the shop's catalog cookies at the start of a visit. */
  snapshotCookies?(tabId: number, visitId: string): void;
}

/**
 * Turns browser events into visits, per-tab activity and log rows. Pure logic over injected
 * dependencies: the background wires the real browser events to it, the unit tests fake them.
 */
export function createObserver(deps: ObserverDeps) {
  const { classifier, store, writer } = deps;

  function startVisit(tabId: number, url: string, at: number): TabState {
    const state = newTabState(tabId, deps.newId(), url, at);
    store.set(state);
    writer.visit({ id: state.visitId, tabId, url, startedAt: at });
    deps.snapshotCookies?.(tabId, state.visitId);
    return state;
  }

  function endVisit(tabId: number) {
    store.delete(tabId);
  }

  function activity(state: TabState, entryId: EntryId, at: number): EntryActivity {
    return (state.entries[entryId] ??= { requests: 0, cookiesSet: [], cookiesPresent: [], firstAt: at, via: [] });
  }

  function countRequest(state: TabState, entryId: EntryId, at: number, via: string | undefined) {
    const entry = activity(state, entryId, at);
    entry.requests++;
    if (via && !entry.via.includes(via) && entry.via.length < 10) entry.via.push(via);
  }

  function logRequest(state: TabState, event: RequestEvent, cls: Extract<UrlClass, { party: 'listed' }>, kind: RequestKind = cls.kind) {
    const row: Observation = {
      id: `${state.visitId}:r${event.requestId}`,
      visitId: state.visitId,
      at: event.timeStamp,
      entryId: cls.entryId,
      host: cls.host,
      url: event.url,
      kind,
      type: event.type,
      method: event.method,
      status: event.statusCode,
      error: event.error,
      initiator: event.initiator,
      frameId: event.frameId,
      source: 'network',
      via: cls.via,
    };
    writer.observation(row);
  }

  function requestStarted(event: RequestEvent) {
    if (event.tabId < 0) return;
    const cls = classifier.classifyUrl(event.url);
    if (event.type === 'main_frame') {
      if (cls.party === 'shop') startVisit(event.tabId, event.url, event.timeStamp);
      else endVisit(event.tabId);
      return;
    }
    const state = store.get(event.tabId);
    if (!state || cls.party !== 'listed') return;
    if (state.pending.length >= MAX_PENDING_REQUESTS) state.pending.shift();
    state.pending.push(event.requestId);
    countRequest(state, cls.entryId, event.timeStamp, cls.via);
    logRequest(state, event, cls);
    store.changed(state);
  }

  function requestEnded(event: RequestEvent) {
    if (event.tabId < 0) return;
    const state = store.get(event.tabId);
    if (!state) return;
    const cls = classifier.classifyUrl(event.url);
    if (cls.party === 'shop') {
      // The shop's own responses say where it is hosted (CloudFront / S3 headers).
      const hosting = event.responseHeaders ? deps.detectHosting(event.responseHeaders) : null;
      if (!hosting) return;
      countRequest(state, hosting, event.timeStamp, undefined);
      logRequest(state, event, { party: 'listed', host: cls.host, entryId: hosting, kind: 'page', observeBy: 'network' }, event.type === 'main_frame' ? 'page' : 'other');
      store.changed(state);
      return;
    }
    if (cls.party !== 'listed') return;
    // A request whose start this worker never saw (it was stopped in between) still counts once.
    const open = state.pending.indexOf(event.requestId);
    if (open >= 0) state.pending.splice(open, 1);
    else countRequest(state, cls.entryId, event.timeStamp, cls.via);
    logRequest(state, event, cls);
    store.changed(state);
  }

  function cookieChanged(event: CookieEvent) {
    // An overwrite arrives as a removal followed by the new cookie: only the second matters.
    if (event.removed && event.cause === 'overwrite') return;
    const domain = event.domain.replace(/^\./, '');
    if (!classifier.isShopHost(domain)) return;
    const entryId = deps.matchCookie(event.name);
    if (!entryId) return;
    const at = deps.now();
    for (const state of store.all()) {
      if (!event.removed) addName(activity(state, entryId, at).cookiesSet, event.name);
      writer.cookie({
        id: `${state.visitId}|${event.name}|${domain}|${event.removed ? 'removed' : 'set'}`,
        visitId: state.visitId,
        entryId,
        name: event.name,
        domain,
        value: event.value,
        at,
        change: event.removed ? 'removed' : 'set',
      });
      store.changed(state);
    }
  }

  function cookiesPresent(tabId: number, visitId: string, cookies: { name: string; domain: string; value: string }[]) {
    const state = store.get(tabId);
    if (!state || state.visitId !== visitId) return;
    const at = deps.now();
    for (const cookie of cookies) {
      const domain = cookie.domain.replace(/^\./, '');
      if (!classifier.isShopHost(domain)) continue;
      const entryId = deps.matchCookie(cookie.name);
      if (!entryId) continue;
      addName(activity(state, entryId, at).cookiesPresent, cookie.name);
      writer.cookie({ id: `${visitId}|${cookie.name}|${domain}|present`, visitId, entryId, name: cookie.name, domain, value: cookie.value, at, change: 'present' });
    }
    store.changed(state);
  }

  function pageResources(tabId: number, resources: PageResource[]) {
    const state = store.get(tabId);
    if (!state) return;
    let changed = false;
    for (const resource of resources) {
      const cls = classifier.classifyUrl(resource.url);
      if (cls.party === 'shop' || cls.party === 'not-web') continue;
      // Hosts in the host permissions are counted from webRequest, which sees more (status, method).
      if (cls.party === 'listed' && cls.observeBy === 'network') continue;
      const at = state.startedAt + resource.startTime;
      const id = `${state.visitId}:p${resource.startTime.toFixed(3)}:${resource.url.slice(0, 256)}`;
      if (cls.party === 'listed') countRequest(state, cls.entryId, at, cls.via);
      else if (cls.host in state.unlisted) state.unlisted[cls.host]!++;
      else if (Object.keys(state.unlisted).length < MAX_UNLISTED_HOSTS) state.unlisted[cls.host] = 1;
      else state.unlistedOverflow++;
      writer.observation({
        id,
        visitId: state.visitId,
        at,
        entryId: cls.party === 'listed' ? cls.entryId : null,
        host: cls.host,
        url: resource.url,
        kind: cls.party === 'listed' ? cls.kind : 'other',
        type: resource.initiatorType,
        method: 'GET',
        frameId: 0,
        source: 'page',
        via: cls.party === 'listed' ? cls.via : undefined,
      });
      changed = true;
    }
    if (changed) store.changed(state);
  }

  /** tabs.onUpdated with status "loading": `url` is only there for hosts we hold permission for. */
  function tabNavigated(tabId: number, url: string | undefined, at: number) {
    const cls = url === undefined ? null : classifier.classifyUrl(url);
    if (cls?.party !== 'shop') return endVisit(tabId);
    // Back/forward cache: the page comes back without a main_frame request.
    if (!store.get(tabId)) startVisit(tabId, url!, at);
  }

  return { requestStarted, requestEnded, cookieChanged, cookiesPresent, pageResources, tabNavigated, tabRemoved: endVisit };
}

export type Observer = ReturnType<typeof createObserver>;

function addName(names: string[], name: string) {
  if (!names.includes(name) && names.length < MAX_COOKIES_PER_ENTRY) names.push(name);
}
