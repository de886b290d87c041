import { catalog as defaultCatalog, nameThirdParty, type Catalog, type EntryId, type RequestKind } from '../catalog';
import { judgeVisit, type VisitEvidence, type VisitJudgement } from '../consent/judge';
import { createTranslator, type Translator } from '../i18n';
import { describeEvidence, judgePromises, promiseInput, type PromiseCheck, type PromiseSource } from '../promises';
import type { Stance } from '../consent/stance';
import { splitUrl } from '../classify/url';
import { pageWatched, type TabState } from '../observe/tab-state';
import { REPORT_SCHEMA_VERSION, type ObservationReport, type PageReport, type Report } from './schema';
import { redactReport } from './redact';
import { compareText } from '../order';

/** A visit as both the live tab state and the log can describe it. */
export interface VisitRecord {
  url: string;
  startedAt: number;
  evidence: Omit<VisitEvidence, 'stance' | 'requests'> & { requests: PromiseSource['requests'] };
  /** `stopped`: of the requests, those stopped before they were sent (lib/observe/stopped.ts). */
  activity: Partial<Record<EntryId, { requests: number; cookies: string[]; relays?: { host: string; party: 'shop' | 'other' }[]; stopped?: number }>>;
  unlisted: Record<string, number>;
  unlistedOverflow?: number;
  /** What the promises read besides the requests (lib/promises/judge.ts); absent where not recorded. */
  plain?: PromiseSource['plain'];
  plainLeftOut?: number;
  storage?: PromiseSource['storage'];
  leftOutRequests?: PromiseSource['leftOutRequests'];
  /** The page's own report of what it loaded came (see `pageWatched`); taken as true where not known. */
  watched?: boolean;
  /** The promises as judged while the visit went on: the log keeps them with the visit. */
  promises?: PromiseCheck[];
  /** Every request in order, when the log has them; `judged` is its index in `evidence.requests`. */
  observations?: { at: number; entryId: EntryId | null; host: string; url: string; type: string; method: string; status: number | null; judged: number | null; retiredEntry?: string; kind?: RequestKind; stopped?: true; worker?: true }[];
  /** Requests of the visit that `observations` lacks (a live tab keeps only the first and the latest). */
  observationsLeftOut?: number;
}

const iso = (at: number) => new Date(at).toISOString();
/** A report's evidence is English, whoever reads it; one translator for every page of an export. */
let englishTranslator: Translator | undefined;

/** One page of the report: the same judgement the popup shows, written down. */
export function pageReport(visit: VisitRecord, stance: Stance | null, catalog: Catalog = defaultCatalog): PageReport {
  const judgement = judgeVisit({ ...visit.evidence, stance }, catalog);
  const now = judgement.consentNow;
  const english = (englishTranslator ??= createTranslator('en'));
  const trackers = catalog.entries.flatMap((entry) => {
    const activity = visit.activity[entry.id];
    const judged = judgement.entries[entry.id];
    if (!activity || !judged) return [];
    const cookie = judged.cookie;
    return [
      {
        id: entry.id,
        company: entry.company,
        category: entry.category,
        requests: activity.requests,
        cookies: [...activity.cookies].sort(),
        verdict: judged.verdict,
        ...(activity.stopped ? { stopped: activity.stopped } : {}),
        relays: activity.relays ?? [],
        cookieEvidence: cookie ? { name: cookie.name, at: iso(cookie.at), by: cookie.by ?? ('script' as const) } : null,
      },
    ];
  });
  const observations: ObservationReport[] | undefined = visit.observations?.map((o) => ({
    at: iso(o.at),
    trackerId: o.entryId,
    host: o.host,
    url: o.url,
    type: o.type,
    method: o.method,
    status: o.status,
    verdict: o.judged === null ? null : (judgement.requestVerdicts[o.judged] ?? null),
    ...(o.retiredEntry ? { retiredEntry: o.retiredEntry } : {}),
    ...(o.kind ? { kind: o.kind } : {}),
    ...(o.stopped ? { stopped: true as const } : {}),
    ...(o.worker ? { worker: true as const } : {}),
  }));
  return {
    url: visit.url,
    visitedAt: iso(visit.startedAt),
    consent: {
      source: now?.source ?? 'none',
      decidedAt: now ? iso(now.at) : null,
      granted: now?.granted ?? [],
      denied: now?.denied ?? [],
      from: judgement.consentFrom,
      banner: visit.evidence.banner?.cmp ?? null,
    },
    trackers,
    unlisted: Object.entries(visit.unlisted)
      .map(([host, requests]) => {
        const party = nameThirdParty(host);
        return { host, requests, company: party?.company ?? null, country: party?.country ?? null, purpose: party?.purpose ?? null };
      })
      .sort((a, b) => b.requests - a.requests || compareText(a.host, b.host)),
    findings: judgement.findings.map((f) => ({ kind: f.kind, ...(f.trackerId ? { trackerId: f.trackerId } : {}), ...(f.category ? { category: f.category } : {}), ...(f.cookie ? { cookie: f.cookie } : {}), detail: f.detail })),
    promises: visitPromises(visit, judgement, catalog).map((check) => ({ id: check.id, status: check.status, evidence: describeEvidence(check.facts, english, catalog) })),
    ...(observations ? { observations } : {}),
    ...(visit.observationsLeftOut ? { observationsLeftOut: visit.observationsLeftOut } : {}),
    consentChanges: [...visit.evidence.consent]
      .sort((a, b) => a.at - b.at)
      .map((c) => ({ at: iso(c.at), source: c.source, ...(c.signal ? { signal: c.signal } : {}), granted: c.granted, denied: c.denied, carriedOver: c.carriedOver })),
  };
}

/**
 * The promises of a visit: as the log stored them while it went on (the customer's rights requests as
 * they stood then included), or judged now from what it recorded, the rights requests not known.
 */
export function visitPromises(visit: VisitRecord, judgement: VisitJudgement, catalog: Catalog = defaultCatalog, now = Date.now()): PromiseCheck[] {
  if (visit.promises) return visit.promises;
  const source: PromiseSource = {
    requests: visit.evidence.requests,
    leftOutRequests: visit.leftOutRequests ?? [],
    plain: visit.plain ?? [],
    plainLeftOut: visit.plainLeftOut ?? 0,
    storage: visit.storage ?? { regions: [], edges: [] },
    unlisted: visit.unlisted,
    unlistedOverflow: visit.unlistedOverflow ?? 0,
  };
  return judgePromises(promiseInput(source, judgement, { rights: null, now, watched: visit.watched ?? true }), catalog);
}

/** A live tab, as the popup and the scan see it. */
export function visitFromTab(state: TabState): VisitRecord {
  const activity: VisitRecord['activity'] = {};
  for (const [id, entry] of Object.entries(state.entries)) {
    if (!entry || (entry.requests === 0 && entry.cookiesSet.length === 0)) continue;
    activity[id as EntryId] = { requests: entry.requests, cookies: [...new Set([...entry.cookiesSet, ...entry.cookiesPresent])], relays: entry.relays, stopped: entry.stopped };
  }
  const observations = observationsOfTab(state);
  return {
    url: state.url,
    startedAt: state.startedAt,
    evidence: { requests: state.requests, consent: state.consent, banner: state.banner, cookieWrites: state.cookieWrites, unlistedHosts: Object.keys(state.unlisted) },
    activity,
    unlisted: state.unlisted,
    unlistedOverflow: state.unlistedOverflow,
    plain: state.plain,
    plainLeftOut: state.plainLeftOut,
    storage: state.storage,
    leftOutRequests: state.leftOutRequests,
    watched: pageWatched(state),
    ...(observations.length ? { observations, observationsLeftOut: state.requestsLeftOut + state.unlistedRequestsLeftOut } : {}),
  };
}

/**
 * The requests a tab keeps, in order, as observations: its catalog requests (those saved with their
 * address, since 2026-12) and those to unnamed hosts. Their addresses never had a query to leave out;
 * the status is not kept in a tab.
 */
function observationsOfTab(state: TabState): NonNullable<VisitRecord['observations']> {
  const observations: NonNullable<VisitRecord['observations']> = [];
  state.requests.forEach((request, judged) => {
    if (request.url === undefined) return;
    const host = splitUrl(request.url)?.host ?? '';
    observations.push({ at: request.at, entryId: request.entryId, host, url: request.url, type: request.type ?? 'other', method: request.method ?? 'GET', status: null, judged, ...(request.kind ? { kind: request.kind } : {}), ...(request.stopped ? { stopped: true as const } : {}), ...(request.worker ? { worker: true as const } : {}) });
  });
  for (const request of state.unlistedRequests) {
    observations.push({ at: request.at, entryId: null, host: splitUrl(request.url)?.host ?? '', url: request.url, type: request.type, method: 'GET', status: null, judged: null });
  }
  // Stable: requests at the same moment keep the order they were counted in.
  return observations.sort((a, b) => a.at - b.at);
}

export function buildReport(pages: PageReport[], tool: { name: string; version: string }, options: { catalogVersion: string; environment?: Report['environment']; now?: number }): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: iso(options.now ?? Date.now()),
    tool,
    catalogVersion: options.catalogVersion,
    ...(options.environment ? { environment: options.environment } : {}),
    redacted: false,
    pages,
  };
}

/**
 * Visits as one report: each page judged as the popup judges it, personal data left out on request.
 * The history's export, the support bundle, the DevTools panel and the scan all make reports here.
 */
export function reportOfVisits(
  visits: VisitRecord[],
  options: { stance: Stance | null; redact: boolean; tool: { name: string; version: string }; catalogVersion: string; environment?: Report['environment']; now?: number },
): Report {
  const pages = [...visits].sort((a, b) => a.startedAt - b.startedAt).map((visit) => pageReport(visit, options.stance));
  const report = buildReport(pages, options.tool, { catalogVersion: options.catalogVersion, environment: options.environment, now: options.now });
  return options.redact ? redactReport(report) : report;
}

/** Where a support bundle was made: the browser and the extension, nothing that identifies the customer. */
export function bundleEnvironment(userAgent: string, extensionVersion: string, language: string): NonNullable<Report['environment']> {
  return { browser: userAgent.match(/(Firefox|Chrome|Chromium)\/[\d.]+/)?.[0] ?? 'unknown', extensionVersion, language };
}

/** Exit status of a scan: 1 when any page has a tracker before or against the choice. */
export function hasViolation(report: Report): boolean {
  return report.pages.some((p) => p.findings.some((f) => f.kind === 'before-choice' || f.kind === 'against-choice'));
}
