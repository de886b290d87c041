import { parseJsonSafely } from './readers/util';
import { PAGE_CONSENT_EVENT } from './page-reader';

/** Longest text accepted from the page's side; a TC string is a few hundred characters. */
const MAX_DETAIL = 20_000;

/**
 * Runs in the content script: passes what the MAIN-world reader posted on to the background. The
 * page can post the same event itself, so nothing here is trusted: the text is size-capped and
 * parsed without prototype keys, and the background validates the message with its zod schema.
 */
export function relayPageConsent({ send, onInvalidated }: { send(message: unknown): Promise<unknown>; onInvalidated(stop: () => void): void }) {
  const listener = (event: Event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return;
    const report = parseJsonSafely(detail);
    if (report === undefined) return;
    void send({ type: 'page-consent', report }).catch(() => undefined);
  };
  document.addEventListener(PAGE_CONSENT_EVENT, listener);
  onInvalidated(() => document.removeEventListener(PAGE_CONSENT_EVENT, listener));
}
