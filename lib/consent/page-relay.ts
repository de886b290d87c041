import { parseJsonSafely } from './readers/util';
import { pairPageChannel } from './page-channel';

/** Longest text accepted from the page's side; a TC string is a few hundred characters. */
const MAX_DETAIL = 20_000;
/** Kinds of report kept to be told again (one per source, platform, vendor, command and origin): a dozen in practice. */
const MAX_KEPT = 32;

/**
 * Runs in the content script: passes what the MAIN-world reader posted on to the background, on the
 * event name the two agreed on before the page's scripts ran (page-channel.ts), so the page cannot
 * post it. Even so nothing here is trusted: the text is size-capped and parsed without prototype
 * keys, and the background validates the message with its zod schema.
 *
 * The latest report of each kind is kept: a page the back/forward cache shows again begins a new visit,
 * which hears what the page said before from `sendAgain` (marked `again`: said before this visit).
 */
export function relayPageConsent({ send, onInvalidated }: { send(message: unknown): Promise<unknown>; onInvalidated(stop: () => void): void }) {
  const latest = new Map<string, unknown>();
  const listener = (event: Event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return;
    const report = parseJsonSafely(detail);
    if (report === undefined) return;
    keepLatest(latest, report);
    void send({ type: 'page-consent', report }).catch(() => undefined);
  };
  let channel: string | null = null;
  pairPageChannel(document, (name) => {
    channel = name;
    document.addEventListener(name, listener);
  });
  onInvalidated(() => channel !== null && document.removeEventListener(channel, listener));
  return {
    /** Tells again the latest report of each kind, oldest first. */
    sendAgain(): void {
      for (const report of latest.values()) void send({ type: 'page-consent', report, again: true }).catch(() => undefined);
    },
  };
}

/** Keeps `report` as the latest of its kind, last in the order they came. */
function keepLatest(latest: Map<string, unknown>, report: unknown) {
  if (typeof report !== 'object' || report === null) return;
  const { source, platform, vendor, command, origin } = report as Record<string, unknown>;
  const kind = [source, platform, vendor, command, origin].map((part) => (typeof part === 'string' ? part : '')).join('|');
  latest.delete(kind);
  if (latest.size >= MAX_KEPT) latest.delete(latest.keys().next().value!);
  latest.set(kind, report);
}
