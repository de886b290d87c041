import type { RecordCategory } from './model';

/**
 * Google Consent Mode v2 as a page sets it: `gtag('consent', 'default' | 'update', {...})`, which
 * gtag.js turns into `dataLayer.push(arguments)`. Pure and free of zod: it runs in the page's own
 * world (the MAIN-world reader) as well as in the background.
 * https://developers.google.com/tag-platform/security/guides/consent
 */

export const CONSENT_TYPES = [
  'ad_storage',
  'analytics_storage',
  'ad_user_data',
  'ad_personalization',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
] as const;
export type ConsentType = (typeof CONSENT_TYPES)[number];
export type ConsentModeValues = Partial<Record<ConsentType, 'granted' | 'denied'>>;

export interface ConsentCommand {
  command: 'default' | 'update';
  values: ConsentModeValues;
  /** ISO 3166-2 region codes a default is scoped to ('US', 'US-CA'); absent: everywhere. */
  region?: string[];
  /** `wait_for_update` (ms): how long the tags wait for an update before they fire. */
  waitForUpdate?: number;
}

/**
 * A dataLayer entry as a consent command, or null: gtag pushes its `arguments` object, so an
 * entry is one only when it is an Arguments object (not an array a page pushed by hand, which
 * gtag.js ignores too) whose first item is 'consent'.
 */
export function readConsentCommand(entry: unknown): ConsentCommand | null {
  try {
    if (Object.prototype.toString.call(entry) !== '[object Arguments]') return null;
    const args = entry as ArrayLike<unknown>;
    if (args[0] !== 'consent' || (args[1] !== 'default' && args[1] !== 'update')) return null;
    const given = args[2];
    if (given === null || typeof given !== 'object') return null;
    const values: ConsentModeValues = {};
    for (const type of CONSENT_TYPES) {
      const value = (given as Record<string, unknown>)[type];
      if (value === 'granted' || value === 'denied') values[type] = value;
    }
    const region = (given as Record<string, unknown>).region;
    const wait = (given as Record<string, unknown>).wait_for_update;
    return {
      command: args[1],
      values,
      ...(Array.isArray(region) ? { region: region.filter((r): r is string => typeof r === 'string').slice(0, 300).map((r) => r.slice(0, 10)) } : {}),
      ...(typeof wait === 'number' && Number.isFinite(wait) ? { waitForUpdate: wait } : {}),
    };
  } catch {
    return null;
  }
}

/** Whether a default scoped to `region` applies to a customer in one of `customerRegions` ('NL'). */
export function defaultApplies(region: string[] | undefined, customerRegions: readonly string[]): boolean {
  if (region === undefined) return true;
  return region.some((code) => customerRegions.some((own) => code.toUpperCase() === own || code.toUpperCase().startsWith(`${own}-`)));
}

/**
 * The state the tags act on after `commands`, as gtag resolves it: region-scoped defaults for the
 * customer's region win over defaults for everywhere; updates overlay defaults, type by type.
 * Defaults scoped to other regions (a US default on a Dutch customer's page) do not count.
 */
export function resolveConsentMode(commands: readonly ConsentCommand[], customerRegions: readonly string[]): { values: ConsentModeValues; updated: boolean } {
  const general: ConsentModeValues = {};
  const regional: ConsentModeValues = {};
  const updates: ConsentModeValues = {};
  let updated = false;
  for (const command of commands) {
    if (command.command === 'update') {
      Object.assign(updates, command.values);
      updated = true;
    } else if (command.region === undefined) Object.assign(general, command.values);
    else if (defaultApplies(command.region, customerRegions)) Object.assign(regional, command.values);
  }
  return { values: { ...general, ...regional, ...updates }, updated };
}

/**
 * The catalog's categories from Consent Mode's types: analytics_storage is statistics; marketing
 * needs ad_storage, and is refused when any of the three advertising types is denied (Consent Mode
 * v2's ad_user_data and ad_personalization govern what the ads tags may send and do);
 * functionality_storage and personalization_storage are functional.
 */
export function categoriesFromConsentMode(values: ConsentModeValues): { granted: RecordCategory[]; denied: RecordCategory[] } {
  const granted: RecordCategory[] = [];
  const denied: RecordCategory[] = [];
  const decide = (category: RecordCategory, types: readonly ConsentType[], required: ConsentType | null) => {
    const states = types.map((t) => values[t]).filter((v) => v !== undefined);
    if (states.length === 0) return;
    if (states.includes('denied')) denied.push(category);
    else if (required === null || values[required] === 'granted') granted.push(category);
  };
  decide('functional', ['functionality_storage', 'personalization_storage'], null);
  decide('statistics', ['analytics_storage'], 'analytics_storage');
  decide('marketing', ['ad_storage', 'ad_user_data', 'ad_personalization'], 'ad_storage');
  return { granted, denied };
}
