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

type Send = (message: unknown) => Promise<unknown>;

/** `send`, with every report (an object: lib/messages/schema.ts, UnstampedReport) stamped with the page's start. */
export function stampedWithPageStart(send: Send, pageStart: number): Send {
  return (report) => send({ ...(report as object), pageStart });
}
