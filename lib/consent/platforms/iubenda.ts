import type { ConsentRecord, RecordCategory } from '../model';
import { call, cookieJson, get, hasMethod, jsonEntries, msFromIso, snapshot, toReading, toRecord, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * iubenda (Italian) Privacy Controls and Cookie Solution.
 *
 * Cookie `_iub_cs-<cookie policy id>` (older setups `_iub_cs-s<site id>`): URL-encoded JSON.
 * With per-purpose consent: `{"timestamp":"2025-02-05T15:40:00.391Z","version":"1.75.1",
 * "purposes":{"1":true,"3":true,"4":true},"id":50053366,"cons":{"rand":"157518"}}` (only the
 * purposes the site uses are listed). Without it, one answer for all: `{"consent":true,
 * "timestamp":…}`. Before a choice (or where no consent is needed) only `{"id":…}`. Cookies with a
 * suffix (`-uspr` for US privacy, `-granular`) are other records and are not read.
 * iubenda can be set to take scrolling or continued browsing as consent
 * (consentOnContinuedBrowsing); such a consent is written the same way and cannot be told apart.
 *
 * Purposes (iubenda's five standard categories): 1 strictly necessary, 2 basic interactions &
 * functionalities, 3 experience enhancement (external content, social features), 4 measurement,
 * 5 targeting & advertising. 2 and 3 are both our functional, so a refusal of either refuses it.
 *
 * Page API: `_iub.cs.api.getPreferences()` returns the same object as the cookie. Changes are
 * announced only to the callbacks in `_iub.csConfiguration.callback` (onPreferenceExpressed and
 * friends); the reader adds itself there, keeping any callback the shop set. Whether iubenda picks
 * up a callback added after its script read the configuration is not documented; the engine's
 * polling covers the case where it does not.
 */
const PURPOSE: Record<string, RecordCategory> = {
  '1': 'necessary',
  '2': 'functional',
  '3': 'functional',
  '4': 'statistics',
  '5': 'marketing',
};

const ALL_BUT_NECESSARY: readonly RecordCategory[] = ['functional', 'statistics', 'marketing'];

function decisionsOf(preferences: unknown): Decision[] | null {
  const purposes = get(preferences, 'purposes');
  if (purposes !== null && typeof purposes === 'object') {
    const decisions: Decision[] = [];
    for (const [id, value] of jsonEntries(purposes, 50)) {
      if (typeof value === 'boolean' && Object.hasOwn(PURPOSE, id)) decisions.push([PURPOSE[id]!, value]);
    }
    return decisions;
  }
  const consent = get(preferences, 'consent');
  if (typeof consent === 'boolean') return ALL_BUT_NECESSARY.map((category) => [category, consent] as const);
  return null; // no preference expressed yet
}

const NAME = /^_iub_cs-s?\d{1,20}$/;

export const cookieReader: CookieReader = {
  platform: 'iubenda',
  cookies: ['_iub_cs-*'],
  read(cookies) {
    let best: ConsentRecord | null = null;
    let seen = 0;
    for (const [name, raw] of cookies) {
      if (!NAME.test(name) || ++seen > 10) continue;
      const preferences = cookieJson(raw);
      const decisions = decisionsOf(preferences);
      if (!decisions) continue;
      const record = toRecord('iubenda', msFromIso(get(preferences, 'timestamp')), decisions, 'deny');
      // Two sites' policies on one domain: the newest choice is the one that counts.
      if (record && (best === null || (record.decidedAt ?? 0) > (best.decidedAt ?? 0))) best = record;
    }
    return best;
  },
};

function api(win: Window): unknown {
  return get(get(get(win, '_iub'), 'cs'), 'api');
}

const CALLBACKS = ['onPreferenceExpressed', 'onConsentGiven', 'onConsentRejected'];

export const pageReader: PageReader = {
  platform: 'iubenda',
  present: (win) => hasMethod(api(win), 'getPreferences'),
  read(win) {
    const result = call(api(win), 'getPreferences');
    if (!result.ok) return null;
    const preferences = snapshot(result.value, 2);
    if (preferences === null || typeof preferences !== 'object') return null;
    const decisions = decisionsOf(preferences);
    return decisions ? toReading(decisions, 'deny') : unanswered();
  },
  subscribe(win, onChange) {
    const config = get(get(win, '_iub'), 'csConfiguration');
    if (config === null || typeof config !== 'object') return;
    try {
      let callbacks = get(config, 'callback');
      if (callbacks === undefined) (config as { callback?: object }).callback = callbacks = {};
      if (callbacks === null || typeof callbacks !== 'object') return;
      for (const name of CALLBACKS) {
        const previous = get(callbacks, name);
        (callbacks as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
          try {
            onChange();
          } catch {
            // never throw into iubenda
          }
          return typeof previous === 'function' ? Reflect.apply(previous, this, args) : undefined;
        };
      }
    } catch {
      // A frozen configuration: no callbacks, the engine polls.
    }
  },
};

export const signature: PlatformSignature = {
  platform: 'iubenda',
  name: 'iubenda',
  hosts: ['iubenda.com'],
  selectors: ['#iubenda-cs-banner'],
  globals: ['_iub'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://www.iubenda.com/en/help/1205-how-to-configure-your-cookie-solution-advanced-guide (_iub.csConfiguration, callback.onPreferenceExpressed, per-category consent, cdn.iubenda.com/cs/iubenda_cs.js)',
  'https://www.tagmanageritalia.it/advanced-guide-how-to-configure-iubenda-granular-category-consent-with-google-tag-manager-gdpr/ (purpose ids 1–5)',
  'real _iub_cs-<id> values in public code: purposes {"1":true,"3":true,"4":true}, {"consent":true,…}, {"id":…} before a choice, _iub_cs-<id>-uspr',
  'public integrations reading _iub.cs.api.getPreferences().purposes (the same object as the cookie)',
  'https://github.com/duckduckgo/autoconsent/blob/main/rules/autoconsent/iubenda.json (#iubenda-cs-banner, cookie /_iub_cs-\\d+=/)',
];
