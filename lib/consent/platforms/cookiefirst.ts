import type { RecordCategory } from '../model';
import { cookieJson, get, listen, msFromEpoch, snapshot, toReading, toRecord, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * CookieFirst (Dutch).
 *
 * Cookie `cookiefirst-consent`: URL-encoded JSON, written when the visitor chooses:
 * `{"necessary":true,"performance":false,"functional":false,"advertising":false,
 * "timestamp":1726706511,"type":"category","version":"<uuid>"}`, `timestamp` in seconds.
 *
 * Page API (CookieFirst's public API documentation): `CookieFirst.consent` is null until the visitor
 * chose, then `{necessary, performance, functional, advertising}`; window events `cf_init` (the
 * banner is ready) and `cf_consent` (detail: the new consent).
 *
 * Categories: performance (CookieFirst's analytics category) is statistics, advertising is
 * marketing.
 */
const CATEGORY: [string, RecordCategory][] = [
  ['necessary', 'necessary'],
  ['functional', 'functional'],
  ['performance', 'statistics'],
  ['advertising', 'marketing'],
];

function decisionsOf(consent: unknown): Decision[] {
  const decisions: Decision[] = [];
  for (const [field, category] of CATEGORY) {
    const value = get(consent, field);
    if (typeof value === 'boolean') decisions.push([category, value]);
  }
  return decisions;
}

const COOKIE = 'cookiefirst-consent';

export const cookieReader: CookieReader = {
  platform: 'cookiefirst',
  cookies: [COOKIE],
  read(cookies) {
    const consent = cookieJson(cookies.get(COOKIE));
    if (consent === null || typeof consent !== 'object' || Array.isArray(consent)) return null;
    return toRecord('cookiefirst', msFromEpoch(get(consent, 'timestamp'), 's'), decisionsOf(consent), 'deny');
  },
};

function api(win: Window): unknown {
  return get(win, 'CookieFirst');
}

export const pageReader: PageReader = {
  platform: 'cookiefirst',
  present: (win) => {
    const cf = api(win);
    return cf !== null && typeof cf === 'object';
  },
  read(win) {
    const cf = api(win);
    if (cf === null || typeof cf !== 'object') return null;
    const consent = snapshot(get(cf, 'consent'), 1);
    if (consent === null) return unanswered();
    if (typeof consent !== 'object' || Array.isArray(consent)) return null;
    return toReading(decisionsOf(consent), 'deny');
  },
  subscribe(win, onChange) {
    listen(win, ['cf_consent', 'cf_init'], onChange);
  },
};

export const signature: PlatformSignature = {
  platform: 'cookiefirst',
  name: 'CookieFirst',
  hosts: ['cookiefirst.com'],
  selectors: ['#cookiefirst-root', '.cookiefirst-root'],
  globals: ['CookieFirst'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://support.cookiefirst.com/hc/en-us/articles/360011568738-Cookie-Banner-Public-API-documentation (CookieFirst.consent, null before a choice, cf_init, cf_consent)',
  'real cookiefirst-consent values in public code: {necessary, performance, functional, advertising, timestamp (s), type, version}',
  'https://github.com/duckduckgo/autoconsent/blob/main/rules/autoconsent/cookiefirst.json (#cookiefirst-root, the cookie read as JSON)',
];
