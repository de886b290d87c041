/**
 * Which tab a service worker's request is for. Both browsers give such a request no tab (-1): a worker
 * serves every page of its origin at once. Google's tag sends its hits through one where it can (since
 * March 2025 GA4 to a server-side container, through a worker on the tagging server's own host; since
 * 2024 Google Ads' form and user data, through a worker on www.googletagmanager.com). The page loads an
 * iframe, `…/service_worker/<version>/sw_iframe.html`, which installs the worker and hands it the page's
 * hits; the worker sends them, and the page's own Resource Timing never holds them. Only the
 * hosts the extension holds are shown to it at all: the tagging server's, and of Google's, those in the
 * manifest (doubleclick.net, googleadservices.com), not www.google.com, which the catalog sees through
 * the page's own Resource Timing, where a worker's requests never are.
 *
 * Such a hit is the page's all the same, and it says which page: GA4 names it in `dl`, Google Ads in
 * `url`. So a worker's request is taken for a tab only when the worker is the shop's own (any of its
 * hosts) or Google's tag's, and
 * - it names a page of the shop: the tab showing that page (the same address before its `#`, else the
 *   same path), the latest visit where two show it; where none shows it (a page the shop's script
 *   renamed, or one just left), the latest visit of the shop, which is most likely where it came from;
 * - it names no page, and the worker is the shop's: the latest visit of the shop.
 * A page sends its last hits as its tab closes (keepalive fetches and beacons in `pagehide`: GA4's, Meta's,
 * UET's), and both browsers show those with no tab too, the page's own origin as their initiator, as a
 * worker's of the shop's would be (measured in Chromium 156 and Firefox ESR). Such a hit is the closed
 * page's: for a moment after a shop tab closed, a hit that names the page it showed (and no open tab
 * shows that page as closely), or names none and comes from that page's host, is that closed page's
 * (its visit's, whose tab is gone), not another tab's.
 * A hit that names another site's page is that site's (Google's worker on googletagmanager.com serves
 * every site a customer visits), and a worker of someone else's is never ours to place. The page a hit
 * names is what the page's own script said: a site that named a shop page in its own Google hits would
 * be taken at its word, which no page has reason to do.
 */

import { readQuery } from '../classify/query';
import { cutUrl } from '../classify/url';

/** Where Google's tag keeps the worker it sends Google Ads' hits through. */
const GOOGLE_TAG_WORKER_ORIGIN = 'https://www.googletagmanager.com';

/** The page a Google hit names: GA4's document location, Google Ads' page address. */
const PAGE_PARAMETERS = ['dl', 'url'] as const;

export interface ShopVisit {
  tabId: number;
  url: string;
  startedAt: number;
}

/** A shop page whose tab closed a moment ago (CLOSED_PAGE_MS): its last hits come with no tab. */
export interface ClosedPage {
  url: string;
  closedAt: number;
}

/** How long after a shop tab closed a tabless hit may still be its page's last (keepalive) hit. */
export const CLOSED_PAGE_MS = 10_000;

/** The tab of a tabless request; a closed page: its last hit (the latest of the pages that fit); undefined: none of ours. */
export function tabOfWorkerRequest<Closed extends ClosedPage>(url: string, initiator: string | undefined, visits: readonly ShopVisit[], isShopPage: (url: string) => boolean, justClosed: readonly Closed[] = []): number | Closed | undefined {
  if (!initiator) return undefined;
  const fromShop = isShopPage(initiator);
  if (!fromShop && !isGoogleTagWorker(initiator)) return undefined;
  const page = namedPage(url);
  if (page === undefined ? !fromShop : !isShopPage(page)) return undefined;
  if (justClosed.length > 0) {
    if (page === undefined) {
      // Chromium names the initiator's origin, Firefox the page's (or a worker script's) address.
      const from = cutUrl(initiator)?.host;
      const closed = from === undefined ? undefined : justClosed.findLast((closed) => cutUrl(closed.url)?.host === from);
      if (closed) return closed;
    } else {
      let closest: Closed | undefined;
      let closestScore = 0;
      // Newest last: of two closed pages as like it, the later.
      for (const closed of justClosed) {
        const score = likeness(closed.url, page);
        if (score >= 1 && score >= closestScore) [closest, closestScore] = [closed, score];
      }
      if (closest && !visits.some((visit) => likeness(visit.url, page) >= closestScore)) return closest;
    }
  }
  let best: ShopVisit | undefined;
  let bestScore = -1;
  for (const visit of visits) {
    const score = page === undefined ? 0 : likeness(visit.url, page);
    if (score > bestScore || (score === bestScore && best !== undefined && visit.startedAt > best.startedAt)) {
      best = visit;
      bestScore = score;
    }
  }
  return best?.tabId;
}

/** 2: the same address but for its fragment; 1: the same origin and path; 0: another page of the shop. */
function likeness(visited: string, named: string): number {
  const a = withoutFragment(visited);
  const b = withoutFragment(named);
  if (a === b) return 2;
  const query = (s: string) => (s.indexOf('?') < 0 ? s.length : s.indexOf('?'));
  return a.slice(0, query(a)) === b.slice(0, query(b)) ? 1 : 0;
}

/** The address without its fragment (the part a page's requests and reports do not agree on). */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

function namedPage(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const params = readQuery(url.slice(q + 1));
  for (const name of PAGE_PARAMETERS) {
    const page = params.get(name);
    if (page) return page;
  }
  return undefined;
}

/** Chromium names the worker's origin, Firefox its script's address. */
function isGoogleTagWorker(initiator: string): boolean {
  return initiator === GOOGLE_TAG_WORKER_ORIGIN || initiator.startsWith(`${GOOGLE_TAG_WORKER_ORIGIN}/`);
}
