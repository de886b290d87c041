import type { RequestEvent } from './observer';
import type { TabState } from './tab-state';
import { CLOSED_PAGE_MS, withoutFragment } from './worker-requests';

/**
 * The shop pages tabs left a moment ago, for the shop's next page or another site, whose last hits
 * still belong to their visits: GA4 flushes its batch in `pagehide`, and an outbound click is sent
 * while the next page's request is on its way. Those come once the tab's visit is the next page's, or
 * none (a payment page's request ended the checkout's visit before they came).
 *
 * What each browser says of such a request (measured with the built extension, tagging.e2e.ts):
 * Chromium names its document and that document's state, `active` while the page is still shown and
 * `pending_deletion` as it goes. Firefox gives every request the address of its page (`originUrl`),
 * which the next page's requests do not have; it names a beacon's document, but not always by the id
 * its reports name. Both name the document a content script's report comes from.
 */

/** How long after the navigation that left it arrived a page may still send as it goes: its `pagehide` runs as the next page commits. */
export const LEAVING_MS = 1_000;
/** Pages kept per tab: a page, the shop's redirect after it, and a little more. */
const MAX_PER_TAB = 4;
/** Tabs with pages kept: more than a customer leaves pages in, in ten seconds. */
const MAX_TABS = 20;

interface LeftPage {
  state: TabState;
  /** The page's document, where its reports named it. */
  documentId: string | undefined;
  /** The page's address without its fragment, as Firefox's `originUrl` names it. */
  address: string;
  /** When it was left, by the worker's clock: it is kept CLOSED_PAGE_MS. */
  leftAt: number;
  /** The tab's navigation that left it, while that request is on its way. */
  navigation: string | undefined;
  /**
   * Until when (the browser's clock, by which requests are dated) the page may still be shown or going:
   * open while the navigation is on its way, LEAVING_MS after it arrived. After that, the page's
   * document active again is the page the back/forward cache showed again, a new visit's.
   */
  goingUntil: number;
}

export interface LeftPages {
  /**
   * The tab's visit is over: its page was left at `at` (the browser's clock), by the navigation
   * `navigation` if one was seen, its document `documentId` if its reports named it.
   */
  left(state: TabState, options: { documentId: string | undefined; navigation: string | undefined; at: number }): void;
  /** The tab's navigation arrived at `at`: the pages it left are going. */
  arrived(requestId: string, at: number): void;
  /**
   * The visit of the left page that sent this request of a tab whose visit now is `current` (or none),
   * if any. A page of the same address as the tab's current one (a reload) is not told apart from it in
   * Firefox: such a request stays the current visit's.
   */
  sentBy(event: RequestEvent, current: TabState | undefined): TabState | undefined;
  /**
   * The visit of the left page whose document made a report that came after the tab's visit moved
   * on: its Resource Timing lists the last hits this visit counted, not the next page's.
   */
  ofDocument(tabId: number, documentId: string): TabState | undefined;
  /** The tab closed: its left page still shown or going, if any, whose last hits are then a closed page's. All of its pages are forgotten. */
  closed(tabId: number, at: number): TabState | undefined;
  clear(): void;
}

export function createLeftPages(now: () => number): LeftPages {
  const byTab = new Map<number, LeftPage[]>();

  /** The tab's pages still kept, newest last; none once the worker's clock went back. */
  function kept(tabId: number): LeftPage[] | undefined {
    const pages = byTab.get(tabId);
    if (pages === undefined) return undefined;
    const at = now();
    while (pages.length > 0 && (at - pages[0]!.leftAt > CLOSED_PAGE_MS || at < pages[0]!.leftAt)) pages.shift();
    if (pages.length > 0) return pages;
    byTab.delete(tabId);
    return undefined;
  }

  function sentByPage(page: LeftPage, event: RequestEvent, current: TabState | undefined): boolean {
    if (event.documentLifecycle !== undefined) {
      if (event.documentId === undefined || event.documentId !== page.documentId) return false;
      return event.documentLifecycle !== 'active' || event.timeStamp <= page.goingUntil;
    }
    // Firefox: by the page's address. Its id of a beacon's document is not always the one its reports
    // name (in 3 of 7 runs beside other end-to-end tests, a checkout's beacons named another).
    if (event.timeStamp > page.goingUntil) return false;
    return isAddress(event.initiator, page.address) && (current === undefined || !isAddress(current.url, page.address));
  }

  return {
    left(state, { documentId, navigation, at }) {
      const pages = kept(state.tabId) ?? [];
      pages.push({ state, documentId, address: withoutFragment(state.url), leftAt: now(), navigation, goingUntil: navigation === undefined ? at + LEAVING_MS : Number.POSITIVE_INFINITY });
      if (pages.length > MAX_PER_TAB) pages.shift();
      byTab.delete(state.tabId);
      byTab.set(state.tabId, pages);
      if (byTab.size > MAX_TABS) byTab.delete(byTab.keys().next().value!);
    },
    arrived(requestId, at) {
      for (const pages of byTab.values()) {
        for (const page of pages) {
          if (page.navigation !== requestId) continue;
          page.navigation = undefined;
          page.goingUntil = at + LEAVING_MS;
        }
      }
    },
    sentBy(event, current) {
      const pages = kept(event.tabId);
      if (pages === undefined) return undefined;
      for (let i = pages.length - 1; i >= 0; i--) {
        const page = pages[i]!;
        if (page.state.visitId !== current?.visitId && sentByPage(page, event, current)) return page.state;
      }
      return undefined;
    },
    ofDocument(tabId, documentId) {
      const pages = kept(tabId);
      if (pages === undefined) return undefined;
      for (let i = pages.length - 1; i >= 0; i--) if (pages[i]!.documentId === documentId) return pages[i]!.state;
      return undefined;
    },
    closed(tabId, at) {
      const newest = kept(tabId)?.at(-1);
      byTab.delete(tabId);
      return newest !== undefined && newest.goingUntil >= at ? newest.state : undefined;
    },
    clear() {
      byTab.clear();
    },
  };
}

/** Whether `url` is the page at `address` (an address without its fragment), fragment or not; read without a copy for the usual miss. */
function isAddress(url: string | undefined, address: string): boolean {
  if (url === undefined || !url.startsWith(address)) return false;
  return url.length === address.length || url.charCodeAt(address.length) === 35; /* # */
}
