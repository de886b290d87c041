import { catalog as defaultCatalog, consentPlatformOf, nameThirdParty, type Catalog, type CatalogEntry, type ConsentCategory, type EntryId, type PromiseId } from '../catalog';
import type { Language } from '../i18n';
import { isViolation, type CookieWrite, type Finding, type Verdict, type VisitJudgement } from '../consent/judge';
import type { BannerState, ConsentChange } from '../consent/model';
import type { Stance } from '../consent/stance';
import type { ThirdParty } from '../catalog/third-parties';
import { judgeTab, judgeTabPromises } from '../observe/judge-tab';
import type { PromiseFacts, PromiseStatus, RightsDigest } from '../promises';
import { activeEntries, type TabState } from '../observe/tab-state';
import { compareText } from '../order';

export interface EntryView {
  id: EntryId;
  product: string;
  category: ConsentCategory;
  role: CatalogEntry['role'];
  requests: number;
  /** Of `requests`, those stopped before they were sent: by a blocker, the browser or the network. */
  stopped: number;
  cookies: { name: string; alreadyThere: boolean }[];
  via: string[];
  purpose: string;
  policyName: string;
  /** The policy's own Dutch sentence, and in English our summary of it. */
  policyQuote: string;
  policySummary: string | null;
  note: string | null;
  /** null only for an entry seen without any request (cookies alone). */
  verdict: Verdict | null;
  /** The consent in force at the entry's worst request or cookie write. */
  consent: ConsentChange | null;
  /** The cookie write the verdict rests on, when a cookie (not a request) is the worst evidence. */
  cookie: CookieWrite | null;
  /** Hosts that relayed the vendor's own protocol (server-side tagging): the data still reaches it. */
  relays: { host: string; party: 'shop' | 'other' }[];
  /** For a violation: the policy's promise of consent that it breaks (Dutch, verbatim). */
  brokenPromise: string | null;
}

export interface CompanyView {
  company: string;
  entries: EntryView[];
}

export interface UnlistedView {
  host: string;
  requests: number;
  platform: string | null;
  party: ThirdParty | null;
}

export interface PromiseView {
  id: PromiseId;
  status: PromiseStatus;
  /**
   * The evidence as facts: the component says them in the reader's language (lib/promises/describe.ts).
   * null for an imported report's own judgement, which keeps only its English sentence (`reportEvidence`).
   */
  facts: PromiseFacts | null;
  reportEvidence?: string;
  /** Taken from an imported report as it stands: its requests could not be judged again. */
  fromReport?: boolean;
  title: string;
  /** The policy's own sentence (Dutch, verbatim) and where it stands. */
  quote: string;
  section: string;
  /** Our English rendering, for an English reader only (a Dutch reader has the sentence itself). */
  rendering: string | null;
  /** What the evidence points at in the popup: trackers' rows, or the list of parties not named. */
  links: EntryId[] | 'unlisted' | null;
}

export interface TabSummary {
  url: string;
  companies: CompanyView[];
  /**
   * `platform`: the consent banner the host belongs to, when it is one; `party`: who is behind the
   * host, when the directory of common third parties knows (it stays "not named in the policy").
   */
  unlisted: UnlistedView[];
  unlistedOverflow: number;
  /**
   * `from`: whether the customer's record decides, or Consent Mode stands in for it; `banner`: the
   * banner on the page when it is not waiting for an answer (so a choice may exist that no reader
   * could read): named rather than a silent "unknown".
   */
  consent: { now: ConsentChange | null; bannerSeen: boolean; from: VisitJudgement['consentFrom']; banner: BannerState['cmp'] | null };
  /** Trackers whose verdict is before-choice or against-choice. */
  violations: number;
  /** The policy's general promise of consent (Dutch, verbatim), quoted when there are violations. */
  consentPromise: string;
  /** Findings the tracker rows do not already show (Consent Mode, personal data, your stance). */
  findings: Finding[];
  /** The policy's promises judged on the page, in the policy's order. */
  promises: PromiseView[];
}

/**
 * What the popup shows for a tab, grouped by company because a GDPR request goes to a company.
 * Companies and their entries keep the catalog's order, so the list does not jump as requests arrive.
 */
export function summariseTab(
  state: TabState,
  language: Language,
  stance: Stance | null = null,
  { rights = null, now = Date.now(), catalog = defaultCatalog }: { rights?: RightsDigest[] | null; now?: number; catalog?: Catalog } = {},
): TabSummary {
  const active = new Set(activeEntries(state));
  const judgement = judgeTab(state, stance, catalog);
  const promises = judgeTabPromises(state, judgement, { rights, now }, catalog).map((check) => promiseView(check, language, catalog));
  const companies: CompanyView[] = [];
  for (const entry of catalog.entries) {
    const activity = state.entries[entry.id];
    if (!active.has(entry.id) || !activity) continue;
    const cookies = [
      ...activity.cookiesSet.map((name) => ({ name, alreadyThere: false })),
      ...activity.cookiesPresent.filter((name) => !activity.cookiesSet.includes(name)).map((name) => ({ name, alreadyThere: true })),
    ];
    const view: EntryView = {
      id: entry.id,
      product: entry.product,
      category: entry.category,
      role: entry.role,
      requests: activity.requests,
      stopped: activity.stopped,
      cookies,
      via: activity.via,
      purpose: entry.purpose[language],
      policyName: entry.policyName,
      policyQuote: entry.policy.quote,
      policySummary: language === 'nl' ? null : entry.policy.summaryEn,
      note: entry.note?.[language] ?? null,
      verdict: judgement.entries[entry.id]?.verdict ?? null,
      consent: judgement.entries[entry.id]?.consent ?? null,
      cookie: judgement.entries[entry.id]?.cookie ?? null,
      relays: activity.relays,
      // The shop's general promise is quoted once above the list; an entry's own promise (Trustpilot) here.
      brokenPromise: isViolation(judgement.entries[entry.id]?.verdict ?? null) ? (entry.consentQuote ?? null) : null,
    };
    const group = companies.find((c) => c.company === entry.company);
    if (group) group.entries.push(view);
    else companies.push({ company: entry.company, entries: [view] });
  }
  const unlisted = Object.entries(state.unlisted)
    .map(([host, requests]) => ({ host, requests, platform: consentPlatformOf(host, catalog), party: nameThirdParty(host) }))
    .sort((a, b) => b.requests - a.requests || compareText(a.host, b.host));
  const violations = companies.flatMap((c) => c.entries).filter((e) => isViolation(e.verdict)).length;
  const shownElsewhere = new Set(['before-choice', 'against-choice', 'unlisted-third-party']);
  return {
    url: state.url,
    companies,
    unlisted,
    unlistedOverflow: state.unlistedOverflow,
    consent: { now: judgement.consentNow, bannerSeen: judgement.bannerSeen, from: judgement.consentFrom, banner: state.banner && !state.banner.showing ? state.banner.cmp : null },
    violations,
    consentPromise: catalog.shop.consentPromise,
    findings: judgement.findings.filter((f) => !shownElsewhere.has(f.kind)),
    promises,
  };
}

/**
 * A judged promise as a reader sees it: the popup's, the history's visit view, and an imported
 * report's (whose own judgement may carry only an English sentence, no facts).
 */
export function promiseView(
  check: Pick<PromiseView, 'id' | 'status' | 'facts' | 'reportEvidence' | 'fromReport'>,
  language: Language,
  catalog: Catalog = defaultCatalog,
): PromiseView {
  const promise = catalog.promises.find((p) => p.id === check.id)!;
  const facts = check.facts;
  const links = facts?.code === 'consent-violations' ? facts.trackers.map((t) => t.entry) : facts?.code === 'unnamed-parties' ? 'unlisted' : null;
  return {
    ...check,
    title: promise.title[language],
    quote: promise.quote,
    section: promise.section,
    rendering: language === 'en' ? promise.en : null,
    links,
  };
}
