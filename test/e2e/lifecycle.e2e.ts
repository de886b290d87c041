import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTALLED_KEY } from '../../lib/background';
import type { EntryId } from '../../lib/catalog';
import { RETENTION_KEY } from '../../lib/history/maintenance';
import { readStoredTabState } from '../../lib/observe';
import { parseReport } from '../../lib/report';
import { CHROME_BUILD, type ExtensionBrowser } from '../../lib/scan/chromium';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import type { FixtureShop } from '../fixtures/shop/server';
import { openPopup, readPopup, settledBadge, waitForDownload, wholeJson, withShopAndExtension } from './helpers';
import { catalogRequests, compareRequests, controlWorker, loggedCatalogRequests, recoveredCount, rowsAtOddsWithTheirRequests, seededRandom, storeRightsRequest, whereLostRequestsWent, type WorkerControl } from './worker';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SHOP = 'https://www.mijnliefsteboek.nl';

describe('the service worker stopped at random moments, and an update', () => {
  // Replay a failing run with LIFECYCLE_SEED=<the seed it printed>.
  const seed = Number(process.env.LIFECYCLE_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = seededRandom(seed);
  console.log(`lifecycle: seed ${seed} (replay with LIFECYCLE_SEED=${seed})`);
  let shop: FixtureShop;
  let ext: ExtensionBrowser;
  let worker: WorkerControl;
  let downloads: string;
  const started = Date.now();
  const tally = { stops: 0, restartsVerified: 0, compared: 0, recovered: 0, lost: 0, duplicated: 0, consentChanges: 0, exports: 0, popupOvercounts: 0, notStopped: {} as Record<string, number> };

  withShopAndExtension((startedShop, startedExt) => {
    shop = startedShop;
    ext = startedExt;
  });
  beforeAll(async () => {
    worker = await controlWorker(ext, tally.notStopped);
    downloads = await mkdtemp(join(tmpdir(), 'privacy-lens-lifecycle-'));
  });
  afterAll(async () => {
    console.log(
      `lifecycle: ${tally.stops} worker stops survived (a fresh worker, without the old one's globals, at ${tally.restartsVerified} checks), ` +
        `${tally.compared} requests compared with the log: ${tally.lost} lost, ${tally.duplicated} duplicated ` +
        `(${tally.recovered} recovered from the page's Resource Timing after their webRequest events went to a stopped worker); ` +
        `${tally.consentChanges} consent changes and ${tally.exports} exports checked; popup counted ${tally.popupOvercounts} request(s) more than the log; calls that stopped nothing ${JSON.stringify(tally.notStopped)}; ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${seed})`,
    );
    await rm(downloads, { recursive: true, force: true });
  });

  /**
   * Stops the worker after a random delay of up to `maxDelayMs`. It is started first if nothing woke it
   * since the last stop, so every call stops a running worker at a random moment: their number does not
   * depend on how fast the machine is.
   */
  async function stopSoon(maxDelayMs: number) {
    await worker.wake();
    await sleep(random() * maxDelayMs);
    if (await worker.stop()) tally.stops++;
  }


  /**
   * After the stops: what the page requested from catalog hosts (as the fixture server received it)
   * is in the log once each, and the popup and the badge say what the log says.
   */
  async function expectVisitLogged(page: Page) {
    await page.waitForNetworkIdle({ idleTime: 300 });
    await worker.wake();
    if (await worker.restarted()) tally.restartsVerified++;
    const tabId = await ext.tabIdOf(page);
    await ext.settle(page);
    const log = await worker.readLog();
    const visitIds = new Set(log.visits.filter((v) => v.tabId === tabId).map((v) => v.id));
    const made = catalogRequests(shop.requests);
    const logged = loggedCatalogRequests(log, visitIds);
    const { lost, duplicated } = compareRequests(made, logged);
    tally.compared += made.length;
    tally.recovered += recoveredCount(logged);
    tally.lost += lost.length;
    tally.duplicated += duplicated.length;
    // Should a request be lost, the failure says where it went (the tab state's tallies, its rows).
    const whereLost = lost.length ? `\n${whereLostRequestsWent(lost, await ext.tabState(tabId), log)}\n${await worker.sessionSummary()}` : '';
    expect({ lost, duplicated }, `seed ${seed}${whereLost}`).toEqual({ lost: [], duplicated: [] });
    // Not only there: each row says what its request was (time, kind, Consent Mode, personal data).
    expect(rowsAtOddsWithTheirRequests(log, visitIds), `seed ${seed}`).toEqual([]);
    expect(made.length).toBeGreaterThan(0);

    // The tab's state survived too: the popup counts what the log holds, and the badge agrees.
    const state = (await ext.tabState(tabId))!;
    const rows = log.observations.filter((o) => o.visitId === state.visitId);
    const perEntry: Record<string, number> = {};
    for (const row of rows) if (row.entryId) perEntry[row.entryId] = (perEntry[row.entryId] ?? 0) + 1;
    const popup = await openPopup(ext, tabId);
    const shown = await readPopup(popup);
    await popup.close();
    // Every entry with requests in the log is in the popup, never with fewer requests than the log
    // holds; one more than the log is possible (counted, printed, not failed): see the report on
    // issue #8. And every entry the popup shows has its evidence in the log, requests or a cookie it
    // set (activeEntries): AWS can be there by its cookie alone, when the document's response (its
    // hosting headers) went to a stopped worker, a response no report of the page's brings back, and
    // the next worker saw its load balancer set AWSALB.
    const entriesShown = Object.keys(shown.requests).sort();
    const withRequests = Object.keys(perEntry).sort();
    const withEvidence = new Set([...withRequests, ...log.cookies.filter((c) => c.visitId === state.visitId && c.change === 'set').map((c) => c.entryId)]);
    const unevidenced = entriesShown.filter((entry) => !withEvidence.has(entry as EntryId));
    // Should they differ, the failure says what the worker held.
    const held = withRequests.every((entry) => entriesShown.includes(entry)) && unevidenced.length === 0 ? '' : `; the worker holds ${await worker.sessionSummary()}`;
    expect(withRequests.filter((entry) => !entriesShown.includes(entry)), `logged, not shown; seed ${seed}${held}`).toEqual([]);
    expect(unevidenced, `shown, nothing logged; seed ${seed}${held}`).toEqual([]);
    for (const [entry, count] of Object.entries(perEntry)) {
      expect(shown.requests[entry], `${entry}, seed ${seed}`).toBeGreaterThanOrEqual(count);
      tally.popupOvercounts += shown.requests[entry]! - count;
    }
    const badge = await settledBadge(ext, tabId);
    expect(badge).toBe(shown.entries.length === 0 ? '' : `${shown.entries.length}${shown.violations > 0 ? '!' : ''}`);
    return { tabId, visitId: state.visitId, log, shown };
  }

  it('during visits, while the page’s trackers fire', async () => {
    for (let round = 0; round < 8; round++) {
      shop.clearRequests();
      const page = await ext.browser.newPage();
      const loading = page.goto(`${SHOP}/`, { waitUntil: 'networkidle0' });
      await stopSoon(500);
      await loading;
      // More hits from the tags already loaded, with the worker stopped again among them.
      const firing = page.evaluate(async () => {
        for (const id of ['meta-pixel', 'google-analytics', 'microsoft-ads', 'google-ads', 'meta-pixel']) {
          (window as unknown as { mlbFixture: { fire(id: string): void } }).mlbFixture.fire(id);
          await new Promise((r) => setTimeout(r, 30));
        }
      });
      await stopSoon(250);
      await firing;
      await expectVisitLogged(page);
      await page.close();
    }
  });

  it('during a batch write to IndexedDB', async () => {
    for (let round = 0; round < 4; round++) {
      shop.clearRequests();
      const page = await ext.browser.newPage();
      await page.goto(`${SHOP}/test/meta-pixel`, { waitUntil: 'networkidle0' });
      // The worker is stopped the moment the log's next write adds its first request pack (an event, not
      // a clock): the stop lands in that transaction or just after it. The hook is set before forty hits
      // at once, whose rows the log writes within its second (LOG_WRITE_DELAY_MS) if nothing queued
      // earlier is written first. (Dexie binds IDBDatabase's `transaction` when it opens; each `add` it
      // looks up when it calls it.)
      await worker.wake();
      const running = await ext.worker();
      await running.evaluate(() => {
        const add = IDBObjectStore.prototype.add;
        const adding = new Promise<void>((resolve) => {
          IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<typeof add>) {
            if (this.name === 'requestPacks') {
              IDBObjectStore.prototype.add = add;
              resolve();
            }
            return add.apply(this, args);
          };
        });
        Object.assign(globalThis, { logWriteStarted: adding });
      });
      await page.evaluate(() => {
        for (let i = 0; i < 40; i++) (window as unknown as { mlbFixture: { fire(id: string): void } }).mlbFixture.fire('meta-pixel');
      });
      await running.evaluate(() => (globalThis as unknown as { logWriteStarted: Promise<void> }).logWriteStarted);
      if (await worker.stop()) tally.stops++;
      await expectVisitLogged(page);
      await page.close();
    }
  });

  it('during a consent change in the banner', async () => {
    for (let round = 0; round < 4; round++) {
      shop.clearRequests();
      const page = await ext.browser.newPage();
      await page.goto(`${SHOP}${CONSENT_SCENARIOS.respectful}`, { waitUntil: 'networkidle0' });
      // A fresh choice each time: no consent cookie from the round before.
      const cdp = await page.createCDPSession();
      await cdp.send('Network.clearBrowserCookies');
      await cdp.detach();
      await page.reload({ waitUntil: 'networkidle0' });
      const accept = random() < 0.5;
      await page.bringToFront();
      await page.waitForSelector(CONSENT_SELECTORS.OVERLAY, { visible: true });
      await page.click(accept ? CONSENT_SELECTORS.ACCEPT_ALL : CONSENT_SELECTORS.DECLINE_ALL);
      await stopSoon(300);
      await page.waitForSelector(CONSENT_SELECTORS.OVERLAY, { hidden: true });
      const { log, visitId, shown } = await expectVisitLogged(page);
      const changes = log.consentChanges.filter((c) => c.visitId === visitId);
      expect(changes.at(-1)?.granted.includes('marketing')).toBe(accept);
      expect(shown.consent.granted.marketing).toBe(accept);
      tally.consentChanges++;
      await page.close();
    }
  });

  async function historyPage(): Promise<Page> {
    const page = await ext.browser.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.goto(`chrome-extension://${ext.extensionId}/options.html?lang=en#history`);
    await page.bringToFront();
    await page.waitForSelector('[data-visit]');
    return page;
  }

  it('during an export on the history page', async () => {
    await worker.wake();
    await ext.settle();
    const log = await worker.readLog();
    const page = await historyPage();
    for (let round = 0; round < 3; round++) {
      for (const file of await readdir(downloads)) await rm(join(downloads, file));
      await page.click('#export-json');
      await stopSoon(200);
      const { text: json } = await waitForDownload(downloads, '.json', wholeJson);
      const parsed = parseReport(json);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      // Complete: every visit of the log, with every request it holds.
      expect(parsed.report.pages).toHaveLength(log.visits.length);
      expect(parsed.report.pages.reduce((n, p) => n + (p.observations ?? []).length, 0)).toBe(log.observations.length);
      tally.exports++;
    }
    await page.close();
  });

  it('does not bring back a closed tab whose removal a stop lost: its visit gets nothing after it ended', async () => {
    const page = await ext.browser.newPage();
    await page.goto(`${SHOP}/`, { waitUntil: 'networkidle0' });
    await ext.settle(page);
    const tabId = await ext.tabIdOf(page);
    const key = `tab:${tabId}`;
    const saved = await (await ext.worker()).evaluate(async (k) => (await chrome.storage.session.get(k))[k], key);
    const visitId = readStoredTabState(saved)!.visitId;
    await page.close();
    const closedAt = Date.now();
    // The worker saves a closed tab's removal a moment later; a stop in that moment loses it. Here the
    // state is put back once the removal has landed (not before: the removal would then take it away
    // again, and the test pass without the fix), as a lost removal leaves it.
    await (await ext.worker()).evaluate(
      (k) =>
        new Promise<void>((landed, refused) => {
          const bound = setTimeout(() => refused(new Error(`the closed tab's state ${k} was not removed within 10 s`)), 10_000);
          const gone = () => {
            clearTimeout(bound);
            chrome.storage.session.onChanged.removeListener(listen);
            landed();
          };
          const listen = (changes: Record<string, chrome.storage.StorageChange>) => void (k in changes && changes[k]!.newValue === undefined && gone());
          chrome.storage.session.onChanged.addListener(listen);
          void chrome.storage.session.get(k).then((items) => void (k in items || gone()));
        }),
      key,
    );
    await (await ext.worker()).evaluate(async (items) => chrome.storage.session.set(items), { [key]: saved });
    expect(await worker.stop()).toBe(true);
    tally.stops++;
    // The next shop page wakes a new worker; the shop's scripts write their cookies again.
    const next = await ext.browser.newPage();
    await next.goto(`${SHOP}/`, { waitUntil: 'networkidle0' });
    await ext.settle(next);
    expect(await worker.restarted()).toBe(true);
    expect(await (await ext.worker()).evaluate(async (k) => Object.keys(await chrome.storage.session.get(k)), key)).toEqual([]);
    const log = await worker.readLog();
    expect(log.cookies.filter((c) => c.visitId === visitId && c.at > closedAt)).toEqual([]);
    expect(log.consentChanges.filter((c) => c.visitId === visitId && c.at > closedAt)).toEqual([]);
    // The new page's own visit has them.
    const nextVisit = (await ext.tabState(await ext.tabIdOf(next)))!.visitId;
    expect(log.cookies.filter((c) => c.visitId === nextVisit && c.at > closedAt).length).toBeGreaterThan(0);
    await next.close();
  });

  it('keeps the log, the settings and the rights requests through an update, and works on the next visit', async () => {
    await worker.wake();
    await ext.settle();
    const before = await worker.readLog();
    const w = await ext.worker();
    await w.evaluate((key) => chrome.storage.local.set({ [key]: 90 }), RETENTION_KEY);
    const request = { id: 'lifecycle-request', type: 'access', subject: 'Inzageverzoek (artikel 15 AVG)', sentAt: Date.now() };
    const reader = await ext.browser.newPage();
    await reader.goto(`chrome-extension://${ext.extensionId}/manifest.json`);
    await storeRightsRequest(reader, request);
    await reader.close();
    await worker.close();

    // An update: the same unpacked directory loaded again over the installed extension, as the store
    // would install a new version over the old (onInstalled with reason "update"). chrome.runtime.reload()
    // from the worker or a page did not bring a worker back in this Chromium under DevTools.
    const updatedAt = Date.now();
    expect(await ext.browser.installExtension(CHROME_BUILD)).toBe(ext.extensionId);
    // The new worker records the update (runtime.onInstalled) in storage.local: wait for that write
    // itself, already made or still to come. A worker handle that goes away under the wait (the old
    // worker, stopped by the update) is asked for again, for up to 10 s.
    type Installed = { reason?: string; previousVersion?: string | null; at?: number };
    const recorded = async (): Promise<Installed | null> => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const next = await ext.worker();
        const value = await next
          .evaluate(
            (key, since, boundMs) =>
              new Promise<Installed | null>((resolve) => {
                setTimeout(() => resolve(null), boundMs);
                const take = (value: Installed | undefined) => {
                  if (!value?.at || value.at < since) return;
                  chrome.storage.onChanged.removeListener(listen);
                  resolve(value);
                };
                const listen = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
                  if (area === 'local' && key in changes) take(changes[key]!.newValue as Installed | undefined);
                };
                chrome.storage.onChanged.addListener(listen);
                void chrome.storage.local.get(key).then((items) => take(items[key] as Installed | undefined));
              }),
            INSTALLED_KEY,
            updatedAt,
            Math.max(0, deadline - Date.now()),
          )
          .catch(() => null);
        if (value) return value;
      }
      return null;
    };
    const installed = await recorded();
    expect(installed, 'the update recorded by the new worker within 10 s').toMatchObject({ reason: 'update', previousVersion: '0.1.0' });

    worker = await controlWorker(ext, tally.notStopped);
    const after = await worker.readLog();
    expect(after.visits.length).toBe(before.visits.length);
    expect(after.observations.length).toBe(before.observations.length);
    expect(after.consentChanges.length).toBe(before.consentChanges.length);
    expect(after.rightsRequests.map((r) => r.id)).toContain('lifecycle-request');
    const w2 = await ext.worker();
    expect(await w2.evaluate((key) => chrome.storage.local.get(key).then((items) => items[key]), RETENTION_KEY)).toBe(90);
    const requestsPage = await ext.browser.newPage();
    await requestsPage.goto(`chrome-extension://${ext.extensionId}/options.html?lang=nl#requests`);
    await requestsPage.waitForSelector('[data-request="access"]', { timeout: 10_000 });
    await requestsPage.close();

    // The updated extension logs the next visit as before.
    shop.clearRequests();
    const page = await ext.browser.newPage();
    await page.goto(`${SHOP}/test/meta-pixel`, { waitUntil: 'networkidle0' });
    const { shown } = await expectVisitLogged(page);
    expect(shown.entries).toEqual(['aws', 'meta-pixel']);
    await page.close();
  });

  it('lost nothing at all', () => {
    expect(tally.stops, `calls that stopped nothing: ${JSON.stringify(tally.notStopped)}`).toBeGreaterThanOrEqual(20);
    expect(tally.lost + tally.duplicated).toBe(0);
  });
});
