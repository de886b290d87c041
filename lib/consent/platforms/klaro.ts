import type { RecordCategory } from '../model';
import { categoryOfService } from './services';
import { call, cookieJson, get, hasMethod, jsonEntries, snapshot, toReading, toRecord, unanswered, type Decision } from './shared';
import type { CookieReader, PageReader, PlatformSignature } from './types';

/**
 * Klaro! (KIProtect), open source, often self-hosted. Everything below is from its source
 * (klaro 0.7.22 on npm: src/consent-manager.js, src/stores.js, src/lib.js).
 *
 * Storage: `storageMethod` 'cookie' (the default) or 'localStorage', under `storageName` (formerly
 * `cookieName`, default `klaro`); the value is `encodeURIComponent(JSON.stringify(consents))`
 * with `consents` = `{<service name>: boolean}`. It is written only by saveConsents(), that is when
 * the visitor (or the page's own script) confirms, so a stored value is a choice. The cookie reader
 * knows only the default name and the cookie store; a shop that renamed it or uses localStorage is
 * read by the page reader only.
 *
 * Categories: Klaro asks per service; the shop's config (`klaroConfig.services[]`) gives each
 * service `purposes` and `required`, but only the page sees the config. Per service, our category
 * comes from its purposes when they name one (analytics/statistics → statistics,
 * marketing/advertising → marketing, functional/preferences → functional, essential/necessary/
 * security → necessary; Klaro's own "performance" purpose, "to optimize the service", could be
 * either and is not used), else from the service name (services.ts), else nothing. A required
 * service is necessary. Services that disagree within one of our categories leave it unknown.
 * The cookie reader has names only.
 *
 * Page API: `klaro.getManager()` → the ConsentManager with `consents`, `savedConsents`,
 * `confirmed` (true once the visitor confirmed, false again when the config gained services),
 * `config.services`, and `watch({update(manager, name, data)})`, which Klaro calls with
 * 'saveConsents' after a choice (Klaro fires no DOM event).
 */
const PURPOSE: Record<string, RecordCategory> = {
  analytics: 'statistics',
  statistics: 'statistics',
  marketing: 'marketing',
  advertising: 'marketing',
  functional: 'functional',
  preferences: 'functional',
  essential: 'necessary',
  necessary: 'necessary',
  security: 'necessary',
};

const COOKIE = 'klaro';
const MAX_SERVICES = 300;

function serviceDecisions(name: string, given: boolean, purposes: unknown, required: unknown): Decision[] {
  if (required === true) return [['necessary', true]];
  const fromPurposes = (Array.isArray(purposes) ? purposes : [])
    .slice(0, 20)
    .map((p) => (typeof p === 'string' && Object.hasOwn(PURPOSE, p.toLowerCase()) ? PURPOSE[p.toLowerCase()] : undefined))
    .filter((c): c is RecordCategory => c !== undefined);
  const categories = fromPurposes.length > 0 ? fromPurposes : [categoryOfService(name)].filter((c): c is RecordCategory => c !== undefined);
  return [...new Set(categories)].map((category) => [category, given] as const);
}

export const cookieReader: CookieReader = {
  platform: 'klaro',
  cookies: [COOKIE],
  read(cookies) {
    const consents = cookieJson(cookies.get(COOKIE));
    const decisions: Decision[] = [];
    for (const [name, given] of jsonEntries(consents, MAX_SERVICES)) {
      if (typeof given === 'boolean') decisions.push(...serviceDecisions(name, given, undefined, undefined));
    }
    return toRecord('klaro', null, decisions, 'unknown');
  },
};

function manager(win: Window): unknown {
  const result = call(get(win, 'klaro'), 'getManager');
  return result.ok ? result.value : undefined;
}

export const pageReader: PageReader = {
  platform: 'klaro',
  present: (win) => hasMethod(get(win, 'klaro'), 'getManager'),
  read(win) {
    const m = manager(win);
    if (m === null || typeof m !== 'object') return null;
    const confirmed = get(m, 'confirmed');
    if (confirmed === false) return unanswered();
    if (confirmed !== true) return null;
    // savedConsents: what was saved; `consents` also holds toggles the visitor has not saved yet.
    const saved = snapshot(get(m, 'savedConsents') ?? get(m, 'consents'), 1);
    const services = snapshot(get(get(m, 'config'), 'services') ?? get(get(win, 'klaroConfig'), 'services'), 3);
    const config = new Map<string, unknown>();
    for (const service of Array.isArray(services) ? services.slice(0, MAX_SERVICES) : []) {
      const name = get(service, 'name');
      if (typeof name === 'string') config.set(name, service);
    }
    const decisions: Decision[] = [];
    for (const [name, given] of jsonEntries(saved, MAX_SERVICES)) {
      if (typeof given !== 'boolean') continue;
      const service = config.get(name);
      decisions.push(...serviceDecisions(name, given, get(service, 'purposes'), get(service, 'required')));
    }
    return toReading(decisions, 'unknown');
  },
  subscribe(win, onChange) {
    call(manager(win), 'watch', {
      update: (_manager: unknown, name: unknown) => {
        if (name !== 'saveConsents') return;
        try {
          onChange();
        } catch {
          // never throw into Klaro
        }
      },
    });
  },
};

export const signature: PlatformSignature = {
  platform: 'klaro',
  name: 'Klaro',
  // Mostly self-hosted; the project's CDN is cdn.kiprotect.com.
  hosts: ['kiprotect.com'],
  selectors: ['.klaro .cookie-notice', '.klaro .cookie-modal'],
  globals: ['klaro', 'klaroConfig'],
};

/** Where this platform's formats were verified. Kept out of `signature`, which every bundle carries: only the tests read it. */
export const sources: readonly string[] = [
  'klaro 0.7.22 (npm) src/consent-manager.js (storageName default klaro, saveConsents writes encodeURIComponent(JSON.stringify(consents)), confirmed, savedConsents, watch/notify saveConsents)',
  'klaro 0.7.22 (npm) src/stores.js (CookieStore, LocalStorageStore), src/lib.js (getManager), src/translations/en.yml (purposes advertising, functional, marketing, performance)',
  'https://github.com/klaro-org/klaro-js README (cdn.kiprotect.com/klaro/<version>/klaro.js)',
  'https://github.com/duckduckgo/autoconsent/blob/main/lib/cmps/klaro.ts and lib/eval-snippets.ts EVAL_KLARO_1 (.klaro > .cookie-notice, klaroConfig.services[].required, getManager().consents)',
];
