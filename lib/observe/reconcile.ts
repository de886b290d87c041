import { MAX_RECONCILED_URLS, type Reconcile } from './tab-state';

/**
 * Reconciliation, pure: webRequest's count of a URL's requests against the page's own Resource Timing
 * report. A worker stopped between two tasks loses the webRequest events handed to it; the page's
 * report (sent again until delivered) still has them.
 */

/** A short, stable key for a request URL (FNV-1a, 32 bits): enough to tell one visit's URLs apart. */
export function urlKey(url: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) {
    hash ^= url.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/**
 * The key of the log row for the `occurrence`th request to `url` that the page's report recovered: the
 * same recovery written twice is one row, and reading the log knows it from webRequest's rows by its
 * shape (lib/db/packs.ts, `recoveredOccurrence`).
 */
export const recoveredKey = (url: string, occurrence: number) => `t${urlKey(url)}:${occurrence}`;

/** Counts one more request for `url` on one side; null once reconciliation is off for the visit. */
export function tally(reconcile: Reconcile, side: 'network' | 'page', url: string): number | null {
  if (reconcile.off) return null;
  const key = urlKey(url);
  if (!(key in reconcile.network) && !(key in reconcile.page)) {
    // A flood of unique URLs: stop reconciling rather than grow without bound.
    if (reconcile.urls >= MAX_RECONCILED_URLS) {
      Object.assign(reconcile, { network: {}, page: {}, urls: 0, off: true });
      return null;
    }
    reconcile.urls++;
  }
  return (reconcile[side][key] = (reconcile[side][key] ?? 0) + 1);
}

/**
 * The page reported one more request for `url`: the occurrence to recover when webRequest saw fewer
 * (its events went to a worker that stopped before handling them), or null when none is missing.
 */
export function requestToRecover(reconcile: Reconcile, url: string): number | null {
  const onPage = tally(reconcile, 'page', url);
  if (onPage === null) return null;
  return onPage > (reconcile.network[urlKey(url)] ?? 0) ? onPage : null;
}
