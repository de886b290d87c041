import { createClassifier, createCookieMatcher, createHostingDetector } from '@/lib/classify';
import type { CookieSeen, LogWriter, Observation, Visit } from '@/lib/db';
import { createObserver, createTabStore, type RequestEvent, type StorageArea } from '@/lib/observe';

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

export function recordingWriter(): LogWriter & { visits: Visit[]; observations: Map<string, Observation>; cookies: CookieSeen[] } {
  const visits: Visit[] = [];
  const observations = new Map<string, Observation>();
  const cookies: CookieSeen[] = [];
  return {
    visits,
    observations,
    cookies,
    visit: (v) => void visits.push(v),
    observation: (o) => void observations.set(o.id, o),
    cookie: (c) => void cookies.push(c),
    flush: async () => undefined,
    pending: () => 0,
  };
}

export function makeObserver(area = memoryArea()) {
  const store = createTabStore(area, { delayMs: 0 });
  const writer = recordingWriter();
  let ids = 0;
  let clock = 1_000;
  const observer = createObserver({
    classifier: createClassifier(),
    matchCookie: createCookieMatcher(),
    detectHosting: createHostingDetector(),
    writer,
    store,
    now: () => clock,
    newId: () => `visit-${++ids}`,
  });
  return { observer, store, writer, area, tick: (ms: number) => (clock += ms) };
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
