import { resolve } from 'node:path';
import type { CDPSession, Page } from 'puppeteer';
import { beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_KEY } from '../../lib/history/maintenance';
import type { ExtensionBrowser } from '../../lib/scan/chromium';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import type { FixtureShop } from '../fixtures/shop/server';
import { SCREENSHOTS, openPopup, readPopup, visit, withShopAndExtension } from './helpers';
import { changeLog } from './log';
import { catalogRequests, compareRequests, controlWorker, loggedCatalogRequests, storeRightsRequest, type WorkerControl } from './worker';

const DAY = 86_400_000;

/** Runs in an extension page: moves one visit back in time, straight in IndexedDB. */
function ageVisit(page: Page, visitId: string, days: number) {
  return changeLog(page, 'visits', { earlier: { fields: { startedAt: days * DAY }, ids: [visitId] } });
}

describe('a full disk, in the browser', () => {
  let shop: FixtureShop;
  let ext: ExtensionBrowser;
  let worker: WorkerControl;
  let storage: CDPSession;
  let origin: string;
  const visitIds: Record<'old' | 'consent' | 'recent', string> = { old: '', consent: '', recent: '' };

  withShopAndExtension((startedShop, startedExt) => {
    shop = startedShop;
    ext = startedExt;
  });

  beforeAll(async () => {
    worker = await controlWorker(ext);
    origin = `chrome-extension://${ext.extensionId}`;
    const w = await ext.worker();
    await w.evaluate((key) => chrome.storage.local.set({ [key]: 30 }), RETENTION_KEY);

    // Three visits: one that will be older than the 30 days kept, one with a consent choice, one plain.
    for (const [name, path] of [['old', '/'], ['consent', CONSENT_SCENARIOS.metaIgnoresRefusal], ['recent', '/test/meta-pixel']] as const) {
      const { page, tabId } = await visit(ext, path);
      if (name === 'consent') {
        await page.bringToFront();
        await page.click(CONSENT_SELECTORS.DECLINE_ALL);
        await page.waitForNetworkIdle({ idleTime: 500 });
        await ext.settle(page);
      }
      visitIds[name] = (await ext.tabState(tabId))!.visitId;
      await page.close();
    }
    await ext.settle();

    const reader = await ext.browser.newPage();
    await reader.goto(`${origin}/manifest.json`);
    await ageVisit(reader, visitIds.old, 60);
    await storeRightsRequest(reader, { id: 'full-disk-request', type: 'erasure', subject: 'Verzoek om verwijdering (artikel 17 AVG)', sentAt: Date.now() - 40 * 86_400_000 });
    await reader.close();
  });

  it('the disk fills up: the customer is told, old visits go first, requests and consent history stay', async () => {
    const before = await worker.readLogInWorker();
    expect(before.visits.map((v) => v.id)).toContain(visitIds.old);

    // A quota of one byte for the extension's origin. Chromium's IndexedDB takes the quota when it
    // opens the origin's backing store and keeps the store open while the origin uses it, and for a
    // grace period (2 s) after: so the worker is stopped and the grace period waited out, and the
    // next worker opens the log under the new quota. Measured: once a page of the extension had read
    // the log with getAll() in this run, the override changed nothing, so the log was read above
    // in the worker, and the page that reads it is closed.
    storage = await (await ext.browser.pages())[0]!.createCDPSession();
    await storage.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
    await worker.close();
    console.log('full-disk: quota', await storage.send('Storage.getUsageAndQuota', { origin }).then((q) => `${q.quota} bytes for ${q.usage} used`));

    // Visits until a write is refused: Chromium applies the new quota once it opens the log's backing
    // store again, after the worker stopped and a grace period passed; when exactly is Chromium's.
    let page: Page | undefined;
    let tabId = 0;
    let health: { state: string } | undefined;
    for (let attempt = 1; attempt <= 6 && health?.state !== 'full'; attempt++) {
      await page?.close();
      const stopper = await controlWorker(ext);
      await stopper.stop();
      await stopper.close();
      await new Promise((r) => setTimeout(r, 3_000));
      shop.clearRequests();
      ({ page, tabId } = await visit(ext, '/test/google-analytics'));
      // The first failed batch makes room and tries again (after 1.5 s): watch the log's health for it.
      const w = await ext.worker();
      const readHealth = () => w.evaluate(() => chrome.storage.session.get('log-health').then((items) => items['log-health'] as { state: string } | undefined));
      for (const until = Date.now() + 4_000; Date.now() < until && health?.state !== 'full'; ) {
        await ext.settle(page);
        health = await readHealth();
      }
      console.log(`full-disk: visit ${attempt} under the quota, log health ${health?.state ?? 'ok'}`);
    }
    // healthOf() says "full" only for a QuotaExceededError: Dexie's writes really were refused.
    expect(health?.state).toBe('full');
    const w = await ext.worker();

    const popup = await openPopup(ext, tabId);
    await popup.waitForSelector('[data-health="full"]');
    const shown = await readPopup(popup);
    // The popup still works from the tab's state: it does not depend on the log being writable.
    expect(shown.entries).toEqual(['aws', 'google-analytics', 'google-tag-manager']);
    expect(await popup.$eval('[data-health="full"]', (e) => (e as HTMLElement).innerText)).toMatch(/\w/);
    await popup.screenshot({ path: resolve(SCREENSHOTS, 'popup-disk-full-nl.png'), fullPage: true });
    await popup.close();

    const history = await ext.browser.newPage();
    await history.setViewport({ width: 1100, height: 800 });
    await history.goto(`${origin}/options.html?lang=nl#history`);
    await history.waitForSelector('[data-health="full"]');
    await history.waitForSelector('[data-visit]');
    await history.screenshot({ path: resolve(SCREENSHOTS, 'history-disk-full-nl.png') });
    await history.close();

    worker = await controlWorker(ext);
    const after = await worker.readLog();
    const ids = after.visits.map((v) => v.id);
    // Beyond the 30 days kept: gone first, with everything under it.
    expect(ids).not.toContain(visitIds.old);
    expect(after.observations.some((o) => o.visitId === visitIds.old)).toBe(false);
    // Within them: the visits, their consent history and the rights request stay.
    expect(ids).toEqual(expect.arrayContaining([visitIds.consent, visitIds.recent]));
    expect(after.consentChanges.filter((c) => c.visitId === visitIds.consent)).toEqual(before.consentChanges.filter((c) => c.visitId === visitIds.consent));
    expect(after.rightsRequests.map((r) => r.id)).toContain('full-disk-request');

    // Nothing crashed: the worker answers and keeps the tab's badge.
    expect(await w.evaluate(() => (globalThis as unknown as { privacyLens: { isReady: boolean } }).privacyLens.isReady)).toBe(true);
    expect(await ext.badgeText(tabId)).toBe(`${shown.entries.length}${shown.violations > 0 ? '!' : ''}`);
    await page!.close();
  });

  it('once there is room again, new visits are logged and the notice goes', async () => {
    await storage.send('Storage.overrideQuotaForOrigin', { origin });
    shop.clearRequests();
    const { page, tabId } = await visit(ext, '/test/meta-pixel');
    // The rows the full disk refused wait in the writer's queue, and Chromium applies the lifted quota
    // when it next opens the log's store: settled until a write has landed, which the log's health
    // tells (bounded).
    const w = await ext.worker();
    const readHealth = () => w.evaluate(() => chrome.storage.session.get('log-health').then((items) => (items['log-health'] as { state: string } | undefined)?.state ?? 'ok'));
    for (const until = Date.now() + 20_000; ; ) {
      await ext.settle(page);
      if ((await readHealth()) === 'ok') break;
      if (Date.now() > until) throw new Error('the log still refused writes 20 s after the quota was lifted');
    }
    const log = await worker.readLog();
    const visitId = (await ext.tabState(tabId))!.visitId;
    const made = catalogRequests(shop.requests);
    expect(made.length).toBeGreaterThan(0);
    expect(compareRequests(made, loggedCatalogRequests(log, new Set([visitId])))).toEqual({ lost: [], duplicated: [] });
    const popup = await openPopup(ext, tabId);
    await readPopup(popup);
    await popup.waitForFunction(() => !document.querySelector('[data-health]'));
    await popup.close();
    await page.close();
  });
});
