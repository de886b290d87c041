import type { Verdict } from '@/lib/consent/judge';
import type { ConsentSource, RecordCategory } from '@/lib/consent/model';
import type { MessageKey } from '@/lib/i18n';
import type { HarLimit } from '@/lib/report/schema';

/** Locale keys per verdict: its short label and its one-sentence reason. */
export const VERDICT_KEYS: Record<Verdict, { label: MessageKey; reason: MessageKey; tone: string }> = {
  necessary: { label: 'verdict_necessary', reason: 'reason_necessary', tone: 'necessary' },
  consented: { label: 'verdict_consented', reason: 'reason_consented', tone: 'ok' },
  'denied-ping': { label: 'verdict_deniedPing', reason: 'reason_deniedPing', tone: 'warning' },
  unknown: { label: 'verdict_unknown', reason: 'reason_unknown', tone: 'unknown' },
  'before-choice': { label: 'verdict_beforeChoice', reason: 'reason_beforeChoice', tone: 'violation' },
  'against-choice': { label: 'verdict_againstChoice', reason: 'reason_againstChoice', tone: 'violation' },
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
  const granted = record.granted.filter((c) => c !== 'necessary').map((c) => `✓ ${t(CATEGORY_KEYS[c]).toLowerCase()}`);
  const denied = record.denied.map((c) => `✗ ${t(CATEGORY_KEYS[c]).toLowerCase()}`);
  const choices = granted.length ? [...granted, ...denied].join(', ') : t('consentAllRefused');
  return `${t(SOURCE_KEYS[record.source])}: ${choices}`;
}

/** What a verdict judged from a HAR file rests on that a HAR cannot show, in words (lib/har). */
export const HAR_LIMIT_KEYS: Record<HarLimit, MessageKey> = {
  'page-world': 'harLimit_page_world',
  'consent-mode-hits': 'harLimit_consent_mode_hits',
  'script-cookie': 'harLimit_script_cookie',
};
