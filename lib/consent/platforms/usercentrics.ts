import type { RecordCategory } from '../model';
import { categoryOfService } from './services';
import { call, get, hasMethod, jsonEntries, listen, snapshot, toReading, unanswered, type Decision } from './shared';
import type { PageReader, PageReading, PlatformSignature } from './types';

/**
 * Usercentrics (German). No cookie reader: both generations keep the visitor's choice in
 * localStorage, which the background cannot read (v2: `uc_settings` with per-service consent
 * histories and `uc_user_interaction`; v3: `ucData`, `ucString`). The cookies Usercentrics sets
 * (`uc_user_interaction` on some setups, the TCF `euconsent-v2`) say nothing about categories, and
 * the TCF string is read by the TCF reader already.
 *
 * Usercentrics asks per service (a "data processing service"), each in a category the shop
 * configures. Our category per service:
 * - an essential service: necessary (it cannot be refused);
 * - otherwise the category's slug when it is one of Usercentrics' defaults: `essential`,
 *   `functional`, `marketing` (custom categories get slugs like `customCategory-<uuid>`);
 * - otherwise the service's name when it is a well-known one (services.ts: "Google Analytics" is
 *   statistics, "Facebook Pixel" marketing);
 * - otherwise nothing. Services that disagree within one of our categories leave it unknown.
 *
 * v3 (web.cmp.usercentrics.eu/ui/loader.js): `window.__ucCmp.getConsentDetails()` resolves to
 * `{consent: {status, type: 'EXPLICIT'|'IMPLICIT', updatedBy, updatedAt, …}, services: {id: {name,
 * category, essential, consent: {given, type}}}, categories: {slug: {state, essential, dps}}}`.
 * `type: 'IMPLICIT'` is the state before any choice (or an implied one): unanswered.
 * v2 (app.usercentrics.eu/browser-ui/latest/loader.js): `window.UC_UI.getServicesBaseInfo()` →
 * `[{id, name, categorySlug, isEssential, consent: {status, history: [{action, status, timestamp,
 * type: 'explicit'|'implicit'}]}}]`; the newest history entry is explicit once the visitor chose.
 *
 * Events, all on window: `UC_CONSENT` (v3, detail = the consent details), `UC_UI_INITIALIZED`,
 * `UC_UI_CMP_EVENT` (ACCEPT_ALL, DENY_ALL, SAVE…), and the "window event" the shop names in the
 * admin interface, by convention `ucEvent` (v3 sends it the v2-shaped `{event: 'consent_status',
 * type, ucCategory, <service name>: boolean}`).
 */
const SLUG: Record<string, RecordCategory> = {
  essential: 'necessary',
  functional: 'functional',
  marketing: 'marketing',
};

const MAX_SERVICES = 300;

function decide(slug: unknown, name: unknown, essential: unknown, given: unknown): Decision | null {
  if (essential === true) return ['necessary', true];
  if (typeof given !== 'boolean') return null;
  const category = (typeof slug === 'string' && Object.hasOwn(SLUG, slug) ? SLUG[slug] : undefined) ?? categoryOfService(name);
  return category ? [category, given] : null;
}

/** v3: the resolved `getConsentDetails()`. */
function readConsentDetails(value: unknown): PageReading | null {
  const details = snapshot(value, 3);
  const type = get(get(details, 'consent'), 'type');
  if (typeof type !== 'string') return null;
  if (type.toUpperCase() !== 'EXPLICIT') return unanswered();
  const decisions: Decision[] = [];
  for (const [, service] of jsonEntries(get(details, 'services'), MAX_SERVICES)) {
    const decision = decide(get(service, 'category'), get(service, 'name'), get(service, 'essential'), get(get(service, 'consent'), 'given'));
    if (decision) decisions.push(decision);
  }
  return toReading(decisions, 'unknown');
}

/** v2: `UC_UI.getServicesBaseInfo()`, read item by item from the live array. */
function readServicesBaseInfo(list: unknown): PageReading | null {
  const length = get(list, 'length');
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) return null;
  const decisions: Decision[] = [];
  let explicit = false;
  for (let i = 0; i < Math.min(length, MAX_SERVICES); i++) {
    const service = get(list, i);
    const consent = get(service, 'consent');
    const history = get(consent, 'history');
    const entries = get(history, 'length');
    const last = typeof entries === 'number' && Number.isSafeInteger(entries) && entries > 0 ? get(history, entries - 1) : undefined;
    const lastType = get(last, 'type');
    if (typeof lastType === 'string' && lastType.toLowerCase() === 'explicit') explicit = true;
    const decision = decide(get(service, 'categorySlug'), get(service, 'name'), get(service, 'isEssential'), get(consent, 'status'));
    if (decision) decisions.push(decision);
  }
  if (!explicit) return unanswered();
  return toReading(decisions, 'unknown');
}

function v3(win: Window): unknown {
  const cmp = get(win, '__ucCmp');
  return hasMethod(cmp, 'getConsentDetails') ? cmp : undefined;
}

function v2(win: Window): unknown {
  const ui = get(win, 'UC_UI');
  return hasMethod(ui, 'getServicesBaseInfo') ? ui : undefined;
}

export const pageReader: PageReader = {
  platform: 'usercentrics',
  present: (win) => v3(win) !== undefined || v2(win) !== undefined,
  read(win) {
    const cmp = v3(win);
    if (cmp !== undefined) {
      // A thenable whose `then` throws rejects here and reads as null; one that never settles is
      // the engine's to time out.
      return Promise.resolve()
        .then(() => {
          const details = call(cmp, 'getConsentDetails');
          return details.ok ? details.value : undefined;
        })
        .then(readConsentDetails, () => null);
    }
    const services = call(v2(win), 'getServicesBaseInfo');
    return services.ok ? readServicesBaseInfo(services.value) : null;
  },
  subscribe(win, onChange) {
    listen(win, ['UC_CONSENT', 'UC_UI_INITIALIZED', 'UC_UI_CMP_EVENT', 'ucEvent'], onChange);
  },
};

export const signature: PlatformSignature = {
  platform: 'usercentrics',
  name: 'Usercentrics',
  hosts: ['usercentrics.eu', 'usercentrics.com'],
  selectors: ['#usercentrics-root', '#usercentrics-cmp-ui', '#usercentrics-button'],
  globals: ['__ucCmp', 'UC_UI'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'https://usercentrics.com/docs/web/features/api/interfaces/#consentdetails (ConsentDetails: consent.type, services[id].consent.given, categories[slug].state)',
  'https://usercentrics.com/docs/web/features/events/uc-ui-cmp-event/ (UC_UI_CMP_EVENT)',
  'web.cmp.usercentrics.eu/ui/loader.js as found in public code: dispatchConsentDetails sends UC_CONSENT, then the configured window events with the v2 bridge shape (SOME_ACCEPTED → null)',
  '@usercentrics/cmp-browser-sdk 4.64.0 (npm): getServicesBaseInfo → categorySlug, isEssential, consent.status, consent.history[].type explicit|implicit; localStorage uc_settings, uc_user_interaction',
  'https://github.com/s-group-dev/react-usercentrics src/types.ts (__ucCmp, ucData in localStorage, UC_UI_INITIALIZED)',
  'https://github.com/duckduckgo/autoconsent/blob/main/rules/autoconsent/usercentrics-api.json (#usercentrics-root, #usercentrics-cmp-ui, UC_UI)',
];
