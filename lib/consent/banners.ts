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

/** DOM mutations are looked at no more often than this. */
const CHECK_SPACING_MS = 250;

export interface BannerWatchDeps {
  /** `at`: when it was seen (the machine's clock), which the background's hearing of it can follow late. */
  report(cmp: BannerCmp, showing: boolean, at: number): void;
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
  /** The next look, once one is asked for; cleared when the extension goes. */
  let nextLook: ReturnType<typeof setTimeout> | undefined;

  function check() {
    // A look asked for now (checkNow) takes the place of one that was waiting.
    clearTimeout(nextLook);
    nextLook = undefined;
    for (const [cmp, selectors] of Object.entries(BANNER_SELECTORS) as [BannerCmp, readonly string[]][]) {
      const elements = selectors.map((s) => root.querySelector<HTMLElement>(s)).filter((e) => e !== null);
      if (elements.length === 0 && !last.has(cmp)) continue;
      const showing = elements.some(isVisible);
      if (last.get(cmp) !== showing) {
        last.set(cmp, showing);
        deps.report(cmp, showing, Date.now());
      }
    }
  }

  const checkSoon = (ms = CHECK_SPACING_MS) => {
    if (nextLook !== undefined) return;
    nextLook = setTimeout(check, ms);
  };
  // Made when it starts observing, not at document_start, where the page's parser waits for this
  // script: a world's first use of a DOM interface has a cost of its own (BENCHMARKS.md, 17th stop).
  let observer: MutationObserver | undefined;
  const observe = () => {
    observer = new MutationObserver(() => checkSoon());
    observer.observe(root.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class', 'hidden'] });
  };
  let stopped = false;
  let whileLoading: ReturnType<typeof setInterval> | undefined;
  let onLoaded = () => {};
  if (root.readyState !== 'complete') {
    // Observed only once the page has loaded: until then every node the parser inserts would be a
    // mutation for the browser to record and hand over, and the observer's registration itself (1 ms
    // of the page's thread, 2-4 ms of its wall clock here, BENCHMARKS.md) would hold up the page's
    // load event. While it loads, a look every spacing instead, from about the parser's first
    // insertion (when this script runs), which is when the observer's first look came. On most pages
    // loading is over before then.
    const startedAt = performance.now();
    whileLoading = setInterval(check, CHECK_SPACING_MS);
    onLoaded = () => {
      if (root.readyState !== 'complete') return;
      root.removeEventListener('readystatechange', onLoaded);
      clearInterval(whileLoading);
      // A task later: "complete" comes in the task that fires the page's load event, before it.
      setTimeout(() => {
        if (stopped) return;
        observe();
        // The next look keeps the rhythm of the looks while loading: at most one spacing from now.
        checkSoon(CHECK_SPACING_MS - ((performance.now() - startedAt) % CHECK_SPACING_MS));
      });
    };
    root.addEventListener('readystatechange', onLoaded);
  } else if (root.documentElement) {
    observe();
    check();
  }
  deps.onInvalidated(() => {
    stopped = true;
    clearInterval(whileLoading);
    clearTimeout(nextLook);
    root.removeEventListener('readystatechange', onLoaded);
    observer?.disconnect();
  });
  return {
    /** Looks now, rather than at the next throttled mutation (the background asks before it writes the log). */
    checkNow: check,
    /** Reports every banner on the page as it is now, changed or not: the page's new visit has heard of none. */
    reportAgain() {
      last.clear();
      check();
    },
  };
}

/**
 * Shown: the element has a box, and is not `visibility: hidden`, as the browser itself decides it.
 * `checkVisibility` needs the page's style, not its layout, as reading the element's boxes
 * (`getClientRects`) did. `checkVisibilityCSS` is the option's name before Chrome 121 (the MAIN world,
 * and so this extension, needs Chrome 111).
 */
function isVisible(element: HTMLElement): boolean {
  return element.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true });
}
