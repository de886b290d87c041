import { hasConsentModeSignal } from '@/lib/catalog';
import { createClassifier, createCookieMatcher, createHostingDetector } from '@/lib/classify';
import { mergeObservation } from '@/lib/db/writer';
import type { ConsentChangeRow, CookieSeen, FindingRow, LogWriter, Observation, Visit } from '@/lib/db';
import { createObserver, createTabStore, recoveriesToWaitFor, type ObserverDeps, type RequestEvent, type StorageArea } from '@/lib/observe';
import type { TabState } from '@/lib/observe/tab-state';

/** An in-memory storage area that behaves like `storage.session` (values are copied, as the browser does). */
export function memoryArea(initial: Record<string, unknown> = {}): StorageArea & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = structuredClone(initial);
  return {
    data,
    async get(keys) {
      if (keys === null || keys === undefined) return structuredClone(data);
      const list = typeof keys === 'string' ? [keys] : keys;
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
    async remove(keys) {
      for (const key of typeof keys === 'string' ? [keys] : keys) delete data[key];
    },
  };
}

export function recordingWriter() {
  const visits: Visit[] = [];
  const observations = new Map<string, Observation>();
  const cookies: CookieSeen[] = [];
  const consentChanges = new Map<string, ConsentChangeRow>();
  const findings = new Map<string, FindingRow>();
  const writer: LogWriter = {
    put(table, row) {
      if (table === 'visits') visits.push(row as Visit);
      else if (table === 'observations') {
        // As the real writer: a row with the same id is merged, the earlier one's time kept.
        const earlier = observations.get(row.id);
        observations.set(row.id, earlier ? mergeObservation(earlier, row as Observation) : (row as Observation));
      }
      else if (table === 'cookies') cookies.push(row as CookieSeen);
      else if (table === 'consentChanges') consentChanges.set(row.id, row as ConsentChangeRow);
      else findings.set(row.id, row as FindingRow);
    },
    amend(table, row) {
      this.put(table, row);
    },
    flush: async () => undefined,
    pending: () => 0,
  };
  return { ...writer, visits, observations, cookies, consentChanges, findings };
}

/** The observer over fakes; `writer` swaps in another log writer (the real one over fake-indexeddb). */
export function makeObserver<W extends ObserverDeps['writer'] = ReturnType<typeof recordingWriter>>(
  area = memoryArea(),
  extra: Pick<ObserverDeps, 'loggedRows'> & {
    writer?: W;
    /** The tab store's options beyond the fakes' (the background's `saveWith`, say). */
    storeOptions?: Parameters<typeof createTabStore>[1];
    /** As the background wires it: the tab store's saves wait for the observer's recoveries (`holdSaves`). */
    holdSavesForRecoveries?: boolean;
  } = {},
) {
  const store = createTabStore(area, {
    delayMs: 0,
    ...extra.storeOptions,
    holdSaves: extra.holdSavesForRecoveries ? () => recoveriesToWaitFor(observer) : undefined,
  });
  const writer = (extra.writer ?? recordingWriter()) as W;
  let ids = 0;
  let clock = 1_000;
  /** The visits of closed tabs that changed, in order (the background judges and logs each again). */
  const closedVisitsChanged: TabState[] = [];
  const observer = createObserver({
    classifier: createClassifier(),
    matchCookie: createCookieMatcher(),
    detectHosting: createHostingDetector(),
    hasConsentMode: hasConsentModeSignal,
    writer,
    store,
    now: () => clock,
    newId: () => `visit-${++ids}`,
    loggedRows: extra.loggedRows,
    closedVisitChanged: (state) => closedVisitsChanged.push(state),
  });
  return { observer, store, writer, area, closedVisitsChanged, tick: (ms: number) => (clock += ms), now: () => clock };
}

let requestIds = 0;
export function request(url: string, overrides: Partial<RequestEvent> = {}): RequestEvent {
  return {
    requestId: String(++requestIds),
    tabId: 7,
    frameId: 0,
    url,
    type: 'script',
    method: 'GET',
    timeStamp: 2_000 + requestIds,
    ...overrides,
  };
}

export const CLOUDFRONT_HEADERS = [
  { name: 'x-amz-cf-id', value: 'abc' },
  { name: 'via', value: '1.1 a.cloudfront.net (CloudFront)' },
];
