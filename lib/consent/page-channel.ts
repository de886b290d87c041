/**
 * The MAIN-world reader and the content script share the page's DOM but no JavaScript, so the
 * reader's findings travel as a DOM event, which the page can dispatch too. To make that event one
 * the page cannot forge, the two agree on a secret event name before any of the page's own scripts
 * runs: both are `document_start` scripts, which run once the document element exists and before
 * anything the page loads (https://developer.chrome.com/docs/extensions/reference/manifest/content-scripts#run_time).
 *
 * Whichever runs first listens for a hello and says hello itself (nobody hears it); the second does
 * the same, the first hears its token and answers with its own, and both stop listening. All of it
 * happens inside one synchronous `dispatchEvent`, before the page can listen. The channel's name is
 * made of both tokens, so neither side alone decides it.
 *
 * If one of the two scripts never runs, the other goes on listening, and a page script could pair
 * with it: that is the unpaired relay believing the page, no worse than having no channel.
 */
export const PAGE_CHANNEL_HELLO = 'privacy-lens:page-channel-hello';
export const PAGE_CONSENT_EVENT = 'privacy-lens:page-consent';

const TOKEN = /^[0-9a-f]{32}$/;

export interface ChannelDom {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  dispatchEvent(event: Event): boolean;
}

/** 128 random bits as hex. */
export function channelToken(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return [...random(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Pairs with the other side; `onPaired` gets the secret event name, once. `dispatch` and `Custom`
 * are passed in so that the MAIN world can hand over the originals it saved before the page ran.
 */
export function pairPageChannel(
  target: ChannelDom,
  onPaired: (eventName: string) => void,
  {
    token = channelToken(),
    dispatch = (event: Event) => target.dispatchEvent(event),
    Custom = CustomEvent,
  }: { token?: string; dispatch?: (event: Event) => unknown; Custom?: typeof CustomEvent } = {},
): void {
  let paired = false;
  const hello = () => dispatch(new Custom(PAGE_CHANNEL_HELLO, { detail: token }));
  const listener = (event: Event) => {
    const other: unknown = (event as CustomEvent<unknown>).detail;
    if (paired || typeof other !== 'string' || other === token || !TOKEN.test(other)) return;
    paired = true;
    target.removeEventListener(PAGE_CHANNEL_HELLO, listener);
    // The other side said hello second, so it has not heard ours: answer it.
    hello();
    onPaired(`${PAGE_CONSENT_EVENT}:${[token, other].sort().join(':')}`);
  };
  target.addEventListener(PAGE_CHANNEL_HELLO, listener);
  hello();
}
