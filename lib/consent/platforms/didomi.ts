import type { RecordCategory } from '../model';
import { parseTcString, TCF_COOKIE } from '../readers/tcf';
import { decodeCookieValue, MAX_CONSENT_COOKIE_LENGTH, parseJsonSafely } from '../readers/util';
import { call, get, hasMethod, jsonEntries, msFromIso, snapshot, toReading, toRecord, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * Didomi (French).
 *
 * Cookie `didomi_token`: base64 JSON (support.didomi.io "Didomi Cookies: storage") with `user_id`,
 * `created`, `updated` (last consent update), `purposes.enabled/disabled`, `vendors.enabled/
 * disabled` and the same for legitimate interest. Before any choice Didomi writes only
 * `{user_id, created, updated, version: null}` (seen in the wild), so a token without purposes or
 * vendors is no record. Under TCF the IAB purposes live in `euconsent-v2` and the token keeps
 * Didomi's own and custom purposes; both are read and a refusal in either refuses the category.
 * Newer setups may store `didomi_dcs` (a binary "Didomi Consent String") instead: not read.
 *
 * Page API (developers.didomi.io, Web SDK reference): `Didomi.shouldUserStatusBeCollected()` is true
 * while a choice is missing; `Didomi.getUserStatus().purposes.consent.enabled/disabled` lists purpose
 * ids with an explicit choice; `getCurrentUserStatus().purposes[id].enabled` is the fallback (it
 * reports undecided purposes as `enabled: false`, so it is only used once the status is collected).
 * `consent.changed` arrives through `window.didomiEventListeners`, the documented callback array
 * that may be pushed to at any time.
 *
 * Purposes: Didomi names the IAB TCF purposes (`cookies` = 1 … `use_limited_data_to_select_content`
 * = 11) and our categories follow the TCF reader's rule (tcf.ts): functional = purpose 1, statistics
 * = 1 with 8 or 9, marketing = 1, 3 and 4. Custom purposes get ids made from the first letters of
 * the name the shop gave them and a random suffix (`analytics-HpBJrrK7`, `audiencem-inzPHGWn`,
 * `marketing-V4U6naXQ`), so only names that say what they are map: analytics, statistics, audience
 * measurement → statistics; marketing, advertising, publicité → marketing. Special features
 * (`geolocation_data`, `device_characteristics`) and vendors are not categories.
 */
const IAB: Record<string, number> = {
  cookies: 1,
  select_basic_ads: 2,
  create_ads_profile: 3,
  select_personalized_ads: 4,
  create_content_profile: 5,
  select_personalized_content: 6,
  measure_ad_performance: 7,
  measure_content_performance: 8,
  market_research: 9,
  improve_products: 10,
  use_limited_data_to_select_content: 11,
};

const CUSTOM: [string, RecordCategory][] = [
  ['analytic', 'statistics'],
  ['statisti', 'statistics'],
  ['audiencem', 'statistics'],
  ['marketing', 'marketing'],
  ['advertis', 'marketing'],
  ['publicit', 'marketing'],
];

// The TCF reader's rule: a category is granted when all of `all` and one of `any` (if given) are.
const IAB_RULES: [RecordCategory, number[], number[]][] = [
  ['functional', [1], []],
  ['statistics', [1], [8, 9]],
  ['marketing', [1, 3, 4], []],
];

function customCategory(id: string): RecordCategory | undefined {
  if (id === 'purpose_analytics') return 'statistics';
  const match = /^([a-z0-9_]{3,20})-[A-Za-z0-9]{8}$/.exec(id);
  return match ? CUSTOM.find(([prefix]) => match[1]!.startsWith(prefix))?.[1] : undefined;
}

/** Our decisions from Didomi purpose ids the visitor enabled and disabled. */
function decisionsFromPurposes(enabled: readonly unknown[], disabled: readonly unknown[]): Decision[] {
  const decisions: Decision[] = [];
  const on = new Set<number>();
  const off = new Set<number>();
  const add = (ids: readonly unknown[], allowed: boolean) => {
    for (const id of ids.slice(0, 300)) {
      if (typeof id !== 'string' || id.length > 100) continue;
      if (Object.hasOwn(IAB, id)) (allowed ? on : off).add(IAB[id]!);
      else {
        const category = customCategory(id);
        if (category) decisions.push([category, allowed]);
      }
    }
  };
  add(enabled, true);
  add(disabled, false);
  for (const [category, all, any] of IAB_RULES) {
    if (all.every((p) => on.has(p)) && (any.length === 0 || any.some((p) => on.has(p)))) decisions.push([category, true]);
    else if (all.some((p) => off.has(p)) || (any.length > 0 && any.every((p) => off.has(p)))) decisions.push([category, false]);
  }
  return decisions;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function decodeToken(raw: string): unknown {
  if (raw.length > MAX_CONSENT_COOKIE_LENGTH) return undefined;
  const base64 = decodeCookieValue(raw).trim().replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return undefined;
  try {
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
    return parseJsonSafely(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
}

const TOKEN = 'didomi_token';

export const cookieReader: CookieReader = {
  platform: 'didomi',
  cookies: [TOKEN, TCF_COOKIE],
  read(cookies) {
    const raw = cookies.get(TOKEN);
    if (raw === undefined) return null; // euconsent-v2 alone is any TCF CMP's: the TCF reader's
    const token = decodeToken(raw);
    const purposes = get(token, 'purposes');
    const vendors = get(token, 'vendors');
    const enabled = list(get(purposes, 'enabled'));
    const disabled = list(get(purposes, 'disabled'));
    const chose = enabled.length + disabled.length + list(get(vendors, 'enabled')).length + list(get(vendors, 'disabled')).length > 0;
    if (!chose) return null;
    const decisions = decisionsFromPurposes(enabled, disabled);
    const tcfRaw = cookies.get(TCF_COOKIE);
    const tcf = tcfRaw === undefined ? null : parseTcString(tcfRaw);
    if (tcf) decisions.push(...tcf.granted.map((c) => [c, true] as const), ...tcf.denied.map((c) => [c, false] as const));
    return toRecord('didomi', msFromIso(get(token, 'updated')), decisions, 'deny');
  },
};

function api(win: Window): unknown {
  return get(win, 'Didomi');
}

export const pageReader: PageReader = {
  platform: 'didomi',
  present: (win) => hasMethod(api(win), 'getUserStatus') || hasMethod(api(win), 'getCurrentUserStatus'),
  read(win) {
    const didomi = api(win);
    let collect = call(didomi, 'shouldUserStatusBeCollected');
    if (!collect.ok) collect = call(didomi, 'shouldConsentBeCollected'); // its older name
    if (collect.ok && collect.value === true) return unanswered();
    const status = call(didomi, 'getUserStatus');
    if (status.ok) {
      const consent = get(get(snapshot(status.value, 4), 'purposes'), 'consent');
      const enabled = list(get(consent, 'enabled'));
      const disabled = list(get(consent, 'disabled'));
      if (enabled.length + disabled.length > 0) return toReading(decisionsFromPurposes(enabled, disabled), 'deny');
    }
    // getCurrentUserStatus cannot tell "refused" from "not asked": only trusted once collected.
    if (!collect.ok || collect.value !== false) return null;
    const current = call(didomi, 'getCurrentUserStatus');
    if (!current.ok) return null;
    const enabled: string[] = [];
    const disabled: string[] = [];
    for (const [id, purpose] of jsonEntries(get(snapshot(current.value, 3), 'purposes'), 300)) {
      const on = get(purpose, 'enabled');
      if (on === true) enabled.push(id);
      else if (on === false) disabled.push(id);
    }
    return toReading(decisionsFromPurposes(enabled, disabled), 'deny');
  },
  subscribe(win, onChange) {
    const listener = {
      event: 'consent.changed',
      listener: () => {
        try {
          onChange();
        } catch {
          // never throw into Didomi
        }
      },
    };
    let listeners = get(win, 'didomiEventListeners');
    if (listeners === undefined) {
      try {
        (win as unknown as { didomiEventListeners: unknown[] }).didomiEventListeners = listeners = [];
      } catch {
        // a frozen window: fall through to Didomi.on
      }
    }
    if (!call(listeners, 'push', listener).ok) call(api(win), 'on', 'consent.changed', listener.listener);
  },
};

export const signature: PlatformSignature = {
  platform: 'didomi',
  name: 'Didomi',
  hosts: ['privacy-center.org', 'didomi.io'],
  selectors: ['#didomi-host', '#didomi-notice', '#didomi-popup'],
  globals: ['Didomi', 'didomiOnReady', 'didomiEventListeners'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://support.didomi.io/en/didomi-cookies-storage-1 (didomi_token fields, an example token)',
  'https://docs.didomi.io/moIvfcA7NSpjmwGZ7dzv/get-started/general/cookies-and-local-storage (didomi_token, didomi_dcs, euconsent-v2)',
  'https://developers.didomi.io/cmp/web-sdk/reference/api (didomiOnReady, getCurrentUserStatus; getUserStatus().purposes.consent.enabled/disabled)',
  'https://developers.didomi.io/cmp/mobile-sdk/api-new (getCurrentUserStatus: undecided purposes reported as enabled: false)',
  '@didomi/react 1.8.4 (npm): window.didomiEventListeners.push({event: "consent.changed", listener}), sdk.privacy-center.org',
  'https://github.com/duckduckgo/autoconsent/blob/main/rules/autoconsent/didomi.json and lib/eval-snippets.ts (#didomi-host, getCurrentUserStatus().purposes[].enabled)',
  'real didomi_token values in public code: purpose ids cookies, select_basic_ads, measure_content_performance…, custom analytics-HpBJrrK7, audiencem-inzPHGWn, marketing-V4U6naXQ',
];
