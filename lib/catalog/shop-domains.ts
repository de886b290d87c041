import { domains } from './shop.json';

// Reads the raw shop profile, not the zod-parsed catalog: the content script and the popup need only
// the shop's domains, and keeping zod and the tracker data out of them keeps them small and fast.
// Named imports of the file's fields, so the bundler leaves the rest of the profile (addresses, the
// policy's sentences) out of the scripts every shop page compiles. The unit test of the catalog
// checks that this file's data passes the schema.

/** Match patterns for the shop's own pages. */
export const SHOP_MATCHES: string[] = domains.map((domain) => `*://*.${domain}/*`);

/** Whether a URL is a page of the shop (the domain itself or any subdomain, http or https). */
export function isShopUrl(url: string | undefined): boolean {
  if (!url) return false;
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
    host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return false;
  }
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}
