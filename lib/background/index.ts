import type { Browser } from 'wxt/browser';
import { catalog, hostPermissions } from '../catalog';
import { classifier as sharedClassifier, createCookieMatcher, createHostingDetector } from '../classify';
import { createLogWriter, openLog } from '../db';
import { createMessageRouter, type Sender } from '../messages';
import { badgeFor, createObserver, createTabStore, type RequestEvent } from '../observe';

type WebExtension = typeof import('wxt/browser').browser;

/**
 * Builds the background from its parts and registers every listener synchronously, as MV3 asks:
 * a service worker woken by an event must have its listener in place before its first await.
 * Events are then handled in order once the saved per-tab state is back (`store.ready`).
 */
export function startBackground(browser: WebExtension) {
  const classifier = sharedClassifier();
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  const store = createTabStore(browser.storage.session ?? browser.storage.local, {
    onChange(tabId, state) {
      const badge = badgeFor(state);
      // A tab may be gone by the time its badge is written; that is not an error worth a log line.
      action.setBadgeText({ tabId, text: badge.text }).catch(() => undefined);
      action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(() => undefined);
    },
  });
  const writer = createLogWriter(openLog());
  const observer = createObserver({
    classifier,
    matchCookie: createCookieMatcher(),
    detectHosting: createHostingDetector(),
    writer,
    store,
    now: Date.now,
    newId: () => crypto.randomUUID(),
    snapshotCookies(tabId, visitId) {
      void Promise.all(catalog.shop.domains.map((domain) => browser.cookies.getAll({ domain })))
        .then((lists) => whenReady(() => observer.cookiesPresent(tabId, visitId, lists.flat())))
        .catch(() => undefined);
    },
  });

  function whenReady(handle: () => void) {
    // Promise callbacks run in the order they were attached, so events keep their order.
    void store.ready.then(handle).catch((error) => console.error('privacy-lens: event failed', error));
  }

  const filter = { urls: hostPermissions() };
  browser.webRequest.onBeforeRequest.addListener((details) => {
    whenReady(() => observer.requestStarted(toRequestEvent(details)));
    return undefined;
  }, filter);
  browser.webRequest.onCompleted.addListener((details) => whenReady(() => observer.requestEnded(toRequestEvent(details))), filter, ['responseHeaders']);
  browser.webRequest.onErrorOccurred.addListener((details) => whenReady(() => observer.requestEnded(toRequestEvent(details))), filter);
  browser.cookies.onChanged.addListener(({ removed, cause, cookie }) =>
    whenReady(() => observer.cookieChanged({ removed, cause, name: cookie.name, domain: cookie.domain, value: cookie.value })),
  );
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.status === 'loading') whenReady(() => observer.tabNavigated(tabId, change.url ?? tab.url, Date.now()));
  });
  browser.tabs.onRemoved.addListener((tabId) => whenReady(() => observer.tabRemoved(tabId)));

  const router = createMessageRouter({
    extensionId: browser.runtime.id,
    extensionBaseUrl: browser.runtime.getURL('/'),
    isShopUrl: (url) => classifier.classifyUrl(url).party === 'shop',
    onContent(tabId, message) {
      if (message.type === 'page-resources') whenReady(() => observer.pageResources(tabId, message.resources));
    },
    onExtensionPage: async () => undefined,
    onDrop: (diagnostics) => void browser.storage.session?.set({ diagnostics }).catch(() => undefined),
    now: Date.now,
  });
  browser.runtime.onMessage.addListener((message: unknown, sender: Sender) => router.route(message, sender));

  return {
    ready: store.ready,
    /** Writes everything queued now (tests and the scan read the log right after a page settles). */
    flush: () => Promise.all([writer.flush(), store.flush()]).then(() => undefined),
    diagnostics: router.diagnostics,
  };
}

interface AnyRequestDetails {
  requestId: string;
  tabId: number;
  frameId: number;
  url: string;
  type: string;
  method: string;
  timeStamp: number;
  initiator?: string;
  statusCode?: number;
  error?: string;
  responseHeaders?: Browser.webRequest.HttpHeader[];
  /** Firefox names the initiator differently. */
  originUrl?: string;
}

function toRequestEvent(details: AnyRequestDetails): RequestEvent {
  return {
    requestId: details.requestId,
    tabId: details.tabId,
    frameId: details.frameId,
    url: details.url,
    type: details.type,
    method: details.method,
    timeStamp: details.timeStamp,
    initiator: details.initiator ?? details.originUrl,
    statusCode: details.statusCode,
    error: details.error,
    responseHeaders: details.responseHeaders,
  };
}
