import type { Verdict } from '../consent/judge';
import type { ConsentSource, RecordCategory } from '../consent/model';
import { getEntry, type RequestKind } from '../catalog';
import { THIRD_PARTY_PURPOSE_LABELS, countryName, type ThirdPartyPurpose } from '../catalog/third-parties';
import type { FindingReport, UnlistedReport } from '../report/schema';
import type { Language, MessageKey } from './index';

/*
 * The words for verdicts, consent sources and categories, shared by the pages (components/) and by
 * what is written outside them (the HTML report): one place says what each one is called.
 */

/** Locale keys per verdict: its short label and its one-sentence reason. */
export const VERDICT_KEYS: Record<Verdict, { label: MessageKey; reason: MessageKey; tone: string }> = {
  necessary: { label: 'verdict_necessary', reason: 'reason_necessary', tone: 'necessary' },
  consented: { label: 'verdict_consented', reason: 'reason_consented', tone: 'ok' },
  'denied-ping': { label: 'verdict_deniedPing', reason: 'reason_deniedPing', tone: 'warning' },
  unknown: { label: 'verdict_unknown', reason: 'reason_unknown', tone: 'unknown' },
  'before-choice': { label: 'verdict_beforeChoice', reason: 'reason_beforeChoice', tone: 'violation' },
  'against-choice': { label: 'verdict_againstChoice', reason: 'reason_againstChoice', tone: 'violation' },
};

export const KIND_KEYS: Record<RequestKind, MessageKey> = {
  script: 'kind_script',
  hit: 'kind_hit',
  config: 'kind_config',
  widget: 'kind_widget',
  payment: 'kind_payment',
  page: 'kind_page',
  other: 'kind_other',
};

export const SOURCE_KEYS: Record<ConsentSource, MessageKey> = {
  'cookie-information': 'source_cookieInformation',
  cookiebot: 'source_cookiebot',
  onetrust: 'source_onetrust',
  cookieyes: 'source_cookieyes',
  usercentrics: 'source_usercentrics',
  didomi: 'source_didomi',
  complianz: 'source_complianz',
  shopify: 'source_shopify',
  iubenda: 'source_iubenda',
  klaro: 'source_klaro',
  cookiefirst: 'source_cookiefirst',
  axeptio: 'source_axeptio',
  tcf: 'source_tcf',
  gpp: 'source_gpp',
  'consent-mode': 'source_consentMode',
  uet: 'source_uet',
  meta: 'source_meta',
};

export const CATEGORY_KEYS: Record<RecordCategory, MessageKey> = {
  necessary: 'category_necessary',
  functional: 'category_functional',
  statistics: 'category_statistics',
  marketing: 'category_marketing',
  unclassified: 'category_unclassified',
};

/** One line for a consent record: "Cookie Information: ✓ statistics; ✗ marketing" or "… everything refused". */
export function consentText(
  record: { source: ConsentSource; granted: readonly RecordCategory[]; denied: readonly RecordCategory[] },
  t: (key: MessageKey) => string,
): string {
  return `${t(SOURCE_KEYS[record.source])}: ${consentChoices(record, t)}`;
}

/** The choices of a consent record alone: "✓ statistics, ✗ marketing" or "everything refused". */
export function consentChoices(record: { granted: readonly RecordCategory[]; denied: readonly RecordCategory[] }, t: (key: MessageKey) => string): string {
  const granted = record.granted.filter((c) => c !== 'necessary').map((c) => `✓ ${t(CATEGORY_KEYS[c]).toLowerCase()}`);
  const denied = record.denied.map((c) => `✗ ${t(CATEGORY_KEYS[c]).toLowerCase()}`);
  return granted.length ? [...granted, ...denied].join(', ') : t('consentAllRefused');
}

/**
 * A finding of an imported report. A report keeps only the kind, the tracker and an English sentence,
 * so verdict findings are said again in the reader's language and the others are shown as written,
 * marked as English for screen readers (WCAG 3.1.2, language of parts).
 */
export function reportFindingText(finding: FindingReport, t: (key: MessageKey, values?: Record<string, string | number>) => string): { text: string; lang: 'en' | undefined } {
  const product = finding.trackerId ? getEntry(finding.trackerId).product : null;
  if (product && finding.kind === 'before-choice') return { text: t('finding_beforeChoice', { product }), lang: undefined };
  if (product && finding.kind === 'against-choice') return { text: t('finding_againstChoice', { product, category: t(CATEGORY_KEYS[getEntry(finding.trackerId!).category]).toLowerCase() }), lang: undefined };
  return { text: finding.detail, lang: 'en' };
}

/** Who is behind an unnamed host, as the report says (an imported report carries its own answer). */
export function unlistedWho(u: UnlistedReport, language: Language): string | null {
  if (!u.company) return null;
  const purpose = u.purpose && u.purpose in THIRD_PARTY_PURPOSE_LABELS ? THIRD_PARTY_PURPOSE_LABELS[u.purpose as ThirdPartyPurpose][language] : null;
  return `${u.company}${u.country ? ` (${countryName(u.country, language)})` : ''}${purpose ? `, ${purpose}` : ''}`;
}

/**
 * What went wrong, short enough for a sentence in the user's language: the first line of the error's
 * own words (the log's, often English), cut to 160 characters. The sentence around it is ours.
 */
export function failureReason(error: unknown): string {
  const said = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.trim();
  return said.length > 160 ? `${said.slice(0, 159)}…` : said;
}
