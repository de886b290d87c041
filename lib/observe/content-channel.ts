/**
 * The content script's side of its messages to the background. No zod here: the content script runs
 * on every shop page and stays small; what it receives is only ever the extension's own question.
 */

import { answeredByBackground } from '../messages/answers';

type Send = (message: unknown) => Promise<unknown>;

/** Tries a report this many times, waiting longer each time: a worker that restarts takes a moment. */
const ATTEMPTS = 5;
const FIRST_WAIT_MS = 200;

/**
 * Sends a report until the background answers it (it answers once the state the report changed is
 * saved), so a banner or consent report handed to a worker that stopped before saving is sent again,
 * not lost; so is one answered with nothing, which is how Chromium ends a message on its way to a
 * worker being stopped (lib/messages/answers.ts). Gives up quietly after a few tries: the extension may
 * be gone.
 */
export async function sendReliably(send: Send, message: unknown): Promise<void> {
  for (let attempt = 0, wait = FIRST_WAIT_MS; attempt < ATTEMPTS; attempt++, wait *= 2) {
    const answered = await send(message).then(answeredByBackground, () => false);
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/**
 * A page's banner and consent reports, each sent until the background has saved it (sendReliably), and
 * those still on their way. "Report now" is answered only once they have arrived too: its answer
 * travels apart from them and can reach the background first, which then writes the log without them
 * (a banner first seen when the background asked read as "no banner", its trackers as "unknown").
 */
export function createReportSender(send: Send) {
  const onTheirWay = new Set<Promise<void>>();
  return {
    send(message: unknown): Promise<void> {
      const delivery: Promise<void> = sendReliably(send, message).finally(() => onTheirWay.delete(delivery));
      onTheirWay.add(delivery);
      return delivery;
    },
    /** Resolves once every report sent so far has been saved, or given up on (sendReliably's tries are bounded). */
    delivered: (): Promise<void> => Promise.all(onTheirWay).then(() => undefined),
  };
}

interface RuntimeLike {
  runtime: { id?: string; onMessage: { addListener(listener: (message: unknown, sender: { id?: string }) => Promise<unknown> | undefined): void } };
}

/** The background's "report now": answered once everything the page has to report is delivered. */
export function answerReportNow(browser: RuntimeLike, reportNow: () => Promise<void>) {
  browser.runtime.onMessage.addListener((message, sender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'report-now') return undefined;
    return reportNow().then(() => true);
  });
}
