import * as z from 'zod/mini';
import { EntryId, RequestKind } from '../catalog';
import { AwsRegion } from '../catalog/vocabulary';
import { BannerState, ConsentChange } from '../consent/model';
import { ConsentModeSignals } from '../consent/consent-mode';
import { PersonalDataHit } from '../consent/personal-data';
import { MAX_CARRIED } from '../promises/signals';
import { LeftOutGroups } from '../promises/left-out';
import { readStoredJson } from '../parse/stored-json';
import type { Visit } from '../db/schema';

/** Per-tab bounds, so a page that fires requests without end cannot grow the worker's memory. */
export const MAX_UNLISTED_HOSTS = 200;
export const MAX_COOKIES_PER_ENTRY = 50;
export const MAX_PENDING_REQUESTS = 200;
/** Requests kept for judging: the first half of the visit's and a rolling window of the latest. */
export const MAX_JUDGED_REQUESTS = 500;
export const MAX_CONSENT_CHANGES = 20;
export const MAX_COOKIE_WRITES = 100;
/** Requests over plain http: kept as evidence; more are counted. */
export const MAX_PLAIN_REQUESTS = 20;
/** Storage regions and CDN edges seen on a visit. */
export const MAX_STORAGE_SIGHTINGS = 10;
/** Requests to hosts the policy does not name, kept in order for the DevTools panel and the chart. */
export const MAX_UNLISTED_REQUESTS = 100;
/**
 * Hosts past MAX_UNLISTED_HOSTS told apart, so that each counts once: by a 32-bit hash of the name
 * (at most 11 characters in the saved state, where a name takes 20-30). Past this many more, the count
 * stops growing.
 */
export const MAX_OVERFLOW_HOSTS = 1_000;
/** A kept address's length: enough for a tracker's endpoint, short enough to keep the state small. */
export const MAX_KEPT_ADDRESS = 200;

/**
 * A request's address as the tab state keeps it: scheme, host and path, never the query or fragment
 * (where e-mail addresses, order numbers and ids travel), cut to MAX_KEPT_ADDRESS characters. The
 * state is saved to session storage many times a second on a busy page, and its readers (the DevTools
 * panel, the chart, a support bundle) need where a request went, not what it carried.
 */
export function keptAddress(url: string): string {
  const end = url.search(/[?#]/);
  const address = end >= 0 ? url.slice(0, end) : url;
  return address.length > MAX_KEPT_ADDRESS ? `${address.slice(0, MAX_KEPT_ADDRESS - 1)}…` : address;
}

/** One catalog request as the consent judgement needs it. */
export const RequestRecord = z.lazy(() => z.strictObject({
  entryId: EntryId,
  at: z.number(),
  consentMode: z.nullable(ConsentModeSignals),
  personalData: z.array(PersonalDataHit).check(z.maxLength(10)),
  /** Where it went (see keptAddress) and what it was: since 2026-12, absent in states saved before. */
  url: z.optional(z.string().check(z.maxLength(MAX_KEPT_ADDRESS))),
  /** The browser's resource type (script, image, ping, xmlhttprequest, ...) and method. */
  type: z.optional(z.string().check(z.maxLength(40))),
  method: z.optional(z.string().check(z.maxLength(16))),
  /**
   * What the policy's promises are judged by (lib/promises/signals.ts): the kind of request, the
   * watched parameters it carried (names only) and the event it reported. Since 2026-12; states
   * saved before have none.
   */
  kind: z.optional(RequestKind),
  carried: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(MAX_CARRIED))),
  event: z.optional(z.string().check(z.maxLength(64))),
  /**
   * Stopped before it was sent (lib/observe/stopped.ts): the company never received it, so the promises
   * about what a company received leave it out; the consent judgement does not (the page tried).
   * Since 2026-12.
   */
  stopped: z.optional(z.literal(true)),
  /**
   * Sent by a service worker, not by the page (lib/observe/worker-requests.ts): the browser tied it to
   * no tab, and the page's own developer tools may not list it. Since 2026-12.
   */
  worker: z.optional(z.literal(true)),
}));
export type RequestRecord = z.infer<typeof RequestRecord>;

/** A request to a host the policy does not name: not judged, but shown in order (since 2026-12). */
export const UnlistedRequest = z.lazy(() => z.strictObject({
  url: z.string().check(z.maxLength(MAX_KEPT_ADDRESS)),
  at: z.number(),
  type: z.string().check(z.maxLength(40)),
}));
export type UnlistedRequest = z.infer<typeof UnlistedRequest>;

export const CookieWrite = z.lazy(() => z.strictObject({
  entryId: EntryId,
  name: z.string().check(z.maxLength(256)),
  at: z.number(),
  /** The shop's own server set it (Set-Cookie on one of its responses). */
  by: z.optional(z.literal('server')),
}));
export type CookieWrite = z.infer<typeof CookieWrite>;

export const EntryActivity = z.lazy(() => z.strictObject({
  requests: z.int().check(z.nonnegative()),
  /** Catalog cookies set during this visit. */
  cookiesSet: z.array(z.string()).check(z.maxLength(MAX_COOKIES_PER_ENTRY)),
  /** Catalog cookies that were already there when the visit began. */
  cookiesPresent: z.array(z.string()).check(z.maxLength(MAX_COOKIES_PER_ENTRY)),
  firstAt: z.number(),
  /** Partners reached through the entry (PayPal through Adyen). */
  via: z.array(z.string()).check(z.maxLength(10)),
  /**
   * Hosts that relayed the entry's own protocol: the shop's servers (server-side tagging, a tag
   * gateway) or a tagging server elsewhere. The data still reaches the vendor.
   */
  relays: z._default(z.array(z.strictObject({ host: z.string().check(z.maxLength(253)), party: z.enum(['shop', 'other']) })).check(z.maxLength(10)), []),
  /**
   * Of `requests`, those the browser, an extension or the network stopped before they were sent
   * (lib/observe/stopped.ts): the page tried, the company got nothing. Since 2026-12.
   */
  stopped: z._default(z.int().check(z.nonnegative()), 0),
}));
export type EntryActivity = z.infer<typeof EntryActivity>;

/** A catalog request that went over plain http: (its final address, once it completed). */
export const PlainRequest = z.lazy(() => z.strictObject({ entryId: EntryId, host: z.string().check(z.maxLength(253)), at: z.number() }));
export type PlainRequest = z.infer<typeof PlainRequest>;

/** Where the shop's storage is: an S3 bucket's region, from S3's own response header or an S3 host name. */
export const StorageSighting = z.lazy(() => z.strictObject({ region: AwsRegion, from: z.enum(['header', 'host']), host: z.string().check(z.maxLength(253)), at: z.number() }));
export type StorageSighting = z.infer<typeof StorageSighting>;

export const Storage = z.lazy(() => z.strictObject({
  regions: z.array(StorageSighting).check(z.maxLength(MAX_STORAGE_SIGHTINGS)),
  /** CloudFront's edge locations (`x-amz-cf-pop`): where the page was delivered from, not where data is kept. */
  edges: z.array(z.string().check(z.maxLength(32))).check(z.maxLength(MAX_STORAGE_SIGHTINGS)),
}));
export type Storage = z.infer<typeof Storage>;
const newStorage = (): Storage => ({ regions: [], edges: [] });

/** Distinct request URLs a visit reconciles; beyond it (a flood of unique URLs) it stops reconciling. */
export const MAX_RECONCILED_URLS = 1000;

/**
 * The page's own Resource Timing against what webRequest showed, per request URL (a short hash), to
 * recover a catalog request whose webRequest events were handed to a service worker that was stopped
 * before it handled them: the browser does not deliver those again, the page's report does.
 */
const Reconcile = z.lazy(() => z.strictObject({
  /**
   * Per reporting page load (the old page's last report can arrive after the next one started), the
   * last Resource Timing entry handled: a report delivered twice is counted once.
   */
  seqByPage: z.record(z.string(), z.int().check(z.nonnegative())),
  /** webRequest's and the page's request counts per URL key. */
  network: z.record(z.string(), z.int().check(z.nonnegative())),
  page: z.record(z.string(), z.int().check(z.nonnegative())),
  /** Distinct URL keys in the two maps. */
  urls: z.int().check(z.nonnegative()),
  /** Too many distinct URLs: no longer reconciled on this visit (the counts stay webRequest's). */
  off: z.boolean(),
}));
export type Reconcile = z.infer<typeof Reconcile>;
const newReconcile = (): Reconcile => ({ seqByPage: {}, network: {}, page: {}, urls: 0, off: false });

/**
 * What the popup and the badge show for one tab. Kept in `storage.session`, so it survives the
 * MV3 service worker being stopped mid-visit; the full detail goes to the Dexie log.
 */
export const TabState = z.lazy(() => z.strictObject({
  tabId: z.int(),
  visitId: z.string(),
  url: z.string(),
  startedAt: z.number(),
  entries: z.partialRecord(EntryId, EntryActivity),
  unlisted: z.record(z.string(), z.int().check(z.nonnegative())),
  /** Hosts beyond MAX_UNLISTED_HOSTS: counted, not named. */
  unlistedOverflow: z.int().check(z.nonnegative()),
  /** Those hosts' hashes (overflowHostSeen), so a host requested again is not counted again. */
  unlistedOverflowHashes: z._default(z.array(z.int()).check(z.maxLength(MAX_OVERFLOW_HOSTS)), []),
  /** Requests to those hosts in order: the first half of them, then a rolling window; and how many were left out. */
  unlistedRequests: z._default(z.array(UnlistedRequest).check(z.maxLength(MAX_UNLISTED_REQUESTS)), []),
  unlistedRequestsLeftOut: z._default(z.int().check(z.nonnegative()), 0),
  /**
   * Requests started and not yet ended. Kept with the state so a request whose end arrives after
   * the service worker was stopped and restarted is still counted once, not twice.
   */
  pending: z.array(z.string()).check(z.maxLength(MAX_PENDING_REQUESTS)),
  /**
   * Started requests pushed out of `pending` by newer ones (a page with more than
   * MAX_PENDING_REQUESTS in flight). Each still ends once; its end must not count it again.
   */
  pendingEvicted: z._default(z.int().check(z.nonnegative()), 0),
  /** The catalog requests for judging (bounded; see MAX_JUDGED_REQUESTS) and how many were left out. */
  requests: z.array(RequestRecord).check(z.maxLength(MAX_JUDGED_REQUESTS)),
  requestsLeftOut: z.int().check(z.nonnegative()),
  /** Those left out, counted by what the promises read of them (since 2026-12; older states have none). */
  leftOutRequests: z._default(LeftOutGroups, []),
  /** Every change of the consent record during the visit, oldest first. */
  consent: z.array(ConsentChange).check(z.maxLength(MAX_CONSENT_CHANGES)),
  banner: z.nullable(BannerState),
  /** The last moment we knew there was no consent record: a choice cannot be older than this. */
  noRecordSince: z.nullable(z.number()),
  /** Catalog cookies written during the visit: the first half of them, then a rolling window. */
  cookieWrites: z.array(CookieWrite).check(z.maxLength(MAX_COOKIE_WRITES)),
  reconcile: z._default(Reconcile, newReconcile),
  /** Catalog requests over plain http: (since 2026-12), the first MAX_PLAIN_REQUESTS, and how many more. */
  plain: z._default(z.array(PlainRequest).check(z.maxLength(MAX_PLAIN_REQUESTS)), []),
  plainLeftOut: z._default(z.int().check(z.nonnegative()), 0),
  storage: z._default(Storage, newStorage),
  /**
   * The back/forward cache showed the page again, without loading it (since 2026-12): what it loaded
   * then is the earlier visit's, and this one holds what happened since.
   */
  shownAgain: z.optional(z.literal(true)),
}));
export type TabState = z.infer<typeof TabState>;

/** The visit's row in the log as far as its tab's state tells it; the judgement adds its summary (judge-tab.ts, visitRow). */
export function visitOfState(state: TabState): Visit {
  return { id: state.visitId, tabId: state.tabId, url: state.url, startedAt: state.startedAt, banner: state.banner, ...(state.shownAgain ? { shownAgain: true } : {}) };
}

export function newTabState(tabId: number, visitId: string, url: string, startedAt: number): TabState {
  return {
    tabId,
    visitId,
    url,
    startedAt,
    entries: {},
    unlisted: {},
    unlistedOverflow: 0,
    unlistedOverflowHashes: [],
    unlistedRequests: [],
    unlistedRequestsLeftOut: 0,
    pending: [],
    pendingEvicted: 0,
    requests: [],
    requestsLeftOut: 0,
    leftOutRequests: [],
    consent: [],
    banner: null,
    noRecordSince: startedAt,
    cookieWrites: [],
    reconcile: newReconcile(),
    plain: [],
    plainLeftOut: 0,
    storage: newStorage(),
  };
}

/** Entries that did something on this page: a request, or a cookie set while it was open. */
export function activeEntries(state: TabState): EntryId[] {
  return (Object.keys(state.entries) as EntryId[]).filter((id) => {
    const activity = state.entries[id];
    return activity !== undefined && (activity.requests > 0 || activity.cookiesSet.length > 0);
  });
}

/** The page's own Resource Timing report has come: third parties the policy does not name can be seen. */
export function pageWatched(state: TabState): boolean {
  return Object.keys(state.reconcile.seqByPage).length > 0;
}

export function tabStateKey(tabId: number): string {
  return `tab:${tabId}`;
}

export function parseTabState(raw: unknown): TabState | null {
  const result = TabState.safeParse(raw);
  return result.success ? result.data : null;
}

/**
 * A tab's state as session storage keeps it: its JSON text. Chromium converts an object handed to
 * `storage.session.set` value by value on the worker's own thread, and the saves of a page load's
 * states were the largest item of the worker's time during the load; a string is handed over whole
 * (a home page's 5 kB state: 0.29 ms an object, 0.07 ms its text, BENCHMARKS.md).
 */
export function storedTabState(state: TabState): string {
  return JSON.stringify(state);
}

/** A state read back from session storage (`storedTabState`), or null for anything else. */
export function readStoredTabState(stored: unknown): TabState | null {
  const value = readStoredJson(stored);
  return value === undefined ? null : parseTabState(value);
}

/**
 * Counts a host past MAX_UNLISTED_HOSTS once, however often the page asks it for something. Two hosts
 * whose names hash alike (a chance of about 1 in 9,000 on a page with 1,000 such hosts) count as one.
 */
export function overflowHostSeen(state: TabState, host: string): void {
  const hashes = state.unlistedOverflowHashes;
  const hash = fnv1a(host);
  if (hashes.length >= MAX_OVERFLOW_HOSTS || hashes.includes(hash)) return;
  hashes.push(hash);
  state.unlistedOverflow++;
}

/** FNV-1a, 32 bits: a fast, well-spread hash of a short text. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}
