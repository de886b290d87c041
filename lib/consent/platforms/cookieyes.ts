import type { RecordCategory } from '../model';
import { decodeCookieValue, MAX_CONSENT_COOKIE_LENGTH } from '../readers/util';
import { call, get, listen, msFromEpoch, snapshot, jsonEntries, toReading, toRecord, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * CookieYes, and the WordPress plugin it grew from ("GDPR Cookie Consent" by WebToffee,
 * cookie-law-info).
 *
 * Cookie `cookieyes-consent`: comma-separated `key:value` pairs, written by the hosted script
 * (cdn-cookieyes.com/client_data/<id>/script.js) unencoded and by CookieYes' SDK URL-encoded, e.g.
 * `consentid:…,consent:yes,action:yes,necessary:yes,functional:no,analytics:yes,performance:no,advertisement:no,lastRenewedDate:1734509533000`.
 * `action:yes` is written only when the visitor acted; before that the script writes the same keys
 * with empty values. Every other key is a category slug with yes/no. The hosted script's
 * `lastRenewedDate` is the site's own "renew consent" date, a constant in the script, not the
 * moment of the choice; only the SDK (which also writes `tax:`) stamps it with the time of saving.
 * So `decidedAt` is read only from SDK cookies.
 *
 * Legacy plugin (cookie-law-info 1.x/2.x): `viewed_cookie_policy=yes|no` says the visitor answered
 * (accept or reject) and one `cookielawinfo-checkbox-<slug>=yes|no` per category. The plugin's own
 * gate allows a category only when both are yes, so `viewed_cookie_policy=no` (reject) refuses
 * every category. Its "accept on scroll" option also writes `yes`, which cannot be told apart.
 *
 * Page API: `getCkyConsent()` → `{activeLaw, categories: {slug: boolean}, isUserActionCompleted,
 * consentID, languageCode}`; events `cookieyes_consent_update` (detail `{accepted, rejected}`) and
 * `cookieyes_banner_load` on document.
 *
 * Categories (CookieYes' defaults: necessary, functional, analytics, performance, advertisement,
 * other): analytics and performance ("key performance indexes of the website") are statistics,
 * advertisement is marketing, other is unclassified. A slug the shop made up is ignored.
 */
const CATEGORY: Record<string, readonly RecordCategory[]> = {
  necessary: ['necessary'],
  functional: ['functional'],
  analytics: ['statistics'],
  performance: ['statistics'],
  advertisement: ['marketing'],
  other: ['unclassified'],
  others: ['unclassified'],
  // the 1.x plugin's single switch for everything but necessary
  'non-necessary': ['functional', 'statistics', 'marketing'],
};

function categoriesOf(slug: string): readonly RecordCategory[] {
  return Object.hasOwn(CATEGORY, slug) ? CATEGORY[slug]! : [];
}

const COOKIE = 'cookieyes-consent';
const LEGACY_VIEWED = 'viewed_cookie_policy';
const LEGACY_PREFIX = 'cookielawinfo-checkbox-';
const META = new Set(['consentid', 'consent', 'action', 'tax', 'lastRenewedDate']);

function parseCookieYes(raw: string) {
  if (raw.length > MAX_CONSENT_COOKIE_LENGTH) return null;
  const fields = new Map<string, string>();
  for (const pair of decodeCookieValue(raw).split(',').slice(0, 100)) {
    const colon = pair.indexOf(':');
    if (colon <= 0) continue;
    const key = pair.slice(0, colon).trim();
    if (!fields.has(key)) fields.set(key, pair.slice(colon + 1).trim());
  }
  if (fields.get('action') !== 'yes') return null;
  const decisions: Decision[] = [];
  for (const [slug, value] of fields) {
    if (META.has(slug) || (value !== 'yes' && value !== 'no')) continue;
    for (const category of categoriesOf(slug)) decisions.push([category, value === 'yes']);
  }
  const decidedAt = fields.has('tax') ? msFromEpoch(fields.get('lastRenewedDate'), 'ms') : null;
  return toRecord('cookieyes', decidedAt, decisions, 'deny');
}

function parseLegacy(cookies: ReadonlyMap<string, string>) {
  const viewed = cookies.get(LEGACY_VIEWED);
  if (viewed !== 'yes' && viewed !== 'no') return null;
  const decisions: Decision[] = [];
  let boxes = 0;
  for (const [name, value] of cookies) {
    if (!name.startsWith(LEGACY_PREFIX) || ++boxes > 50) continue;
    const slug = name.slice(LEGACY_PREFIX.length);
    for (const category of categoriesOf(slug)) {
      if (viewed === 'no') {
        if (category !== 'necessary') decisions.push([category, false]);
      } else if (value === 'yes' || value === 'no') decisions.push([category, value === 'yes']);
    }
  }
  return toRecord('cookieyes', null, decisions, 'deny');
}

export const cookieReader: CookieReader = {
  platform: 'cookieyes',
  cookies: [COOKIE, LEGACY_VIEWED, `${LEGACY_PREFIX}*`],
  read(cookies) {
    const raw = cookies.get(COOKIE);
    if (raw !== undefined) return parseCookieYes(raw);
    return parseLegacy(cookies);
  },
};

export const pageReader: PageReader = {
  platform: 'cookieyes',
  present: (win) => typeof get(win, 'getCkyConsent') === 'function',
  read(win) {
    const result = call(win, 'getCkyConsent');
    if (!result.ok) return null;
    const consent = snapshot(result.value, 2);
    const completed = get(consent, 'isUserActionCompleted');
    if (completed === false) return unanswered();
    if (completed !== true) return null;
    const decisions: Decision[] = [];
    for (const [slug, value] of jsonEntries(get(consent, 'categories'))) {
      if (typeof value !== 'boolean') continue;
      for (const category of categoriesOf(slug)) decisions.push([category, value]);
    }
    return toReading(decisions, 'deny');
  },
  subscribe(win, onChange) {
    listen(get(win, 'document'), ['cookieyes_consent_update', 'cookieyes_banner_load'], onChange);
  },
};

export const signature: PlatformSignature = {
  platform: 'cookieyes',
  name: 'CookieYes',
  hosts: ['cdn-cookieyes.com', 'cookieyes.com'],
  selectors: ['.cky-consent-container', '#cookie-law-info-bar'],
  globals: ['getCkyConsent', 'cookieyes'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://www.cookieyes.com/documentation/retrieving-consent-data-using-api-getckyconsent/ (getCkyConsent)',
  'https://github.com/cookieyes/cookieyes sdk/core/src/cookie.ts (cookie format, meta keys, lastRenewedDate and tax written by the SDK)',
  'the hosted script cdn-cookieyes.com/client_data/<id>/script.js as found in public code: _ckySetInStore writes a constant lastRenewedDate; _ckyAcceptCookies sets action:yes and dispatches cookieyes_consent_update {accepted, rejected}',
  'cookie-law-info plugin 2.x as found in public code: its PHP check_consent() (consent = viewed_cookie_policy yes AND cookielawinfo-checkbox-<slug> yes), its cookielawinfo.js reject_close (viewed_cookie_policy=no) and closeOnScroll (accept on scroll); a real capture with the six default checkbox cookies',
  'https://github.com/duckduckgo/autoconsent/blob/main/rules/autoconsent/cookieyes.json and cookie-law-info.json (.cky-consent-container, #cookie-law-info-bar)',
];
