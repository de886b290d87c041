import { catalog as defaultCatalog, type Catalog, type CatalogEntry, type ConsentCategory, type EntryId } from '../catalog';
import type { ConsentModeSignals } from './consent-mode';
import { SIGNAL_SOURCES, type BannerState, type ConsentChange, type ConsentSource, type RecordCategory } from './model';
import type { PersonalDataHit } from './personal-data';
import type { Stance } from './stance';

export const VERDICTS = ['necessary', 'consented', 'denied-ping', 'unknown', 'before-choice', 'against-choice'] as const;
/** Ordered from harmless to worst: a tracker's verdict on a page is its worst request's. */
export type Verdict = (typeof VERDICTS)[number];

export const FINDING_KINDS = ['before-choice', 'against-choice', 'consent-mode-mismatch', 'personal-data', 'unlisted-third-party', 'stance-mismatch', 'consent-signal-conflict'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One catalog request, as the judgement needs it. */
export interface JudgedRequest {
  entryId: EntryId;
  at: number;
  consentMode?: ConsentModeSignals | null;
  personalData?: PersonalDataHit[];
}

export interface CookieWrite {
  entryId: EntryId;
  name: string;
  at: number;
  /** `server`: the shop's own server set it (a Set-Cookie on its response, as server-side tagging does). */
  by?: 'server';
}

/** Everything known about one visit that bears on consent. */
export interface VisitEvidence {
  requests: JudgedRequest[];
  consent: ConsentChange[];
  banner: BannerState | null;
  cookieWrites: CookieWrite[];
  unlistedHosts: string[];
  stance: Stance | null;
}

export interface EntryJudgement {
  entryId: EntryId;
  category: ConsentCategory;
  verdict: Verdict;
  /** Verdicts of the entry's requests. */
  counts: Partial<Record<Verdict, number>>;
  /** The consent in force at the worst request or cookie write, if any (for the "why" sentence). */
  consent: ConsentChange | null;
  /**
   * The cookie write the verdict rests on, when a cookie (not a request) is the worst evidence:
   * storing an identifier on the customer's device needs consent by itself (ePrivacy directive
   * art. 5(3); Telecommunicatiewet art. 11.7a).
   */
  cookie?: CookieWrite;
}

export interface Finding {
  kind: FindingKind;
  trackerId?: EntryId;
  host?: string;
  category?: RecordCategory;
  at: number;
  count: number;
  /** For a stance-mismatch: whether the banner's record grants the category. */
  bannerGranted?: boolean;
  /** The cookie a consent-mode-mismatch, or a violation by a cookie write, is about. */
  cookie?: string;
  /** For a violation by a cookie write: the shop's own server set it. */
  cookieBy?: 'server';
  /**
   * For a consent-signal-conflict: the customer's record and the signal that contradicts it. `granted`:
   * the signal grants what the customer refused (the shop tells the vendor "yes" for a "no"); `denied`:
   * the signal denies what the customer accepted (a broken setup, not a violation against them).
   */
  conflict?: { direction: 'granted' | 'denied'; record: { source: ConsentSource; at: number }; signal: { source: ConsentSource; at: number } };
  /** A plain English sentence for reports; the UI builds its own sentence from the fields. */
  detail: string;
  personalData?: PersonalDataHit[];
}

export interface VisitJudgement {
  entries: Partial<Record<EntryId, EntryJudgement>>;
  findings: Finding[];
  /** The consent in force now (the latest change), or null if no record was ever read. */
  consentNow: ConsentChange | null;
  /**
   * `record`: verdicts follow the customer's recorded choice; `consent-mode`: no record could be read
   * and Google Consent Mode's updates stand in for it; `none`: neither.
   */
  consentFrom: 'record' | 'consent-mode' | 'none';
  /** A banner was seen on the visit, or a choice was made during it. */
  bannerSeen: boolean;
  /** The worst verdict of the visit. */
  worst: Verdict | null;
  /** The verdict of each request, in the order of `evidence.requests` (null: not in the catalog). */
  requestVerdicts: (Verdict | null)[];
  /**
   * The consent changes the verdicts follow, oldest first: the customer's records, or Consent Mode's
   * updates where they stand in. `consentInForce(consentUsed, at)` is the choice a request at `at` met.
   */
  consentUsed: ConsentChange[];
}

/** The change in force at `at` among `changes` (oldest first): the latest one not after it. */
export function consentInForce(changes: readonly ConsentChange[], at: number): ConsentChange | null {
  let current: ConsentChange | null = null;
  for (const change of changes) {
    if (change.at <= at) current = change;
    else break;
  }
  return current;
}

const rank = (verdict: Verdict) => VERDICTS.indexOf(verdict);

/**
 * A banner tells Google of the choice in its click handler, and is seen going away a moment later
 * (the content script looks at most four times a second): an update this much before counts.
 */
const BANNER_HIDE_SLACK_MS = 2_000;
export const isViolation = (verdict: Verdict | null) => verdict === 'before-choice' || verdict === 'against-choice';

/**
 * Judges a visit's catalog requests against the consent in force at each request's moment.
 * Pure, and run again whenever something changes: a consent record can arrive after the requests
 * its choice set off, and it is judged by the moment it records, not by when we learnt of it.
 */
export function judgeVisit(evidence: VisitEvidence, catalog: Catalog = defaultCatalog): VisitJudgement {
  const sorted = [...evidence.consent].sort((a, b) => a.at - b.at);
  const records = sorted.filter((c) => c.signal === undefined);
  const signals = sorted.filter((c) => c.signal !== undefined);
  // The customer's record decides. Only where none can be read do Consent Mode's updates stand in:
  // they are what the banner told Google of the choice. Its defaults are no choice at all, and neither
  // is an update sent while the banner still waits (platforms send one on every load) or long before
  // it last went away.
  const banner = evidence.banner;
  const standIns =
    banner?.showing === true
      ? []
      : signals.filter((c) => c.source === 'consent-mode' && c.signal === 'update' && (banner === null || c.receivedAt >= banner.seenAt - BANNER_HIDE_SLACK_MS));
  const consentFrom = records.length > 0 ? 'record' : standIns.length > 0 ? 'consent-mode' : 'none';
  const consent = consentFrom === 'consent-mode' ? standIns : records;
  // A Consent Mode default says a consent mechanism is there, waiting, even where no banner was seen.
  const bannerSeen = evidence.banner !== null || consent.some((c) => !c.carriedOver) || signals.some((c) => c.source === 'consent-mode');
  const consentAt = (at: number) => consentInForce(consent, at);
  const entryOf = new Map(catalog.entries.map((e) => [e.id, e]));

  const entries: Partial<Record<EntryId, EntryJudgement>> = {};
  const violations = new Map<string, Finding>();
  const personal = new Map<string, Finding>();

  /** What a request or a cookie write at `at` is, given the consent in force then. */
  const verdictAt = (entry: CatalogEntry, at: number, cookieless: boolean): { verdict: Verdict; record: ConsentChange | null } => {
    const record = consentAt(at);
    if (entry.category === 'necessary') return { verdict: 'necessary', record };
    if (record?.granted.includes(entry.category) && vendorAllowed(record, entry)) return { verdict: 'consented', record };
    if (cookieless) return { verdict: 'denied-ping', record };
    if (record) return { verdict: 'against-choice', record };
    return { verdict: bannerSeen ? 'before-choice' : 'unknown', record };
  };
  const addViolation = (entry: CatalogEntry, verdict: Verdict, record: ConsentChange | null, at: number, cookie?: CookieWrite) => {
    const key = `${verdict}|${entry.id}`;
    const finding = violations.get(key);
    if (finding) {
      finding.count++;
      return;
    }
    const what = cookie ? `${entry.product} wrote the cookie ${cookie.name}${cookie.by === 'server' ? ' (through the shop’s own server)' : ''}` : `${entry.product} received data`;
    violations.set(key, {
      kind: verdict as FindingKind,
      trackerId: entry.id,
      category: entry.category,
      at,
      count: 1,
      ...(cookie ? { cookie: cookie.name, ...(cookie.by ? { cookieBy: cookie.by } : {}) } : {}),
      detail: verdict === 'before-choice' ? `${what} before a choice was made in the consent banner.` : `${what} after ${entry.category} was refused (${record!.source}).`,
    });
  };

  const requestVerdicts: (Verdict | null)[] = [];
  for (const request of evidence.requests) {
    const entry = entryOf.get(request.entryId);
    if (!entry) {
      requestVerdicts.push(null);
      continue;
    }
    const signal = entry.consentModeSignal;
    const { verdict, record } = verdictAt(entry, request.at, signal !== undefined && request.consentMode?.[signal] === 'denied');
    requestVerdicts.push(verdict);
    const judged = (entries[entry.id] ??= { entryId: entry.id, category: entry.category, verdict, counts: {}, consent: record });
    judged.counts[verdict] = (judged.counts[verdict] ?? 0) + 1;
    if (rank(verdict) > rank(judged.verdict)) {
      judged.verdict = verdict;
      judged.consent = record;
    }
    if (isViolation(verdict)) addViolation(entry, verdict, record, request.at);
    if (request.personalData?.length) {
      const finding = personal.get(entry.id);
      if (finding) {
        finding.count++;
        for (const hit of request.personalData) if (!finding.personalData!.some((h) => h.kind === hit.kind && h.where === hit.where)) finding.personalData!.push(hit);
      } else {
        personal.set(entry.id, {
          kind: 'personal-data',
          trackerId: entry.id,
          at: request.at,
          count: 1,
          personalData: [...request.personalData],
          detail: `${entry.product} received ${describeHits(request.personalData)}.`,
        });
      }
    }
  }
  // A cookie written or refreshed on the customer's device is judged like a request, whoever wrote it
  // (the page's scripts, or the shop's server through Set-Cookie): it counts only where it is worse
  // than every request, so the sentence of why names the cookie exactly when the cookie decides.
  for (const write of [...evidence.cookieWrites].sort((a, b) => a.at - b.at)) {
    const entry = entryOf.get(write.entryId);
    if (!entry) continue;
    const { verdict, record } = verdictAt(entry, write.at, false);
    const judged = entries[entry.id];
    if (!judged) entries[entry.id] = { entryId: entry.id, category: entry.category, verdict, counts: {}, consent: record, cookie: write };
    else if (rank(verdict) > rank(judged.verdict)) Object.assign(judged, { verdict, consent: record, cookie: write });
    if (isViolation(verdict)) addViolation(entry, verdict, record, write.at, write);
  }
  for (const finding of personal.values()) finding.detail = `${entryOf.get(finding.trackerId!)!.product} received ${describeHits(finding.personalData!)}.`;

  const findings: Finding[] = [...violations.values(), ...consentModeMismatches(evidence, catalog), ...personal.values()];
  for (const host of evidence.unlistedHosts) {
    findings.push({ kind: 'unlisted-third-party', host, at: 0, count: 1, detail: `${host} received requests but is not named in the privacy policy.` });
  }
  const consentNow = consent.at(-1) ?? null;
  findings.push(...stanceMismatches(evidence.stance, consentNow));
  if (consentFrom === 'record') findings.push(...signalConflicts(records, signals));

  let worst: Verdict | null = null;
  for (const judged of Object.values(entries)) if (worst === null || rank(judged.verdict) > rank(worst)) worst = judged.verdict;
  return { entries, findings, consentNow, consentFrom, bannerSeen, worst, requestVerdicts, consentUsed: consent };
}

/**
 * A TCF or GPP record grants purposes and vendors: an entry on IAB's vendor list is consented only
 * when its vendor is too. Entries without a GVL id (Meta, Trustpilot) are judged on purposes alone.
 */
function vendorAllowed(record: ConsentChange, entry: CatalogEntry): boolean {
  return !record.vendors || entry.gvlId === undefined || record.vendors.consents.includes(entry.gvlId);
}

/**
 * The customer's latest record against the latest update of each kind of signal the shop sent the
 * vendors' tags (Consent Mode, UET, Meta), per category the signal speaks for. An update sent before
 * the record and never renewed is what the tags still act on, so it is compared too.
 */
function signalConflicts(records: ConsentChange[], signals: ConsentChange[]): Finding[] {
  const record = records.at(-1);
  if (!record) return [];
  const findings: Finding[] = [];
  for (const source of SIGNAL_SOURCES) {
    const signal = signals.filter((c) => c.source === source && c.signal === 'update').at(-1);
    if (!signal) continue;
    for (const category of ['statistics', 'marketing', 'functional'] as const) {
      const direction = record.denied.includes(category) && signal.granted.includes(category) ? 'granted' : record.granted.includes(category) && signal.denied.includes(category) ? 'denied' : null;
      if (!direction) continue;
      findings.push({
        kind: 'consent-signal-conflict',
        category,
        at: signal.at,
        count: 1,
        conflict: { direction, record: { source: record.source, at: record.at }, signal: { source: signal.source, at: signal.at } },
        detail:
          direction === 'granted'
            ? `The customer refused ${category} (${record.source}), but the shop told the tags it was granted (${signal.source}).`
            : `The customer accepted ${category} (${record.source}), but the shop told the tags it was denied (${signal.source}): a broken setup.`,
      });
    }
  }
  return findings;
}

/** The consent category whose Consent Mode storage type lets a tag write its cookies. */
const STORAGE_CATEGORY = { analyticsStorage: 'statistics', adStorage: 'marketing' } as const;

/**
 * Consent Mode said the storage was denied, yet the tracker's own cookie was written: the tag
 * ignores the signal it was given. Judged by the Consent Mode state of the entry's nearest request,
 * unless the page's own Consent Mode (its dataLayer commands, or Google's own state where a template
 * left none) granted the storage by the moment of the write.
 * gtag.js writes its cookies as it builds the hit an update sets off, a moment before that hit is
 * sent; and where the tag loads after the update was pushed, it runs the queue in order, so a
 * cookieless hit for the default can still come between the update and the write.
 */
function consentModeMismatches(evidence: VisitEvidence, catalog: Catalog): Finding[] {
  const findings = new Map<string, Finding>();
  const pageStates = evidence.consent.filter((c) => c.source === 'consent-mode' && c.signal !== undefined).sort((a, b) => a.at - b.at);
  for (const write of evidence.cookieWrites) {
    const entry = catalog.entries.find((e) => e.id === write.entryId);
    const signal = entry?.consentModeSignal;
    if (!entry || !signal) continue;
    const withSignal = evidence.requests.filter((r) => r.entryId === write.entryId && r.consentMode?.[signal]);
    const before = withSignal.filter((r) => r.at <= write.at).at(-1);
    const nearest = before ?? withSignal.find((r) => r.at > write.at);
    if (nearest?.consentMode?.[signal] !== 'denied') continue;
    if (pageStates.findLast((c) => c.at <= write.at)?.granted.includes(STORAGE_CATEGORY[signal])) continue;
    const key = `${entry.id}|${write.name}`;
    if (findings.has(key)) continue;
    const signalName = signal === 'analyticsStorage' ? 'analytics_storage' : 'ad_storage';
    findings.set(key, {
      kind: 'consent-mode-mismatch',
      trackerId: entry.id,
      cookie: write.name,
      at: write.at,
      count: 1,
      detail: `${entry.product} wrote the cookie ${write.name} while Google Consent Mode said ${signalName} was denied.`,
    });
  }
  return [...findings.values()];
}

function stanceMismatches(stance: Stance | null, consentNow: ConsentChange | null): Finding[] {
  if (!stance || !consentNow) return [];
  const findings: Finding[] = [];
  for (const category of ['functional', 'statistics', 'marketing'] as const) {
    const wish = stance[category];
    const granted = consentNow.granted.includes(category);
    if ((wish === 'refuse' && granted) || (wish === 'allow' && consentNow.denied.includes(category))) {
      findings.push({
        kind: 'stance-mismatch',
        category,
        bannerGranted: granted,
        at: consentNow.at,
        count: 1,
        detail: `The banner's record ${granted ? 'grants' : 'refuses'} ${category}, but your own choice is to ${wish} it.`,
      });
    }
  }
  return findings;
}

function describeHits(hits: PersonalDataHit[]): string {
  const names: Record<PersonalDataHit['kind'], string> = {
    email: 'an e-mail address',
    'hashed-email': 'a hashed (SHA-256) e-mail address',
    phone: 'a phone number',
    'hashed-phone': 'a hashed phone number',
  };
  return hits.map((h) => `${names[h.kind]} (${h.where})`).join(', ');
}
