import { parseJsonSafely } from './readers/util';
import { pairPageChannel } from './page-channel';

/** Longest text accepted from the page's side; a TC string is a few hundred characters. */
const MAX_DETAIL = 20_000;

/**
 * Runs in the content script: passes what the MAIN-world reader posted on to the background, on the
 * event name the two agreed on before the page's scripts ran (page-channel.ts), so the page cannot
 * post it. Even so nothing here is trusted: the text is size-capped and parsed without prototype
 * keys, and the background validates the message with its zod schema.
 */
export function relayPageConsent({ send, onInvalidated }: { send(message: unknown): Promise<unknown>; onInvalidated(stop: () => void): void }) {
  const listener = (event: Event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return;
    const report = parseJsonSafely(detail);
    if (report === undefined) return;
    void send({ type: 'page-consent', report }).catch(() => undefined);
  };
  let channel: string | null = null;
  pairPageChannel(document, (name) => {
    channel = name;
    document.addEventListener(name, listener);
  });
  onInvalidated(() => channel !== null && document.removeEventListener(channel, listener));
}
