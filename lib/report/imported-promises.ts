import { catalog as defaultCatalog, type Catalog, type PromiseId, type PromiseRule } from '../catalog';
import { findPersonalData } from '../consent/personal-data';
import { judgePromises, promiseSignals, type PromiseFacts, type PromiseInput, type PromiseRequest, type PromiseStatus } from '../promises';
import type { PageReport } from './schema';

/** A promise of an imported report's page, judged again from its requests, or as the report says. */
export interface ImportedPromise {
  id: PromiseId;
  status: PromiseStatus;
  /** Facts when judged again here; null when the report's own English sentence is all there is. */
  facts: PromiseFacts | null;
  reportEvidence?: string;
  fromReport: boolean;
}

/** Rules that read a request's parameters: a redacted report cut them from its addresses. */
const READS_PARAMETERS: ReadonlySet<PromiseRule['kind']> = new Set(['no-identifiers', 'only-events', 'data-only-with-consent']);

/**
 * The promises of a page of someone's report, judged again by this version's rules from what the
 * page itself holds: its requests in order (their addresses, verdicts), its trackers' verdicts, the
 * hosts it did not name. A report cannot hold everything the extension saw (request bodies, S3's
 * response headers, the customer's rights requests), so where the page gives nothing to go on, or
 * says worse than the requests show, the report's own judgement stands, marked as the report's.
 */
export function judgeReportPage(page: PageReport, { redacted, generatedAt }: { redacted: boolean; generatedAt: string }, catalog: Catalog = defaultCatalog): ImportedPromise[] {
  const signals = promiseSignals();
  const requests: PromiseRequest[] = [];
  const plain: PromiseInput['plain'] = [];
  for (const o of page.observations ?? []) {
    if (!o.trackerId) continue;
    // The report keeps each request's host (the classifier, with its Public Suffix List, stays out of the page).
    const host = o.host.toLowerCase();
    const personalData = redacted ? [] : findPersonalData(o.url);
    const read = redacted ? {} : signals.requestSignals(o.trackerId, host, o.url, undefined, personalData);
    // Reports before 2026-12 do not say what a request was; one that carried what a rule watches was a hit.
    const kind = o.kind ?? (read.carried || read.event ? 'hit' : undefined);
    requests.push({ entryId: o.trackerId, at: Date.parse(o.at), kind, personalData, verdict: o.verdict, ...read, ...(o.stopped ? { stopped: true } : {}) });
    if (o.url.startsWith('http:') && o.status !== null) plain.push({ entryId: o.trackerId, host });
  }
  const regions = page.unlisted.flatMap((u) => {
    const region = signals.storageFromHost(u.host);
    return region ? [{ region, from: 'host' as const, host: u.host }] : [];
  });
  const input: PromiseInput = {
    requests,
    trackers: Object.fromEntries(page.trackers.map((t) => [t.id, t.verdict])),
    consentSource: page.consent.source === 'none' ? null : page.consent.source,
    plain,
    plainMore: 0,
    storage: { regions, edges: [] },
    unlisted: { hosts: page.unlisted.map((u) => u.host), overflow: 0, watched: true },
    rights: null,
    now: Date.parse(generatedAt),
  };
  const stated = new Map(page.promises.map((p) => [p.id, p]));
  return judgePromises(input, catalog).map((check) => {
    const rule = catalog.promises.find((p) => p.id === check.id)!.rule;
    const judged = !(redacted && READS_PARAMETERS.has(rule.kind)) && (page.observations !== undefined || !READS_PARAMETERS.has(rule.kind));
    const own = stated.get(check.id);
    const recomputed: ImportedPromise = { id: check.id, status: check.status, facts: check.facts, fromReport: false };
    const reported: ImportedPromise | null = own ? { id: check.id, status: own.status, facts: null, reportEvidence: own.evidence, fromReport: true } : null;
    if (!judged) return reported ?? { ...recomputed, status: 'unknown', facts: { code: 'not-in-report' } };
    // The worse word wins: a request body the report does not keep can have broken what its addresses do not show.
    if (check.status === 'broken') return recomputed;
    if (reported?.status === 'broken') return reported;
    if (check.status === 'kept') return recomputed;
    return reported ?? recomputed;
  });
}
