import * as z from 'zod/mini';
import { catalog as defaultCatalog, getEntry, nameThirdParty, type Catalog, type EntryId, type RequestKind } from '../catalog';
import { splitUrl } from '../classify/url';
import { consentInForce, isViolation, type Verdict, type VisitJudgement } from '../consent/judge';
import type { ConsentChange } from '../consent/model';
import type { TabState } from '../observe/tab-state';
import { timelineConsent, type TimelineInput } from '../timeline/input';

/**
 * What the DevTools panel shows of a tab: its state as the popup reads it (storage.session, judged by
 * lib/observe/judge-tab.ts), laid out as one row per request and consent change, in order.
 */

/**
 * The panel page's address: `?tabId=N` when it is opened as an ordinary extension page (the tests,
 * a support engineer without DevTools), `?lang=nl|en` as every page takes. Inside DevTools the
 * inspected tab is the browser's word, and the address is not asked.
 */
export const PanelQuery = z.lazy(() => z.object({
  tabId: z.optional(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d{1,10}$/, 'tabId must be a whole number')), z.transform(Number)),
      z.int().check(z.maximum(Number.MAX_SAFE_INTEGER)),
    ),
  ),
}));

export type PanelTarget = { ok: true; tabId: number; from: 'devtools' | 'address' } | { ok: false; problem: 'no-tab' | 'bad-tab' };

/** Which tab the panel shows: the one DevTools inspects, else the one its address names. */
export function panelTarget(inspectedTabId: unknown, search: string): PanelTarget {
  const inspected = z.int().check(z.nonnegative()).safeParse(inspectedTabId);
  if (inspected.success) return { ok: true, tabId: inspected.data, from: 'devtools' };
  const params = new URLSearchParams(search);
  if (!params.has('tabId')) return { ok: false, problem: 'no-tab' };
  const query = PanelQuery.safeParse({ tabId: params.get('tabId') });
  return query.success && query.data.tabId !== undefined ? { ok: true, tabId: query.data.tabId, from: 'address' } : { ok: false, problem: 'bad-tab' };
}

export interface PanelRequestRow {
  type: 'request';
  /** ms since the page began loading. */
  at: number;
  url: string;
  host: string;
  /** null: a host the privacy policy does not name. */
  entryId: EntryId | null;
  /** The catalog entry's company, or who is behind an unnamed host when the directory knows. */
  company: string | null;
  kind: RequestKind | null;
  /** null for an unnamed host's request: not judged (it is a finding of its own). */
  verdict: Verdict | null;
  /** The consent the request met, as the judge sees it (null: no choice yet). */
  consent: ConsentChange | null;
  /** Stopped before it was sent (lib/observe/stopped.ts): the company never got it. Catalog requests only. */
  stopped: boolean;
  /** Sent by a service worker, not by the page (lib/observe/worker-requests.ts). */
  worker: boolean;
}

export interface PanelConsentRow {
  type: 'consent';
  at: number;
  change: ConsentChange;
}

export type PanelRow = PanelRequestRow | PanelConsentRow;

/** The tab's requests and consent changes in order, each request with the verdict the judge gave it. */
export function panelRows(state: TabState, judgement: VisitJudgement): PanelRow[] {
  const rows: PanelRow[] = [];
  state.requests.forEach((request, i) => {
    // A state saved before addresses were kept (an update mid-visit) still lists the request.
    const url = request.url ?? '';
    rows.push({
      type: 'request',
      at: request.at - state.startedAt,
      url,
      host: splitUrl(url)?.host ?? '',
      entryId: request.entryId,
      company: getEntry(request.entryId).company,
      kind: request.kind ?? null,
      verdict: judgement.requestVerdicts[i] ?? null,
      consent: consentInForce(judgement.consentUsed, request.at),
      stopped: request.stopped === true,
      worker: request.worker === true,
    });
  });
  for (const request of state.unlistedRequests) {
    const host = splitUrl(request.url)?.host ?? '';
    rows.push({ type: 'request', at: request.at - state.startedAt, url: request.url, host, entryId: null, company: nameThirdParty(host)?.company ?? null, kind: 'other', verdict: null, consent: consentInForce(judgement.consentUsed, request.at), stopped: false, worker: false });
  }
  for (const change of state.consent) rows.push({ type: 'consent', at: change.at - state.startedAt, change });
  // Stable: a consent change comes before a request at the same moment (the request met it).
  return rows.sort((a, b) => a.at - b.at || (a.type === b.type ? 0 : a.type === 'consent' ? -1 : 1));
}

export interface PanelFilter {
  /** A catalog company, or `unnamed` for the hosts the policy does not name. */
  company?: string;
  verdict?: Verdict | 'violation';
  kind?: RequestKind;
  /** Only the requests that never arrived. */
  stopped?: boolean;
  search?: string;
}

/** The rows the filter lets through: requests that match all of it, and every consent change (the context they need). */
export function filterPanelRows(rows: readonly PanelRow[], filter: PanelFilter): PanelRow[] {
  const search = filter.search?.trim().toLowerCase();
  return rows.filter((row) => {
    if (row.type === 'consent') return true;
    if (filter.company === 'unnamed' ? row.entryId !== null : filter.company && (row.entryId === null || row.company !== filter.company)) return false;
    if (filter.verdict === 'violation' ? !isViolation(row.verdict) : filter.verdict && row.verdict !== filter.verdict) return false;
    if (filter.kind && row.kind !== filter.kind) return false;
    if (filter.stopped && !row.stopped) return false;
    if (search) {
      const haystack = `${row.url} ${row.entryId ? getEntry(row.entryId).product : ''} ${row.company ?? ''}`.toLowerCase();
      if (!haystack.includes(search)) return false;
    }
    return true;
  });
}

/** The companies (in the catalog's order) and kinds present, and how many never arrived, for the filters' choices. */
export function panelChoices(rows: readonly PanelRow[], catalog: Catalog = defaultCatalog): { companies: string[]; unnamed: boolean; kinds: RequestKind[]; stopped: number } {
  const requests = rows.filter((r): r is PanelRequestRow => r.type === 'request');
  const present = new Set(requests.map((r) => r.entryId));
  const companies = [...new Set(catalog.entries.filter((e) => present.has(e.id)).map((e) => e.company))];
  const kindOrder: RequestKind[] = ['page', 'script', 'config', 'hit', 'widget', 'payment', 'other'];
  const kinds = new Set(requests.map((r) => r.kind));
  return { companies, unnamed: present.has(null), kinds: kindOrder.filter((k) => kinds.has(k)), stopped: requests.filter((r) => r.stopped).length };
}

/** The rows on the timeline: the requests shown, every consent change of the tab, and what the tab left out. */
export function panelTimeline(state: TabState, rows: readonly PanelRow[]): TimelineInput {
  return {
    requests: rows.filter((r): r is PanelRequestRow => r.type === 'request').map((r) => ({ at: r.at, entryId: r.entryId, verdict: r.verdict, url: r.url, ...(r.kind ? { kind: r.kind } : {}), ...(r.stopped ? { stopped: true as const } : {}) })),
    consent: state.consent.map((c) => timelineConsent(c, state.startedAt)),
    leftOut: state.requestsLeftOut + state.unlistedRequestsLeftOut,
  };
}
