/**
 * What the background answers a content script's report with. A report counts as delivered only on
 * one of these: Chromium resolves `runtime.sendMessage` with `undefined` when the service worker is
 * stopped while the message is on its way to it (about 1 stop in 8 with messages in flight, measured
 * in Chromium 156), which is also what a listener that answers nothing gives. A report answered with
 * nothing is sent again, as one whose worker stopped before answering always was: the background
 * takes a report twice as once (the page's Resource Timing entries by their sequence numbers).
 */

/** The report was handled and the tab state it changed is saved. */
export const REPORT_SAVED = 'saved';

/**
 * The tab has no visit to take the report into yet: the page's own request has not been told to the
 * background (Firefox under load tells it late, after the page's first reports). Not an answer: the
 * report is sent again, and by then the visit has begun.
 */
export const NO_VISIT_YET = 'no-visit-yet';

/** The message was dropped (its sender or its shape was refused): sending it again changes nothing. */
export const MESSAGE_REFUSED = 'refused';

/** Whether the background really answered: saved, or refused for good. Anything else is no answer. */
export function answeredByBackground(answer: unknown): boolean {
  return answer === REPORT_SAVED || answer === MESSAGE_REFUSED;
}
