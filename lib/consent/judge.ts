import { catalog as defaultCatalog, type Catalog, type ConsentCategory, type EntryId } from '../catalog';
import type { ConsentModeSignals } from './consent-mode';
import type { BannerState, ConsentChange, RecordCategory } from './model';
import type { PersonalDataHit } from './personal-data';
import type { Stance } from './stance';

export const VERDICTS = ['necessary', 'consented', 'denied-ping', 'unknown', 'before-choice', 'against-choice'] as const;
/** Ordered from harmless to worst: a tracker's verdict on a page is its worst request's. */
export type Verdict = (typeof VERDICTS)[number];

export const FINDING_KINDS = ['before-choice', 'against-choice', 'consent-mode-mismatch', 'personal-data', 'unlisted-third-party', 'stance-mismatch'] as const;
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
  counts: Partial<Record<Verdict, number>>;
  /** The consent in force at the worst request, if any (for the "why" sentence). */
  consent: ConsentChange | null;
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
  /** The cookie a consent-mode-mismatch is about. */
  cookie?: string;
  /** A plain English sentence for reports; the UI builds its own sentence from the fields. */
  detail: string;
  personalData?: PersonalDataHit[];
}

export interface VisitJudgement {
  entries: Partial<Record<EntryId, EntryJudgement>>;
  findings: Finding[];
  /** The consent in force now (the latest change), or null if no record was ever read. */
  consentNow: ConsentChange | null;
  /** A banner was seen on the visit, or a choice was made during it. */
  bannerSeen: boolean;
  /** The worst verdict of the visit. */
  worst: Verdict | null;
  /** The verdict of each request, in the order of `evidence.requests` (null: not in the catalog). */
  requestVerdicts: (Verdict | null)[];
}

const rank = (verdict: Verdict) => VERDICTS.indexOf(verdict);
export const isViolation = (verdict: Verdict | null) => verdict === 'before-choice' || verdict === 'against-choice';

/**
 * Judges a visit's catalog requests against the consent in force at each request's moment.
 * Pure, and run again whenever something changes: a consent record can arrive after the requests
 * its choice set off, and it is judged by the moment it records, not by when we learnt of it.
 */
export function judgeVisit(evidence: VisitEvidence, catalog: Catalog = defaultCatalog): VisitJudgement {
  const consent = [...evidence.consent].sort((a, b) => a.at - b.at);
  const bannerSeen = evidence.banner !== null || consent.some((c) => !c.carriedOver);
  const consentAt = (at: number): ConsentChange | null => {
    let current: ConsentChange | null = null;
    for (const change of consent) {
      if (change.at <= at) current = change;
      else break;
    }
    return current;
  };
  const entryOf = new Map(catalog.entries.map((e) => [e.id, e]));

  const entries: Partial<Record<EntryId, EntryJudgement>> = {};
  const violations = new Map<string, Finding>();
  const personal = new Map<string, Finding>();

  const requestVerdicts: (Verdict | null)[] = [];
  for (const request of evidence.requests) {
    const entry = entryOf.get(request.entryId);
    if (!entry) {
      requestVerdicts.push(null);
      continue;
    }
    const record = consentAt(request.at);
    const signal = entry.consentModeSignal;
    const cookieless = signal !== undefined && request.consentMode?.[signal] === 'denied';
    let verdict: Verdict;
    if (entry.category === 'necessary') verdict = 'necessary';
    else if (record?.granted.includes(entry.category)) verdict = 'consented';
    else if (cookieless) verdict = 'denied-ping';
    else if (record) verdict = 'against-choice';
    else verdict = bannerSeen ? 'before-choice' : 'unknown';

    requestVerdicts.push(verdict);
    const judged = (entries[entry.id] ??= { entryId: entry.id, category: entry.category, verdict, counts: {}, consent: record });
    judged.counts[verdict] = (judged.counts[verdict] ?? 0) + 1;
    if (rank(verdict) > rank(judged.verdict)) {
      judged.verdict = verdict;
      judged.consent = record;
    }
    if (isViolation(verdict)) {
      const key = `${verdict}|${entry.id}`;
      const finding = violations.get(key);
      if (finding) finding.count++;
      else
        violations.set(key, {
          kind: verdict as FindingKind,
          trackerId: entry.id,
          category: entry.category,
          at: request.at,
          count: 1,
          detail:
            verdict === 'before-choice'
              ? `${entry.product} received data before a choice was made in the consent banner.`
              : `${entry.product} received data after ${entry.category} was refused (${record!.source}).`,
        });
    }
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
  for (const finding of personal.values()) finding.detail = `${entryOf.get(finding.trackerId!)!.product} received ${describeHits(finding.personalData!)}.`;

  const findings: Finding[] = [...violations.values(), ...consentModeMismatches(evidence, catalog), ...personal.values()];
  for (const host of evidence.unlistedHosts) {
    findings.push({ kind: 'unlisted-third-party', host, at: 0, count: 1, detail: `${host} received requests but is not named in the privacy policy.` });
  }
  const consentNow = consent.at(-1) ?? null;
  findings.push(...stanceMismatches(evidence.stance, consentNow));

  let worst: Verdict | null = null;
  for (const judged of Object.values(entries)) if (worst === null || rank(judged.verdict) > rank(worst)) worst = judged.verdict;
  return { entries, findings, consentNow, bannerSeen, worst, requestVerdicts };
}

/**
 * Consent Mode said the storage was denied, yet the tracker's own cookie was written: the tag
 * ignores the signal it was given. Judged by the Consent Mode state of the entry's nearest request.
 */
function consentModeMismatches(evidence: VisitEvidence, catalog: Catalog): Finding[] {
  const findings = new Map<string, Finding>();
  for (const write of evidence.cookieWrites) {
    const entry = catalog.entries.find((e) => e.id === write.entryId);
    const signal = entry?.consentModeSignal;
    if (!entry || !signal) continue;
    const withSignal = evidence.requests.filter((r) => r.entryId === write.entryId && r.consentMode?.[signal]);
    const before = withSignal.filter((r) => r.at <= write.at).at(-1);
    const nearest = before ?? withSignal.find((r) => r.at > write.at);
    if (nearest?.consentMode?.[signal] !== 'denied') continue;
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
