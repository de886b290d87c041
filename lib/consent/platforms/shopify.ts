import type { RecordCategory } from '../model';
import { call, cookieJson, get, hasMethod, jsonEntries, listen, snapshot, toReading, toRecord, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * Shopify's Customer Privacy API, which Shopify's own banner and most Shopify consent apps write
 * the visitor's choice through.
 *
 * Cookie `_tracking_consent`: URL-encoded JSON. The visitor's answer is `con.CMP` with `a`
 * (analytics), `m` (marketing), `p` (preferences) and `s` (sale of data) as "1", "0" or "" (not
 * answered), in version 2.1: `{"con":{"CMP":{"a":"0","m":"0","p":"0","s":""}},"v":"2.1",
 * "region":"DE","reg":"GDPR"}`. Older shops (v 1.0 and 2.0) wrote one answer for all tracking in
 * `con.GDPR`. The `purposes` object ({a, p, m, t}: true/false) that newer cookies (and `_cmp_a`)
 * also carry is the effective state, region defaults included: it is all true on first visit where
 * no banner is shown (real captures with `display_banner:false` and an empty `con.CMP`), so it is
 * never read as a choice.
 *
 * Page API (Hydrogen's types for `window.Shopify.customerPrivacy`): `currentVisitorConsent()` →
 * `{marketing, analytics, preferences, sale_of_data}` each 'yes' | 'no' | '' (no preference
 * expressed). `analyticsProcessingAllowed()` and the other *Allowed() functions include region
 * defaults, so they are not used. `shouldShowBanner()` tells a region that is not asked. The
 * document event `visitorConsentCollected` fires when a choice is saved.
 *
 * Categories: analytics is statistics, marketing is marketing, preferences is functional. Sale of
 * data is the US "sale or sharing" opt-out, not one of our categories, and is left out.
 */
const CMP: [string, readonly RecordCategory[]][] = [
  ['a', ['statistics']],
  ['m', ['marketing']],
  ['p', ['functional']],
];
// The old single answer covered analytics and marketing tracking alike.
const LEGACY: readonly RecordCategory[] = ['statistics', 'marketing'];

function answers(value: unknown, categories: readonly RecordCategory[], out: Decision[]) {
  const yes = value === '1' || value === 1 || value === true;
  const no = value === '0' || value === 0 || value === false;
  if (yes || no) for (const category of categories) out.push([category, yes]);
}

const COOKIE = '_tracking_consent';

export const cookieReader: CookieReader = {
  platform: 'shopify',
  cookies: [COOKIE],
  read(cookies) {
    const con = get(cookieJson(cookies.get(COOKIE)), 'con');
    const decisions: Decision[] = [];
    const cmp = get(con, 'CMP');
    if (cmp !== null && typeof cmp === 'object') for (const [key, categories] of CMP) answers(get(cmp, key), categories, decisions);
    else answers(get(con, 'GDPR'), LEGACY, decisions);
    return toRecord('shopify', null, decisions, 'deny');
  },
};

const VISITOR: [string, RecordCategory][] = [
  ['analytics', 'statistics'],
  ['marketing', 'marketing'],
  ['preferences', 'functional'],
];

function api(win: Window): unknown {
  return get(get(win, 'Shopify'), 'customerPrivacy');
}

export const pageReader: PageReader = {
  platform: 'shopify',
  present: (win) => hasMethod(api(win), 'currentVisitorConsent'),
  read(win) {
    const privacy = api(win);
    const current = call(privacy, 'currentVisitorConsent');
    if (!current.ok) return null;
    const consent = new Map(jsonEntries(snapshot(current.value, 1)));
    const decisions: Decision[] = [];
    for (const [key, category] of VISITOR) {
      const value = consent.get(key);
      if (value === 'yes' || value === 'no') decisions.push([category, value === 'yes']);
    }
    if (decisions.length === 0) {
      const show = call(privacy, 'shouldShowBanner');
      return show.ok && show.value === false ? null : unanswered();
    }
    return toReading(decisions, 'deny');
  },
  subscribe(win, onChange) {
    listen(get(win, 'document'), ['visitorConsentCollected'], onChange);
  },
};

export const signature: PlatformSignature = {
  platform: 'shopify',
  name: 'Shopify',
  // The API is served from cdn.shopify.com with every other Shopify asset (and the consent apps
  // that run on Shopify), so no host names this banner.
  hosts: [],
  selectors: ['#shopify-pc__banner'],
  // `Shopify` is on every Shopify shop, whichever banner it uses: not a sign of this one.
  globals: [],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://shopify.dev/docs/api/customer-privacy (currentVisitorConsent, visitorConsentCollected)',
  '@shopify/hydrogen 2026.4.6 (npm) dist/production/index.d.ts: VisitorConsentValues yes|no|\'\', shouldShowBanner, visitorConsentCollected on document',
  '@shopify/hydrogen-react 2026.4.4 (npm) tracking-utils: consent from customerPrivacy.cachedConsent or the _tracking_consent cookie',
  'real _tracking_consent values in public code: con.CMP {a,m,p,s} "1"/"0"/"" (v2.1), con.GDPR (v1.0, v2.0), purposes all true with display_banner:false',
  'https://github.com/duckduckgo/autoconsent/blob/main/rules/autoconsent/shopify.json (#shopify-pc__banner; its test reads purposes.a, which is the effective state)',
];
