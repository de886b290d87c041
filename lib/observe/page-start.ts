/**
 * When the page a content script runs in began, by the machine's clock: its navigation's start (the
 * page's time origin), read against the clock once, as the script starts. Later the machine may have
 * slept, and the page's clock, which stops then, would no longer say it. A document served as the first
 * of its window dates from the window's creation instead: earlier, which only ever keeps a report with
 * the visit the tab already has, as before.
 *
 * Every report carries it. The background tells by it a page whose own request it never saw (one the
 * shop's service worker served: Chromium's webRequest does not show such a navigation) from the page the
 * tab's visit began with (lib/observe/observer.ts, visitOfPage).
 */
export function pageStartedAt(now = Date.now(), sinceOrigin = performance.now()): number {
  return now - sinceOrigin;
}

/**
 * A page's moments, as its reports tell them: when it began, and when the back/forward cache last
 * showed it again, if it did. Resource Timing still counts from the first; the page's visit begins at
 * the second.
 */
export interface PageTimes {
  start: number;
  shownAgainAt?: number;
  /** When a prerendered page was shown (sendWhenShown). */
  shownAt?: number;
}

type Send = (message: unknown) => Promise<unknown>;

/** A report (an object: lib/messages/schema.ts, UnstampedReport) stamped with the page's moments as they are now. */
export function stamped(report: unknown, page: PageTimes): object {
  return {
    ...(report as object),
    pageStart: page.start,
    ...(page.shownAgainAt === undefined ? {} : { shownAgainAt: page.shownAgainAt }),
    ...(page.shownAt === undefined ? {} : { shownAt: page.shownAt }),
  };
}

/**
 * `send`, held while the page is prerendered: the shop's speculation rules had the browser load it
 * unseen, the customer may never go there, and until shown its messages come from a frame the
 * background does not take (Chromium 156 gives it a frame id of its own). Once shown
 * (`prerenderingchange`) the moment is noted in `page.shownAt`, and each report held, or made since,
 * says so: the page's visit begins then, with what it loaded unseen. A page not prerendered sends at once.
 */
export function sendWhenShown(send: Send, page: PageTimes, doc: PrerenderingDocument = document as PrerenderingDocument): Send {
  if (!doc.prerendering) return send;
  const shown = new Promise<void>((resolve) => {
    doc.addEventListener(
      'prerenderingchange',
      () => {
        page.shownAt = Date.now();
        resolve();
      },
      { once: true },
    );
  });
  return (message) => shown.then(() => send(isReport(message) ? { ...message, shownAt: page.shownAt } : message));
}

/** `document.prerendering` is newer than TypeScript's DOM types. */
type PrerenderingDocument = Pick<Document, 'addEventListener'> & { prerendering?: boolean };

/** A report stamped with its page's moments (`stamped`), as opposed to a question such as the form filler's. */
function isReport(message: unknown): message is object {
  return typeof message === 'object' && message !== null && 'pageStart' in message;
}

/**
 * `send`, with every report stamped as it leaves: the resource reporter's, whose entries from before the
 * page was shown again are dropped (page-reporter.ts, announceAgain), so what it sends since is the new
 * showing's. A banner or consent report is stamped when it is made instead (`stamped`): one sent again
 * after the page was shown again still says it was made before.
 */
export function stampedWithPageStart(send: Send, page: PageTimes): Send {
  return (report) => send(stamped(report, page));
}

/**
 * The back/forward cache shows a page again without loading it: the browser makes no request the
 * background could see, and the page's scripts and ours carry on where they stopped. `pageshow` with
 * `persisted` is the one sign of it. Notes the moment in `page`, then calls `onShownAgain` with it by
 * the page's own clock (what Resource Timing counts in); returns the way to stop listening.
 */
export function watchShownAgain(
  page: PageTimes,
  onShownAgain: (sincePageClock: number) => void,
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> = window,
  pageClock: () => number = () => performance.now(),
): () => void {
  const listener = (event: Event) => {
    if (!(event as PageTransitionEvent).persisted) return;
    page.shownAgainAt = Date.now();
    onShownAgain(pageClock());
  };
  target.addEventListener('pageshow', listener);
  return () => target.removeEventListener('pageshow', listener);
}
