import { consentPlatformOf, type Catalog, type EntryId, type PromiseRule, type RequestKind } from '../catalog';
import type { Verdict } from '../consent/judge';
import type { ConsentSource } from '../consent/model';
import type { PersonalDataHit } from '../consent/personal-data';
import { calendarDate } from '../requests/deadline';
import { requestState } from '../requests/status';
import type { RightsDigest } from '../requests/standing';
import type { PromiseFacts, PromiseStatus } from './facts';
import { EMAIL_MARK } from './signals';
import { compareText } from '../order';

/** One request as the promises' rules read it: what it carried, and its consent verdict. */
export interface PromiseRequest {
  entryId: EntryId;
  /** When it was sent; null for requests the visit let go of, which are counted, not kept. */
  at: number | null;
  /** Absent for requests recorded before the promises were judged: they count as no hit. */
  kind?: RequestKind;
  carried?: string[];
  event?: string;
  personalData?: PersonalDataHit[];
  /** The request's consent verdict (lib/consent/judge.ts); null where none could be given. */
  verdict: Verdict | null;
  /** How many alike requests this stands for (lib/promises/left-out.ts); 1 where absent. */
  count?: number;
  /** Stopped before it was sent (lib/observe/stopped.ts): the company never received it. */
  stopped?: boolean;
}

export type { RightsDigest };

/** Everything a visit offers to judge the policy's promises by. */
export interface PromiseInput {
  requests: PromiseRequest[];
  /** Each catalog entry's verdict on the visit (its worst request's or cookie's). */
  trackers: Partial<Record<EntryId, Verdict>>;
  /** The reader whose record decided the verdicts, when one did. */
  consentSource: ConsentSource | null;
  /** Catalog requests that went over plain http:, and how many more than are listed. */
  plain: { entryId: EntryId; host: string }[];
  plainMore: number;
  storage: { regions: { region: string; from: 'header' | 'host'; host: string }[]; edges: string[] };
  /**
   * Hosts the catalog does not name, most requests first, and how many more were only counted.
   * `watched`: the page's own report of what it loaded came (only it sees hosts outside the extension's
   * permissions); without it an empty list proves nothing.
   */
  unlisted: { hosts: string[]; overflow: number; watched: boolean };
  /** The customer's rights requests; null where they are not known (a scan, someone else's report). */
  rights: RightsDigest[] | null;
  now: number;
}

export interface RuleOutcome {
  status: PromiseStatus;
  facts: PromiseFacts;
}

type Rule<K extends PromiseRule['kind']> = (rule: Extract<PromiseRule, { kind: K }>, input: PromiseInput, catalog: Catalog) => RuleOutcome;

const LIST_MAX = 10;
const kept = (facts: PromiseFacts): RuleOutcome => ({ status: 'kept', facts });
const broken = (facts: PromiseFacts): RuleOutcome => ({ status: 'broken', facts });
const unknown = (facts: PromiseFacts): RuleOutcome => ({ status: 'unknown', facts });

function matcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith('[*]')));
  const prefixes = patterns.filter((p) => p.endsWith('[*]')).map((p) => p.slice(0, -2));
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix) && name.endsWith(']'));
}

/** Names in first-seen order, at most LIST_MAX. */
function addNames(into: string[], names: Iterable<string>) {
  for (const name of names) if (!into.includes(name) && into.length < LIST_MAX) into.push(name);
}

const personalWheres = (request: PromiseRequest) => (request.personalData ?? []).map((hit) => hit.where);
const weight = (request: PromiseRequest) => request.count ?? 1;
const total = (requests: readonly PromiseRequest[]) => requests.reduce((sum, request) => sum + weight(request), 0);

/**
 * The promises below are about what a company received: a request stopped before it was sent (a
 * content blocker, the browser's tracking protection, the network) is left out, and counted in the
 * evidence's `stopped`, so the sentence can say the page tried. `tried` picks the stopped requests the
 * rule would have read.
 */
function received(requests: readonly PromiseRequest[], tried: (request: PromiseRequest) => boolean): { received: PromiseRequest[]; stopped: { stopped?: number } } {
  const stopped = total(requests.filter((r) => r.stopped && tried(r)));
  return { received: requests.filter((r) => !r.stopped), stopped: stopped ? { stopped } : {} };
}

/** Google Analytics: "geanonimiseerd" fails with a client id from `_ga`, a user id or user data on any hit. */
const noIdentifiers: Rule<'no-identifiers'> = (rule, input) => {
  const { received: hits, stopped } = received(
    input.requests.filter((r) => r.entryId === rule.entry && r.kind === 'hit'),
    () => true,
  );
  if (hits.length === 0) return unknown({ code: 'identifiers-no-hits', entry: rule.entry, ...stopped });
  const identifying = matcher(rule.params);
  const params: string[] = [];
  let count = 0;
  for (const hit of hits) {
    const found = [...(hit.carried ?? []).filter(identifying), ...personalWheres(hit)];
    if (found.length === 0) continue;
    count += weight(hit);
    addNames(params, found);
  }
  if (count === 0) return kept({ code: 'identifiers-absent', entry: rule.entry, hits: total(hits), ...stopped });
  return broken({ code: 'identifiers-sent', entry: rule.entry, hits: total(hits), identifying: count, params, ...stopped });
};

/** Meta: only events about an unfinished purchase, and no personal data to match the customer by. */
const onlyEvents: Rule<'only-events'> = (rule, input) => {
  const personal = matcher(rule.personalParams);
  const { received: requests, stopped } = received(
    input.requests.filter((r) => r.entryId === rule.entry),
    (r) => r.event !== undefined || (r.carried ?? []).some(personal) || (r.personalData?.length ?? 0) > 0,
  );
  const events = new Map<string, number>();
  const params: string[] = [];
  for (const request of requests) {
    if (request.event) events.set(request.event, (events.get(request.event) ?? 0) + weight(request));
    addNames(params, [...(request.carried ?? []).filter(personal), ...personalWheres(request)]);
  }
  // By name, not by arrival: two events a page sends at once reach the browser in either order.
  const counted = [...events].map(([name, count]) => ({ name, count })).sort((a, b) => compareText(a.name, b.name));
  const other = counted.filter((e) => !rule.events.includes(e.name)).slice(0, LIST_MAX);
  if (other.length && params.length) return broken({ code: 'events-other-and-personal', entry: rule.entry, events: other, params, ...stopped });
  if (other.length) return broken({ code: 'events-other', entry: rule.entry, events: other, ...stopped });
  if (params.length) return broken({ code: 'events-personal', entry: rule.entry, params, ...stopped });
  if (counted.length === 0) return unknown({ code: 'events-none', entry: rule.entry, ...stopped });
  return kept({ code: 'events-allowed', entry: rule.entry, events: counted.slice(0, LIST_MAX), ...stopped });
};

/** Trustpilot: the invitation gets the e-mail address and order number only once its category is granted. */
const dataOnlyWithConsent: Rule<'data-only-with-consent'> = (rule, input, catalog) => {
  const category = catalog.entries.find((e) => e.id === rule.entry)!.category;
  const isOrder = matcher(rule.orderParams);
  const data = new Set<'email' | 'order-number'>();
  let worst: 'consented' | 'unknown' | 'before-choice' | 'against-choice' | null = null;
  // Whether an invitation with a judged verdict read as unknown (no record), rather than only ones the tab let go of.
  let judgedUnknown = false;
  const rank = { consented: 0, unknown: 1, 'before-choice': 2, 'against-choice': 3 } as const;
  const { received: requests, stopped } = received(
    input.requests.filter((r) => r.entryId === rule.entry && r.carried?.length),
    (r) => r.carried!.includes(EMAIL_MARK) || r.carried!.some(isOrder),
  );
  for (const request of requests) {
    if (!request.carried?.length) continue;
    const sent = [...(request.carried.includes(EMAIL_MARK) ? (['email'] as const) : []), ...(request.carried.some(isOrder) ? (['order-number'] as const) : [])];
    if (sent.length === 0) continue;
    for (const kind of sent) data.add(kind);
    // A cookieless ping says nothing of the category, and a request nobody could judge neither.
    const verdict = request.verdict === 'consented' || request.verdict === 'necessary' ? 'consented' : request.verdict === 'before-choice' || request.verdict === 'against-choice' ? request.verdict : 'unknown';
    if (verdict === 'unknown' && request.at !== null) judgedUnknown = true;
    if (worst === null || rank[verdict] > rank[worst]) worst = verdict;
  }
  if (worst === null) return unknown({ code: 'invitation-none', entry: rule.entry, ...stopped });
  const facts = { entry: rule.entry, data: (['email', 'order-number'] as const).filter((kind) => data.has(kind)), category, ...stopped };
  if (worst === 'against-choice') return broken({ code: 'invitation-against-consent', ...facts });
  if (worst === 'before-choice') return broken({ code: 'invitation-before-consent', ...facts });
  if (worst === 'unknown') return unknown({ code: judgedUnknown ? 'invitation-consent-unknown' : 'invitation-verdict-not-kept', ...facts });
  return kept({ code: 'invitation-with-consent', ...facts });
};

/** No passing on without consent: the consent judge's verdicts, tracker by tracker. */
const consentVerdicts: Rule<'consent-verdicts'> = (_rule, input, catalog) => {
  const order = catalog.entries.map((e) => e.id).filter((id) => input.trackers[id] !== undefined);
  const trackers = order.flatMap((entry) => {
    const verdict = input.trackers[entry];
    return verdict === 'before-choice' || verdict === 'against-choice' ? [{ entry, verdict }] : [];
  });
  if (trackers.length) return broken({ code: 'consent-violations', trackers });
  const unreadable = order.filter((id) => input.trackers[id] === 'unknown');
  if (unreadable.length) return unknown({ code: 'consent-unreadable', entries: unreadable });
  const consented = order.filter((id) => input.trackers[id] === 'consented').length;
  if (consented > 0 && input.consentSource) return kept({ code: 'consent-respected', consented, source: input.consentSource });
  // A cookieless Consent Mode ping while nothing was granted: a warning in the popup, no passing on.
  const pings = order.filter((id) => input.trackers[id] === 'denied-ping');
  if (pings.length) return kept({ code: 'consent-pings-only', entries: pings });
  return kept({ code: 'consent-nothing-optional' });
};

/** "Alle communicatie vindt versleuteld plaats": no request to these companies over plain http:. */
const encrypted: Rule<'encrypted'> = (rule, input) => {
  const plain = input.plain.filter((p) => rule.entries.includes(p.entryId));
  if (plain.length) {
    const entries = rule.entries.filter((id) => plain.some((p) => p.entryId === id));
    return broken({ code: 'plain-http', entries, requests: plain.length + input.plainMore, host: plain[0]!.host });
  }
  // A request stopped before it was sent went neither way.
  const requests = total(input.requests.filter((r) => rule.entries.includes(r.entryId) && !r.stopped));
  if (requests === 0) return unknown({ code: 'no-processor-requests' });
  return kept({ code: 'all-encrypted', requests });
};

/**
 * "In de EU": where S3 says the bucket is. Any region the data does not list as in the EU counts as
 * outside it (London and Zurich are `eu-` regions outside the Union). CloudFront's edge is only where
 * the page was delivered from: context, never the verdict.
 */
const storageRegion: Rule<'storage-region'> = (rule, input) => {
  const edge = input.storage.edges[0] ?? null;
  const sightings = input.storage.regions;
  const outside = sightings.find((s) => rule.regions[s.region]?.eu !== true);
  const sighting = outside ?? sightings[0];
  if (sighting) {
    const facts = { region: sighting.region, from: sighting.from, host: sighting.from === 'host' ? sighting.host : null, edge };
    return outside ? broken({ code: 'region-outside-eu', ...facts }) : kept({ code: 'region-eu', ...facts });
  }
  if (input.trackers[rule.entry] !== undefined) return unknown({ code: 'region-unknown', edge });
  return unknown({ code: 'region-no-hosting' });
};

/**
 * Only the parties the policy names: any host the catalog does not name that received a request,
 * the consent banner's own included (the policy names none). An S3 bucket is Amazon Web Services,
 * which it names: its region is the storage rule's business.
 */
const namedParties: Rule<'named-parties'> = (_rule, input, catalog) => {
  const buckets = new Set(input.storage.regions.filter((r) => r.from === 'host').map((r) => r.host));
  const hosts = input.unlisted.hosts.filter((host) => !buckets.has(host));
  if (hosts.length === 0 && input.unlisted.overflow === 0) return input.unlisted.watched ? kept({ code: 'all-named' }) : unknown({ code: 'unnamed-not-watched' });
  const shown = hosts.slice(0, 5);
  return broken({
    code: 'unnamed-parties',
    hosts: shown,
    more: hosts.length - shown.length + input.unlisted.overflow,
    banner: hosts.find((host) => consentPlatformOf(host, catalog) !== null) ?? null,
  });
};

/** "Uiterlijk binnen een maand": a rights request past its deadline without an answer the customer recorded. */
const answerDeadline: Rule<'answer-deadline'> = (_rule, input, catalog) => {
  if (input.rights === null) return unknown({ code: 'answer-not-known' });
  const months = catalog.shop.answerDeadlineMonths;
  const states = input.rights.map((request) => ({ request, state: requestState({ ...request, followUps: [] }, input.now, months) }));
  const overdue = states.filter((s) => s.state.overdue).sort((a, b) => a.request.sentAt - b.request.sentAt);
  const first = overdue[0];
  if (first) {
    return broken({ code: 'answer-overdue', type: first.request.type, sent: calendarDate(first.request.sentAt, first.request.timeZone), due: first.state.due, overdue: overdue.length });
  }
  const answered = input.rights.filter((r) => r.status === 'answered').length;
  if (answered) return kept({ code: 'answer-given', answered });
  const pending = states.filter((s) => s.request.status === 'sent' || s.request.status === 'extended').sort((a, b) => compareText(a.state.due, b.state.due))[0];
  if (pending) return unknown({ code: 'answer-pending', type: pending.request.type, due: pending.state.due });
  return unknown({ code: 'answer-no-requests' });
};

/** The rule of each kind of promise (a kind in lib/catalog/schema.ts is one function here). */
export const RULES: { [K in PromiseRule['kind']]: Rule<K> } = {
  'no-identifiers': noIdentifiers,
  'only-events': onlyEvents,
  'data-only-with-consent': dataOnlyWithConsent,
  'consent-verdicts': consentVerdicts,
  encrypted,
  'storage-region': storageRegion,
  'named-parties': namedParties,
  'answer-deadline': answerDeadline,
};
