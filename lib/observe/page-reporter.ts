import { MAX_RESOURCES_PER_MESSAGE, MAX_URL_LENGTH } from '../messages/limits';
import { answeredByBackground, NO_VISIT_YET } from '../messages/answers';
import type { UnstampedReport } from '../messages/schema';

type ResourceReport = Extract<UnstampedReport, { type: 'page-resources' }>;

export interface ReporterDeps {
  /** Stamps the page's start on what it sends (lib/observe/page-start.ts). */
  send(message: ResourceReport): Promise<unknown>;
  onInvalidated(stop: () => void): void;
  /** Injected for tests; the page's own Performance API otherwise. */
  observe?: (onEntries: (entries: { name: string; initiatorType: string; startTime: number }[]) => void) => { stop(): void; take(): void };
  intervalMs?: number;
}

/** How many times a report is sent again, a tick apart, to a tab without a visit (about 3 s at 250 ms). */
const MAX_NO_VISIT_ANSWERS = 12;

/**
 * Runs in the content script on shop pages: reports every resource the page loaded from another
 * origin, including those loaded before the script started (Resource Timing's buffer). webRequest
 * sees only hosts the extension holds permission for, so this is how third parties that the policy
 * does not name become visible, without asking for access to every site.
 */
export function startResourceReporter(deps: ReporterDeps) {
  const ownOrigin = location.origin;
  const queue: ResourceReport['resources'] = [];
  let sending = false;
  let seq = 0;
  const page = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');

  /** When the page was last shown again, by its own clock: what it loaded before is its earlier visit's. */
  let shownSince = Number.NEGATIVE_INFINITY;
  const observing = (deps.observe ?? observeResourceTiming)((entries) => {
    for (const entry of entries) {
      if (entry.startTime < shownSince) continue;
      if (entry.name.startsWith(ownOrigin) || entry.name.length > MAX_URL_LENGTH) continue;
      if (!/^https?:/i.test(entry.name)) continue;
      queue.push({ url: entry.name, initiatorType: entry.initiatorType.slice(0, 40), startTime: Math.max(0, entry.startTime), seq: ++seq });
    }
  });

  /**
   * The first report goes even when empty: "nothing unnamed loaded" is then told from "no report came".
   * So does the first after the page was shown again (announceAgain), which begins its new visit: each
   * showing is a generation, and one is announced once a report sent in it was taken.
   */
  let generation = 0;
  let announced = -1;
  let noVisitAnswers = 0;
  let draining: Promise<void> = Promise.resolve();
  function drain(): Promise<void> {
    if (sending || (announced === generation && queue.length === 0)) return draining;
    sending = true;
    draining = (async () => {
      try {
        do {
          const resources = queue.slice(0, MAX_RESOURCES_PER_MESSAGE);
          const sentIn = generation;
          // No answer is not an answer: Chromium resolves a message on its way to a worker being stopped
          // with nothing (lib/messages/answers.ts), and those entries would have been dropped unread.
          const answer = await deps.send({ type: 'page-resources', page, resources });
          const answered = answeredByBackground(answer);
          // Sent again while the tab's visit has not begun, but not every tick for ever: a tab whose visit
          // never begins would keep the worker awake. After a few seconds the entries are let go, as one
          // the background could not place always were, and so is each later report at its first "no
          // visit yet", until one is saved.
          const letGo = answer === NO_VISIT_YET && ++noVisitAnswers > MAX_NO_VISIT_ANSWERS;
          if (!answered && !letGo) throw new Error('not answered');
          if (answered) noVisitAnswers = 0;
          announced = sentIn;
          // Removed only once delivered, so nothing is lost while the worker restarts.
          queue.splice(0, resources.length);
        } while (queue.length > 0 || announced !== generation);
      } catch {
        // The extension was reloaded or the worker is restarting: the next tick retries the rest.
      } finally {
        sending = false;
      }
    })();
    return draining;
  }

  // The first report goes at once, even empty: it tells the background that this page began, ahead of
  // the page's own requests (a page the shop's service worker served makes none that it sees).
  void drain();
  const timer = setInterval(() => void drain(), deps.intervalMs ?? 250);
  const flushOnHide = () => void drain();
  addEventListener('pagehide', flushOnHide);
  deps.onInvalidated(() => {
    clearInterval(timer);
    removeEventListener('pagehide', flushOnHide);
    observing.stop();
  });
  return {
    /**
     * The back/forward cache showed the page again at `sincePageClock` (lib/observe/page-start.ts,
     * watchShownAgain): its visit begins anew, and this report, sent at once even when empty, begins it.
     * Entries from before then, still queued (a report at `pagehide` that Chromium's closing channel left
     * unanswered) or handed over late, were the earlier visit's, which has ended: they are dropped, not
     * counted in the new one as if loaded at its start.
     */
    announceAgain(sincePageClock: number): void {
      shownSince = sincePageClock;
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.startTime < sincePageClock) queue.splice(i, 1);
      generation++;
      noVisitAnswers = 0;
      void drain();
    },
    /**
     * Reports everything the page has loaded so far, now, and resolves once it is delivered: the
     * background asks before it writes the log (the scan and the tests), instead of waiting a while.
     */
    async reportNow(): Promise<void> {
      observing.take();
      await draining;
      await drain();
      if (queue.length > 0) throw new Error('not delivered');
    },
  };
}

function observeResourceTiming(onEntries: (entries: PerformanceResourceTiming[]) => void) {
  const observer = new PerformanceObserver((list) => onEntries(list.getEntries() as PerformanceResourceTiming[]));
  // `buffered` hands over the entries recorded before this script ran.
  observer.observe({ type: 'resource', buffered: true });
  return {
    stop: () => observer.disconnect(),
    // Entries recorded but not yet handed to the callback (it runs when the browser likes).
    take: () => onEntries(observer.takeRecords() as PerformanceResourceTiming[]),
  };
}
