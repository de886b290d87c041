import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { JOURNAL_PREFIX, createLogWriter, openLog } from '@/lib/db';
import { readStoredTabState, tabStateKey } from '@/lib/observe/tab-state';
import { CLOUDFRONT_HEADERS, makeObserver, memoryArea, request } from './fakes';

const SHOP = 'https://www.mijnliefsteboek.nl/';
const PIXEL = 'https://www.facebook.com/tr/?id=1&ev=PageView';

/**
 * The background's wiring of writer, tab store and observer (lib/background/index.ts), over a fake
 * session area and a log whose answer to "how many rows for this URL?" the test holds back.
 */
function worker(area: ReturnType<typeof memoryArea>) {
  const writer = createLogWriter(openLog(`recovery-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange }), { delayMs: 10_000, journal: area, journalSpacingMs: 10_000 });
  let answer!: (rows: number) => void;
  const logAnswers = new Promise<number>((resolve) => (answer = resolve));
  const { observer, store } = makeObserver(area, {
    writer,
    loggedRows: () => logAnswers,
    storeOptions: { delayMs: 10_000, saveSpacingMs: 0, saveWith: (items) => writer.journalNow(items) },
    holdSavesForRecoveries: true,
  });
  return { observer, store, answer };
}

describe('a request recovered from the page’s report, and a worker stopped meanwhile', () => {
  it('never leaves a saved tab state that counts the request without its row in the journal', async () => {
    const area = memoryArea();
    const { observer, store, answer } = worker(area);
    await store.ready;
    const page = request(SHOP, { tabId: 7, type: 'main_frame' });
    observer.requestStarted(page);
    observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    await store.saved();

    // The pixel's webRequest events went to a stopped worker; the page's report names it. The log is
    // asked whether it already holds the row, and answers late (it is being opened, say).
    observer.pageResources(7, [{ url: PIXEL, initiatorType: 'img', startTime: 20, seq: 1 }], '0123456789abcdef');
    const answered = store.saved();
    // What a worker stopped now would leave in session storage: a state that counts the pixel must
    // come with the pixel's row in the journal, or the report (seen, by its number) is never read again.
    await new Promise((r) => setTimeout(r, 20));
    const pixelCounted = (data: Record<string, unknown>) => (readStoredTabState(data[tabStateKey(7)])?.entries['meta-pixel']?.requests ?? 0) > 0;
    const pixelJournaled = (data: Record<string, unknown>) =>
      Object.entries(data).some(([key, value]) => key.startsWith(`${JOURNAL_PREFIX}observations|`) && (JSON.parse(value as string) as { row: { url: string } }).row.url === PIXEL);
    expect(pixelCounted(area.data) && !pixelJournaled(area.data)).toBe(false);

    answer(0);
    await answered;
    // The report is answered once both are there.
    expect(pixelCounted(area.data)).toBe(true);
    expect(pixelJournaled(area.data)).toBe(true);
  });
});
