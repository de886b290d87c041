import { ONETRUST_CLOSED_COOKIE, ONETRUST_COOKIE, ONETRUST_GROUPS as GROUP, parseOneTrust } from '../readers/onetrust';
import { call, get, listen, snapshot, toReading, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * OneTrust. The cookies `OptanonConsent` (a query string with `groups=C0001:1,C0002:0,…`) and
 * `OptanonAlertBoxClosed` (the date of the choice) are read by the existing parser
 * (lib/consent/readers/onetrust.ts).
 *
 * Page API: `window.OnetrustActiveGroups` lists the active groups (",C0001,C0002,"),
 * `OneTrust.IsAlertBoxClosed()` is false until the visitor answered, and `OneTrust.GetDomainData()
 * .Groups[].CustomGroupId` lists every group, so a group that is not active was refused. Changes
 * come through `OneTrust.OnConsentChanged(callback)` and OneTrust's own window events
 * `OneTrustGroupsUpdated` and `consent.onetrust` (both dispatched by otBannerSdk.js).
 * `OptanonWrapper` is a function the page defines and OneTrust calls; wrapping it would change the
 * page's code, so the events are used instead.
 */
export const cookieReader: CookieReader = {
  platform: 'onetrust',
  cookies: [ONETRUST_COOKIE, ONETRUST_CLOSED_COOKIE],
  read(cookies) {
    const raw = cookies.get(ONETRUST_COOKIE);
    return raw === undefined ? null : parseOneTrust(raw, cookies.get(ONETRUST_CLOSED_COOKIE));
  },
};

function groupIds(text: string): string[] {
  return text.length > 4096 ? [] : text.split(',').map((g) => g.trim()).filter((g) => Object.hasOwn(GROUP, g));
}

/** Every group the tenant configured, from GetDomainData(); empty when the API does not say. */
function configuredGroups(onetrust: unknown): string[] {
  const data = call(onetrust, 'GetDomainData');
  if (!data.ok) return [];
  const groups = snapshot(get(data.value, 'Groups'), 2);
  if (!Array.isArray(groups)) return [];
  return groups.map((g) => get(g, 'CustomGroupId') ?? get(g, 'OptanonGroupId')).filter((id): id is string => typeof id === 'string' && Object.hasOwn(GROUP, id));
}

export const pageReader: PageReader = {
  platform: 'onetrust',
  present: (win) => typeof get(win, 'OnetrustActiveGroups') === 'string' || typeof get(get(win, 'OneTrust'), 'IsAlertBoxClosed') === 'function',
  read(win) {
    const onetrust = get(win, 'OneTrust');
    const closed = call(onetrust, 'IsAlertBoxClosed');
    if (!closed.ok || typeof closed.value !== 'boolean') return null;
    if (!closed.value) return unanswered();
    const active = get(win, 'OnetrustActiveGroups');
    if (typeof active !== 'string') return null;
    const on = new Set(groupIds(active));
    const decisions: Decision[] = [...on].map((id) => [GROUP[id]!, true] as const);
    for (const id of configuredGroups(onetrust)) if (!on.has(id)) decisions.push([GROUP[id]!, false]);
    return toReading(decisions, 'deny');
  },
  subscribe(win, onChange) {
    call(get(win, 'OneTrust'), 'OnConsentChanged', () => {
      try {
        onChange();
      } catch {
        // never throw into OneTrust
      }
    });
    listen(win, ['OneTrustGroupsUpdated', 'consent.onetrust'], onChange);
  },
};

export const signature: PlatformSignature = {
  platform: 'onetrust',
  name: 'OneTrust',
  hosts: ['cdn.cookielaw.org', 'cookielaw.org', 'onetrust.com'],
  // #onetrust-banner-sdk as in lib/consent/banners.ts; #onetrust-pc-sdk is its preference centre.
  selectors: ['#onetrust-banner-sdk', '#onetrust-pc-sdk'],
  globals: ['OneTrust', 'OnetrustActiveGroups', 'Optanon'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'OneTrust\'s JavaScript API as documented for integrations: https://docs.snowplow.io/docs/sources/trackers/web-trackers/tracking-events/consent-gdpr (OneTrust.GetDomainData().Groups, active groups), Adobe Experience Platform Web SDK consent docs (OneTrust.OnConsentChanged), public integrations reading Groups[].CustomGroupId and IsAlertBoxClosed()',
  'otBannerSdk.js as published on cdn.cookielaw.org (dispatches OneTrustGroupsUpdated and consent.onetrust on window)',
  'lib/consent/readers/onetrust.ts (the cookie format)',
  'https://github.com/duckduckgo/autoconsent/blob/main/lib/cmps/onetrust.ts (#onetrust-banner-sdk, #onetrust-pc-sdk, OnetrustActiveGroups)',
];
