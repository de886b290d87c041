import type { RecordCategory } from '../model';
import { COOKIE_INFORMATION_COOKIE, parseCookieInformation } from '../readers/cookie-information';
import { call, hasMethod, get, listen, pageCookie, toReading, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * Cookie Information (Danish). The cookie `CookieInformationConsent` is read by the existing
 * parser (lib/consent/readers/cookie-information.ts): URL-encoded JSON with `consents_approved`
 * and `consents_denied` lists of `cookie_cat_*` and the `timestamp` of the choice.
 *
 * The page API is `window.CookieInformation.getConsentGivenFor('cookie_cat_…')` (true/false) and
 * the window event `CookieInformationConsentGiven`, fired when a choice is made or read back.
 * getConsentGivenFor answers false before any choice too, so the page reader first looks for the
 * consent cookie itself: without it the banner is still waiting.
 */
const CATEGORY: [string, RecordCategory][] = [
  ['cookie_cat_necessary', 'necessary'],
  ['cookie_cat_functional', 'functional'],
  ['cookie_cat_statistic', 'statistics'],
  ['cookie_cat_marketing', 'marketing'],
  ['cookie_cat_unclassified', 'unclassified'],
];

export const cookieReader: CookieReader = {
  platform: 'cookie-information',
  cookies: [COOKIE_INFORMATION_COOKIE],
  read(cookies) {
    const raw = cookies.get(COOKIE_INFORMATION_COOKIE);
    return raw === undefined ? null : parseCookieInformation(raw);
  },
};

function api(win: Window): unknown {
  return get(win, 'CookieInformation');
}

export const pageReader: PageReader = {
  platform: 'cookie-information',
  present: (win) => hasMethod(api(win), 'getConsentGivenFor'),
  read(win) {
    const ci = api(win);
    if (!hasMethod(ci, 'getConsentGivenFor')) return null;
    if (pageCookie(win, COOKIE_INFORMATION_COOKIE) === undefined) return unanswered();
    const decisions: Decision[] = [];
    for (const [name, category] of CATEGORY) {
      const given = call(ci, 'getConsentGivenFor', name);
      if (given.ok && typeof given.value === 'boolean') decisions.push([category, given.value]);
    }
    return toReading(decisions, 'deny');
  },
  subscribe(win, onChange) {
    listen(win, ['CookieInformationConsentGiven'], onChange);
  },
};

export const signature: PlatformSignature = {
  platform: 'cookie-information',
  name: 'Cookie Information',
  hosts: ['cookieinformation.com'],
  // The same ids as lib/consent/banners.ts, which could read them from here instead.
  selectors: ['#coiOverlay', '#coiConsentBanner', '#coi-banner-wrapper', '#cookie-information-template-wrapper'],
  globals: ['CookieInformation'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://support.cookieinformation.com/en/articles/5373910-all-you-need-to-know-about-consents',
  'lib/consent/readers/cookie-information.ts (the cookie format, with real captures in test/unit/consent/readers.test.ts)',
  'https://github.com/duckduckgo/autoconsent/blob/main/rules/autoconsent/cookieinformation.json (banner #cookie-information-template-wrapper, window.CookieInformation)',
];
