import type { BannerState } from './model';
import { PLATFORM_SIGNATURES } from './platforms/signatures';

/**
 * How each consent banner shows itself in the page: its root elements, from each platform's signature
 * (lib/consent/platforms, as autoconsent and Consent-O-Matic match them). The first visible one
 * counts as "showing".
 */
export const BANNER_SELECTORS: Partial<Record<Exclude<BannerState['cmp'], 'tcf'>, readonly string[]>> = Object.fromEntries(
  PLATFORM_SIGNATURES.filter((s) => s.selectors.length > 0).map((s) => [s.platform, s.selectors]),
);

type BannerCmp = keyof typeof BANNER_SELECTORS;

export interface BannerWatchDeps {
  report(cmp: BannerCmp, showing: boolean): void;
  onInvalidated(stop: () => void): void;
  /** Injected for tests; the page's document otherwise. */
  root?: Document;
}

/**
 * Runs in the content script: reports when a known banner appears, and when it goes (answered).
 * Only changes are reported, and DOM mutations are looked at no more than four times a second.
 */
export function watchConsentBanners(deps: BannerWatchDeps) {
  const root = deps.root ?? document;
  const last = new Map<BannerCmp, boolean>();
  let scheduled = false;

  function check() {
    scheduled = false;
    for (const [cmp, selectors] of Object.entries(BANNER_SELECTORS) as [BannerCmp, readonly string[]][]) {
      const elements = selectors.map((s) => root.querySelector<HTMLElement>(s)).filter((e) => e !== null);
      if (elements.length === 0 && !last.has(cmp)) continue;
      const showing = elements.some(isVisible);
      if (last.get(cmp) !== showing) {
        last.set(cmp, showing);
        deps.report(cmp, showing);
      }
    }
  }

  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(check, 250);
  });
  const start = () => {
    observer.observe(root.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class', 'hidden'] });
    check();
  };
  if (root.documentElement) start();
  deps.onInvalidated(() => observer.disconnect());
  /** Looks now, rather than at the next throttled mutation (the background asks before it writes the log). */
  return { checkNow: check };
}

function isVisible(element: HTMLElement): boolean {
  if (!element.isConnected || element.hidden) return false;
  const style = getComputedStyle(element);
  return style.display !== 'none' && style.visibility !== 'hidden' && element.getClientRects().length > 0;
}
