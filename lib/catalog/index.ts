import type { Catalog, CatalogEntry, PolicyPromise } from './schema';
import { ruleHosts, type EntryId, type PromiseId } from './vocabulary';
import { catalog, thirdParties as thirdPartiesData } from './data';
import { createThirdPartyNamer, type ThirdParty } from './third-parties';

// The vocabulary only: the data files' schemas run at build time (data.ts), and their types are enough here.
export * from './vocabulary';
export type { Catalog, CatalogEntry, CookieRule, HostRule, PolicyPromise, PromiseRule, ProtocolRule, ShopProfile } from './schema';
export { CATALOG_VERSION, catalog, thirdParties } from './data';

/** The consent banner a host belongs to (Cookie Information, Cookiebot, OneTrust), if any. */
export function consentPlatformOf(host: string, source: Catalog = catalog): string | null {
  return source.consentPlatforms.find((p) => p.hosts.some((h) => host === h || host.endsWith(`.${h}`)))?.name ?? null;
}

const byId = new Map(catalog.entries.map((entry) => [entry.id, entry]));

/** The entry for any id, or undefined for one the catalog does not (or no longer) have. */
export function findEntry(id: string): CatalogEntry | undefined {
  return byId.get(id as EntryId);
}

/** The policy's checkable promises, in the policy's order (the UI keeps it: a list that does not jump). */
export function getPromise(id: PromiseId): PolicyPromise {
  const promise = catalog.promises.find((p) => p.id === id);
  if (!promise) throw new Error(`unknown promise ${id}`);
  return promise;
}

export function getEntry(id: EntryId): CatalogEntry {
  const entry = byId.get(id);
  if (!entry) throw new Error(`unknown catalog entry ${id}`);
  return entry;
}

/** Whether Google Consent Mode governs the entry's storage (its requests carry gcs/gcd). */
export function hasConsentModeSignal(id: EntryId): boolean {
  return getEntry(id).consentModeSignal !== undefined;
}

let namer: ((host: string) => ThirdParty | null) | undefined;
/** Who is behind a host the policy does not name, from the bundled directory (its namer is built on first use). */
export function nameThirdParty(host: string): ThirdParty | null {
  return (namer ??= createThirdPartyNamer(thirdPartiesData))(host);
}

/** Match patterns for the manifest: the shop and every network-observed catalog host. */
export function hostPermissions(source: Catalog = catalog): string[] {
  const hosts = new Set<string>(source.shop.domains);
  for (const entry of source.entries) {
    for (const rule of entry.hosts) if (rule.observeBy === 'network') for (const host of ruleHosts(rule)) hosts.add(host);
  }
  // `*.example.com` already covers every subdomain: list only the outermost hosts.
  const outermost = [...hosts].filter((host) => ![...hosts].some((other) => host.endsWith(`.${other}`)));
  return outermost.sort().map((host) => `*://*.${host}/*`);
}
