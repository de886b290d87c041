import { catalog as defaultCatalog, type Catalog } from '../catalog';
import type { TrackingIdentifier } from './types';

/**
 * The visitor ids the extension saw in the shop's cookies, in the form the trackers' owners look
 * them up by: Google Analytics knows its client id as the last two parts of `_ga`
 * (`GA1.1.<random>.<timestamp>` → `<random>.<timestamp>`); the others are used as they are.
 */
export function trackingIdentifiers(cookies: { name: string; value: string }[], catalog: Catalog = defaultCatalog): TrackingIdentifier[] {
  const found = new Map<string, TrackingIdentifier>();
  for (const cookie of cookies) {
    for (const entry of catalog.entries) {
      const rule = entry.cookies.find((r) => r.identifier && r.party === 'first' && (r.match === 'exact' ? r.name === cookie.name : cookie.name.startsWith(r.name)));
      if (!rule) continue;
      const value = cookie.name === '_ga' ? cookie.value.split('.').slice(-2).join('.') : cookie.value;
      if (value && value.length <= 512) found.set(cookie.name, { entryId: entry.id, product: entry.product, cookie: cookie.name, value });
    }
  }
  return [...found.values()];
}
