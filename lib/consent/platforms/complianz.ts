import type { RecordCategory } from '../model';
import { call, get, hasMethod, listen, toReading, toRecord, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * Complianz (WordPress plugin, Really Simple Plugins; common on Dutch WooCommerce shops).
 * Everything below is from its own script, cookiebanner/js/complianz.js.
 *
 * Cookies: `<prefix><category>` = `allow` | `deny` for the categories functional, preferences,
 * statistics and marketing, and `<prefix>banner-status` = `dismissed` | `show`. The prefix is
 * `cmplz_`, or `cmplz_rt_` on the main site of a multisite install (get_cookie_prefix()).
 * Complianz also writes `allow` when nobody chose: in regions without a banner ("other" consent
 * type) it calls cmplz_accept_all() on every page without dismissing the banner, and with
 * forceEnableStats it allows statistics up front. So a record needs `banner-status=dismissed`, which
 * only a visitor's click (or, in opt-out regions, the shop's dismiss-on-scroll) writes; in opt-out
 * regions an untouched category has no cookie and stays unknown.
 *
 * Categories: Complianz's "functional" is its always-on category ("the technical storage or access
 * is strictly necessary"), so it is our necessary; its "preferences" is our functional.
 *
 * Page API: `cmplz_get_cookie(name)` (adds the prefix itself) and `cmplz_has_consent(category)`;
 * the latter answers true in opt-out regions before any choice, so the page reader reads the
 * cookies through cmplz_get_cookie instead. Events on document: `cmplz_status_change` (one
 * category changed, detail `{category, value, categories}`) and `cmplz_fire_categories`.
 */
const CATEGORY: [string, RecordCategory][] = [
  ['functional', 'necessary'],
  ['preferences', 'functional'],
  ['statistics', 'statistics'],
  ['marketing', 'marketing'],
];

const PREFIXES = ['cmplz_', 'cmplz_rt_'];

function decisions(read: (name: string) => unknown): Decision[] {
  const out: Decision[] = [];
  for (const [name, category] of CATEGORY) {
    const value = read(name);
    if (value === 'allow' || value === 'deny') out.push([category, value === 'allow']);
  }
  return out;
}

export const cookieReader: CookieReader = {
  platform: 'complianz',
  cookies: PREFIXES.flatMap((prefix) => ['banner-status', ...CATEGORY.map(([name]) => name)].map((name) => prefix + name)),
  read(cookies) {
    for (const prefix of PREFIXES) {
      if (cookies.get(`${prefix}banner-status`) !== 'dismissed') continue;
      const found = decisions((name) => cookies.get(prefix + name));
      // Only the always-on category: nothing the visitor chose.
      if (found.every(([category]) => category === 'necessary')) continue;
      return toRecord('complianz', null, found, 'deny');
    }
    return null;
  },
};

export const pageReader: PageReader = {
  platform: 'complianz',
  present: (win) => hasMethod(win, 'cmplz_get_cookie') && hasMethod(win, 'cmplz_has_consent'),
  read(win) {
    const consentType = get(get(win, 'complianz'), 'consenttype');
    // "other": a region without a banner, where Complianz allows everything itself.
    if (typeof consentType === 'string' && consentType !== 'optin' && consentType !== 'optout') return null;
    const cookie = (name: string) => {
      const result = call(win, 'cmplz_get_cookie', name);
      return result.ok ? result.value : undefined;
    };
    const status = cookie('banner-status');
    if (typeof status !== 'string') return null;
    if (status !== 'dismissed') return unanswered();
    const found = decisions(cookie);
    if (found.every(([category]) => category === 'necessary')) return unanswered();
    return toReading(found, 'deny');
  },
  subscribe(win, onChange) {
    listen(get(win, 'document'), ['cmplz_status_change', 'cmplz_fire_categories'], onChange);
  },
};

export const signature: PlatformSignature = {
  platform: 'complianz',
  name: 'Complianz',
  // Self-hosted: the script comes from the shop's own /wp-content/plugins/complianz-gdpr/, so
  // there is no host of its own to recognise it by.
  hosts: [],
  selectors: ['#cmplz-cookiebanner-container', '.cmplz-cookiebanner'],
  globals: ['complianz', 'cmplz_has_consent'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://github.com/Really-Simple-Plugins/complianz-gdpr cookiebanner/js/complianz.js (cmplz_get_cookie, cmplz_has_consent, cmplz_set_consent, banner-status, cmplz_status_change, cmplz_fire_categories, cmplz_accept_all for "other" regions)',
  'https://github.com/Really-Simple-Plugins/complianz-gdpr cookiebanner/class-banner-loader.php (get_cookie_prefix: cmplz_ or cmplz_rt_)',
  'https://github.com/duckduckgo/autoconsent/blob/main/rules/autoconsent/complianz-banner.json (#cmplz-cookiebanner-container, cmplz_banner-status=dismissed)',
];
