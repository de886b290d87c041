import type { Observer, RequestEvent } from './observer';

type WebExtension = typeof import('wxt/browser').browser;

/** A webRequest event as either browser hands it over: the fields the observer reads, and Firefox's names. */
type AnyRequestDetails = Omit<RequestEvent, 'body'> & {
  /** Firefox names the initiator differently. */
  originUrl?: string;
  requestBody?: { formData?: Record<string, unknown[]>; raw?: { bytes?: ArrayBuffer }[] } | null;
};

/** The first 64 kB of a request body: enough for personal data in a beacon or a form post. */
const MAX_BODY = 65_536;
const utf8 = new TextDecoder('utf-8', { fatal: false });
const UNREAD = Symbol('unread');

/**
 * The observer's event, the same on Chromium and Firefox. Its body is read as text only when the
 * observer asks for it, which it does not for a tab that shows no page of the shop (a tracker's own
 * site, whose requests the browser shows us because we hold its hosts): a 6 kB form's text took 30 µs
 * to build in Node, and such a site posts many. A class, so that the lazy `body` is one getter on the
 * prototype and not a closure made for every event.
 */
class WebRequestEvent implements RequestEvent {
  readonly requestId: string;
  readonly tabId: number;
  readonly frameId: number;
  readonly url: string;
  readonly type: string;
  readonly method: string;
  readonly timeStamp: number;
  readonly initiator: string | undefined;
  readonly statusCode: number | undefined;
  readonly error: string | undefined;
  readonly responseHeaders: RequestEvent['responseHeaders'];
  /** Chromium's, for telling a page the back/forward cache showed again by its first request (the observer's visitOfDocument). */
  readonly documentId: string | undefined;
  readonly documentLifecycle: string | undefined;
  readonly #requestBody: AnyRequestDetails['requestBody'];
  #body: string | undefined | typeof UNREAD = UNREAD;

  constructor(details: AnyRequestDetails) {
    this.requestId = details.requestId;
    this.tabId = details.tabId;
    this.frameId = details.frameId;
    this.url = details.url;
    this.type = details.type;
    this.method = details.method;
    this.timeStamp = details.timeStamp;
    this.initiator = details.initiator ?? details.originUrl;
    this.statusCode = details.statusCode;
    this.error = details.error;
    this.responseHeaders = details.responseHeaders;
    this.documentId = typeof details.documentId === 'string' ? details.documentId : undefined;
    this.documentLifecycle = typeof details.documentLifecycle === 'string' ? details.documentLifecycle : undefined;
    this.#requestBody = details.requestBody;
  }

  get body(): string | undefined {
    if (this.#body === UNREAD) this.#body = bodyText(this.#requestBody);
    return this.#body;
  }
}

export function toRequestEvent(details: AnyRequestDetails): RequestEvent {
  return new WebRequestEvent(details);
}

function bodyText(body: AnyRequestDetails['requestBody']): string | undefined {
  if (!body) return undefined;
  if (body.formData) {
    const params = new URLSearchParams();
    for (const [name, values] of Object.entries(body.formData)) for (const value of values) if (typeof value === 'string') params.append(name, value);
    return params.toString().slice(0, MAX_BODY);
  }
  const bytes = body.raw?.find((part) => part.bytes)?.bytes;
  return bytes ? utf8.decode(bytes.slice(0, MAX_BODY)) : undefined;
}

/**
 * The observer's request events, for the hosts in the manifest (`urls`). Observation only: nothing is
 * blocked or changed. `handle` queues each event behind start-up (events keep their order).
 */
export function listenToRequests(browser: WebExtension, urls: string[], observer: Observer, handle: (work: () => void) => void) {
  const filter = { urls };
  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      handle(() => observer.requestStarted(toRequestEvent(details)));
      return undefined;
    },
    filter,
    ['requestBody'],
  );
  // Chromium hides Set-Cookie from responseHeaders unless asked with 'extraHeaders' (Firefox shows it
  // and knows no such option): it is how a cookie the shop's server sets is told from a script's.
  const completedOptions = browser.webRequest.OnCompletedOptions as Record<string, string> | undefined;
  const extraHeaders = completedOptions && 'EXTRA_HEADERS' in completedOptions ? ['extraHeaders' as const] : [];
  browser.webRequest.onCompleted.addListener((details) => handle(() => observer.requestEnded(toRequestEvent(details))), filter, ['responseHeaders', ...extraHeaders]);
  browser.webRequest.onErrorOccurred.addListener((details) => handle(() => observer.requestEnded(toRequestEvent(details))), filter);
}
