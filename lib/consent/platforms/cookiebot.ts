import type { RecordCategory } from '../model';
import { COOKIEBOT_COOKIE, parseCookiebot } from '../readers/cookiebot';
import { decodeCookieValue, MAX_CONSENT_COOKIE_LENGTH } from '../readers/util';
import { get, listen, toReading, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * Cookiebot (Danish). The cookie `CookieConsent` is read by the existing parser
 * (lib/consent/readers/cookiebot.ts): `{stamp:'…',necessary:true,preferences:false,…,method:'explicit',utc:…}`.
 *
 * Cookiebot also writes that cookie when the visitor chose nothing: with `stamp:'-1'` when the
 * visitor's region needs no consent, and with `method:'implied'` under implied consent, both with
 * every category true (real captures: `{stamp:'-1',necessary:true,preferences:true,statistics:true,
 * marketing:true,method:'implied',ver:1,utc:1741007185215,region:'GB'}`). The existing parser only
 * knows the bare value `-1`, so this reader turns both away first.
 *
 * Page API (cookiebot.com/en/developer): `window.Cookiebot.consent.{necessary,preferences,
 * statistics,marketing}`, `Cookiebot.hasResponse` (false until the visitor answered), and the window
 * events `CookiebotOnAccept`, `CookiebotOnDecline` and `CookiebotOnConsentReady`.
 */
const CATEGORY: [string, RecordCategory][] = [
  ['necessary', 'necessary'],
  ['preferences', 'functional'],
  ['statistics', 'statistics'],
  ['marketing', 'marketing'],
];

function notChosen(text: string): boolean {
  return /(?:^|[{,])\s*stamp\s*:\s*'-1'/.test(text) || /(?:^|[{,])\s*method\s*:\s*'implied'/.test(text);
}

export const cookieReader: CookieReader = {
  platform: 'cookiebot',
  cookies: [COOKIEBOT_COOKIE],
  read(cookies) {
    const raw = cookies.get(COOKIEBOT_COOKIE);
    if (raw === undefined || raw.length > MAX_CONSENT_COOKIE_LENGTH) return null;
    if (notChosen(decodeCookieValue(raw))) return null;
    return parseCookiebot(raw);
  },
};

function api(win: Window): unknown {
  return get(win, 'Cookiebot');
}

export const pageReader: PageReader = {
  platform: 'cookiebot',
  present: (win) => {
    const consent = get(api(win), 'consent');
    return consent !== null && typeof consent === 'object';
  },
  read(win) {
    const cookiebot = api(win);
    const consent = get(cookiebot, 'consent');
    if (consent === null || typeof consent !== 'object') return null;
    const stamp = get(consent, 'stamp');
    if (stamp === '-1' || stamp === -1) return null; // no consent needed here: nothing was asked
    if (get(cookiebot, 'hasResponse') !== true || get(consent, 'method') === 'implied') return unanswered();
    const decisions: Decision[] = [];
    for (const [field, category] of CATEGORY) {
      const value = get(consent, field);
      if (typeof value === 'boolean') decisions.push([category, value]);
    }
    return toReading(decisions, 'deny');
  },
  subscribe(win, onChange) {
    listen(win, ['CookiebotOnAccept', 'CookiebotOnDecline', 'CookiebotOnConsentReady'], onChange);
  },
};

export const signature: PlatformSignature = {
  platform: 'cookiebot',
  name: 'Cookiebot',
  hosts: ['consent.cookiebot.com', 'consentcdn.cookiebot.com', 'cookiebot.eu'],
  // The same id as lib/consent/banners.ts.
  selectors: ['#CybotCookiebotDialog'],
  globals: ['Cookiebot'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://www.cookiebot.com/en/developer/ (Cookiebot.consent, hasResponse, the CookiebotOn* events, consent.cookiebot.com/uc.js)',
  'lib/consent/readers/cookiebot.ts (the cookie format)',
  'https://github.com/duckduckgo/autoconsent/blob/main/lib/cmps/cookiebot.ts (window.Cookiebot, #CybotCookiebotDialog)',
];
