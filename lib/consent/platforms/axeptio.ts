import type { RecordCategory } from '../model';
import { decodeCookieValue, MAX_CONSENT_COOKIE_LENGTH } from '../readers/util';
import { categoryOfService } from './services';
import { call, cookieJson, get, jsonEntries, msFromIso, pageCookie, snapshot, toRecord, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * Axeptio (French).
 *
 * Cookie `axeptio_cookies`: JSON, URL-encoded in whole or in part (`{%22$$token%22:…}`), with
 * meta keys `$$token`, `$$date` (ISO, the choice), `$$cookiesVersion`, `$$scope`, `$$duration`,
 * `$$completed` (true once the visitor finished the widget) and one `<vendor>: boolean` per vendor,
 * often twice in different case (`google_ads` and `Google_Ads`). Projects with Google Consent Mode
 * also get `$$googleConsentMode: {analytics_storage, ad_storage, …: 'granted'|'denied'}`.
 * `axeptio_authorized_vendors` and `axeptio_all_vendors` list vendor keys as `,a,b,`; they are read
 * only when `axeptio_cookies` is missing.
 *
 * Axeptio asks per vendor, and the vendor keys are the shop's choice of Axeptio's catalogue. Our
 * categories come from the vendors we know (services.ts: google_analytics, hotjar → statistics;
 * facebook_pixel, google_ads, bing, tiktok, pinterest, criteo → marketing) and from
 * `$$googleConsentMode` when present (analytics_storage → statistics, ad_storage → marketing).
 * Not mappable, and ignored: embeds and tools that are neither or either (youtube, vimeo, Gmaps,
 * cloudflare, chat widgets), "meta", "linkedin" and any vendor we do not know. Vendors that
 * disagree within one of our categories leave it unknown.
 *
 * Page API (developers.axeptio.eu, cookies integration): `window._axcb.push(sdk => sdk.on(
 * 'cookies:complete', choices => …))`, a queue that may be pushed to before or after the SDK loads;
 * `window.axeptioSDK.userPreferencesManager.choices` holds the current choices.
 */
const GOOGLE_CONSENT_MODE: [string, RecordCategory][] = [
  ['analytics_storage', 'statistics'],
  ['ad_storage', 'marketing'],
];

function decisionsOf(choices: unknown): Decision[] {
  const decisions: Decision[] = [];
  for (const [key, value] of jsonEntries(choices, 300)) {
    if (key.startsWith('$$') || typeof value !== 'boolean') continue;
    const category = categoryOfService(key);
    if (category) decisions.push([category, value]);
  }
  const mode = get(choices, '$$googleConsentMode');
  for (const [signal, category] of GOOGLE_CONSENT_MODE) {
    const value = get(mode, signal);
    if (value === 'granted' || value === 'denied') decisions.push([category, value === 'granted']);
  }
  return decisions;
}

function fromChoices(choices: unknown) {
  if (get(choices, '$$completed') !== true) return null;
  return toRecord('axeptio', msFromIso(get(choices, '$$date')), decisionsOf(choices), 'unknown');
}

function vendorList(raw: string | undefined): string[] | null {
  if (raw === undefined || raw.length > MAX_CONSENT_COOKIE_LENGTH) return null;
  return decodeCookieValue(raw)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0 && v.length <= 100)
    .slice(0, 300);
}

const COOKIE = 'axeptio_cookies';
const AUTHORIZED = 'axeptio_authorized_vendors';
const ALL = 'axeptio_all_vendors';

export const cookieReader: CookieReader = {
  platform: 'axeptio',
  cookies: [COOKIE, AUTHORIZED, ALL],
  read(cookies) {
    const raw = cookies.get(COOKIE);
    if (raw !== undefined) return fromChoices(cookieJson(raw));
    const authorized = vendorList(cookies.get(AUTHORIZED));
    const all = vendorList(cookies.get(ALL));
    if (!authorized || !all) return null;
    const allowed = new Set(authorized);
    const decisions: Decision[] = [];
    for (const vendor of all) {
      const category = categoryOfService(vendor);
      if (category) decisions.push([category, allowed.has(vendor)]);
    }
    return toRecord('axeptio', null, decisions, 'unknown');
  },
};

function sdk(win: Window): unknown {
  return get(win, 'axeptioSDK');
}

export const pageReader: PageReader = {
  platform: 'axeptio',
  present: (win) => {
    const s = sdk(win);
    return s !== null && typeof s === 'object';
  },
  read(win) {
    const s = sdk(win);
    if (s === null || typeof s !== 'object') return null;
    const choices = snapshot(get(get(s, 'userPreferencesManager'), 'choices'), 2);
    const record = fromChoices(choices) ?? fromChoices(cookieJson(pageCookie(win, COOKIE)));
    if (record) return { state: 'answered', granted: record.granted, denied: record.denied };
    // Completed but nothing we can map: an answer we cannot read. Not completed: still waiting.
    return get(choices, '$$completed') === true ? null : unanswered();
  },
  subscribe(win, onChange) {
    const register = (axeptio: unknown) => {
      call(axeptio, 'on', 'cookies:complete', () => {
        try {
          onChange();
        } catch {
          // never throw into Axeptio
        }
      });
    };
    let queue = get(win, '_axcb');
    if (queue === undefined) {
      try {
        (win as unknown as { _axcb: unknown[] })._axcb = queue = [];
      } catch {
        return;
      }
    }
    call(queue, 'push', register);
  },
};

export const signature: PlatformSignature = {
  platform: 'axeptio',
  name: 'Axeptio',
  hosts: ['axept.io', 'axeptio.eu'],
  selectors: ['.axeptio_widget', '.axeptio_mount'],
  globals: ['axeptioSDK', '_axcb', 'axeptioSettings'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://developers.axeptio.eu/cookies/cookies-integration (_axcb, cookies:complete, static.axept.io/sdk.js)',
  'real axeptio_cookies values in public code: $$token, $$date, $$completed, $$googleConsentMode, vendor booleans in two cases; axeptio_authorized_vendors / axeptio_all_vendors as ,a,b,',
  'public integrations reading window.axeptioSDK.userPreferencesManager.choices',
  'https://github.com/duckduckgo/autoconsent/blob/main/rules/autoconsent/axeptio.json (.axeptio_widget, .axeptio_mount, axeptio_authorized_vendors=%2C%2C after refusing)',
];
