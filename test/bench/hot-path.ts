/**
 * The background's hot path, set up as the worker runs it: the observer with the bundled catalog's
 * classifier, cookie matcher and hosting detector, a visit open on the shop, and a writer and a tab
 * store that only hold what they are given. Each request of the corpus is one `requestStarted`:
 * classify, Consent Mode, personal data, the promises' parameters, count, queue for the log.
 *
 * bench.ts runs it in Node and, bundled (hot-path-in-worker.ts), in Chromium's service worker: the
 * browser's own objects (URLSearchParams, say) cost there what they cost a customer, not what
 * Node's implementation of them costs.
 */
import { hasConsentModeSignal } from '../../lib/catalog';
import { createClassifier, createCookieMatcher, createHostingDetector } from '../../lib/classify';
import type { LogWriter } from '../../lib/db';
import { createObserver, createTabStore, judgeTab } from '../../lib/observe';
import { buildCorpus } from './corpus';

export function hotPath(size = 20_000) {
  const queued: unknown[] = [];
  const writer: LogWriter = { put: (_t, row) => void queued.push(row), amend: (_t, row) => void queued.push(row), flush: async () => undefined, pending: () => queued.length };
  const area = { get: async () => ({}), set: async () => undefined, remove: async () => undefined };
  const store = createTabStore(area, { delayMs: 1e9 });
  const observer = createObserver({ classifier: createClassifier(), matchCookie: createCookieMatcher(), detectHosting: createHostingDetector(), hasConsentMode: hasConsentModeSignal, writer, store, now: Date.now, newId: () => 'v' });
  observer.requestStarted({ requestId: '0', tabId: 1, frameId: 0, url: 'https://www.mijnliefsteboek.nl/', type: 'main_frame', method: 'GET', timeStamp: 1 });
  const corpus = buildCorpus(size, 7).filter((u) => !u.includes('mijnliefsteboek'));
  let sent = 0;
  return {
    corpus,
    /** The corpus's requests `from` to `to` (exclusive), each handed to the observer as webRequest would. */
    request(from: number, to: number) {
      for (let i = from; i < to; i++) observer.requestStarted({ requestId: String(++sent), tabId: 1, frameId: 0, url: corpus[i]!, type: 'image', method: 'GET', timeStamp: 10 + sent });
    },
    judge: () => judgeTab(store.get(1)!, null),
    kept: () => store.get(1)!.requests.length,
    // Its 1e9 ms timer would keep Node running after the bench's last line.
    close: () => void store.flush(),
  };
}
