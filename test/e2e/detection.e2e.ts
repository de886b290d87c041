import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FixtureShop } from '../fixtures/shop/server';
import type { ExtensionBrowser } from '../../lib/scan/chromium';
import { DETECTION_PAGES } from './expected-pages';
import { readLogTable, readObservations } from './log';
import { SCREENSHOTS, openPopup, readPopup, visit as visitPage, withShopAndExtension } from './helpers';

describe('detection in Chromium with the built extension', () => {
  let shop: FixtureShop;
  let ext: ExtensionBrowser;

  withShopAndExtension((startedShop, startedExt) => {
    shop = startedShop;
    ext = startedExt;
  });

  const visit = (path: string, host?: string) => visitPage(ext, path, host);
  const popupFor = (tabId: number, language = 'nl', options?: Parameters<typeof openPopup>[3]) => openPopup(ext, tabId, language, options);

  for (const expected of DETECTION_PAGES) {
    it(`shows exactly what fired on ${expected.path}`, async () => {
      const { page, tabId } = await visit(expected.path);
      const popup = await popupFor(tabId);
      const shown = await readPopup(popup);
      expect(shown.view).toBe('tab');
      expect(shown.entries).toEqual(expected.entries);
      expect(shown.unlisted).toEqual(expected.unlisted);
      for (const entry of expected.entries) expect(shown.requests[entry], entry).toBeGreaterThan(0);
      await popup.close();
      // The badge follows the tab's state in batches (every 100 ms): allow it a moment to catch up.
      await expect.poll(() => ext.badgeText(tabId), { timeout: 5_000 }).toBe(expected.badge ?? (expected.entries.length === 0 ? '' : String(expected.entries.length)));
      await page.close();
    });
  }

  it('lists the cookies each tracker set, and shows the home page in Dutch and English', async () => {
    const { page, tabId } = await visit('/');
    for (const language of ['nl', 'en']) {
      const popup = await popupFor(tabId, language);
      const shown = await readPopup(popup);
      expect(shown.cookies['google-analytics']).toEqual(['_ga', '_ga_MLB1234567']);
      expect(shown.cookies['meta-pixel']).toEqual(['_fbp']);
      expect(shown.cookies['microsoft-ads']).toEqual(['_uetsid', '_uetvid']);
      expect(shown.cookies['google-ads']).toEqual(['_gcl_au']);
      expect(shown.cookies.aws).toContain('AWSALB');
      expect(shown.text).toContain(language === 'nl' ? 'Genoemd in het privacybeleid' : 'Named in the privacy policy');
      expect(shown.text).toContain('Meta Platforms Ireland Limited');
      await popup.screenshot({ path: resolve(SCREENSHOTS, `popup-home-${language}.png`), fullPage: true });
      await popup.close();
    }
    await page.close();
  });

  it('shows the same popup in a Chromium without a `browser` of its own (Chrome before 152), through the polyfill’s file', async () => {
    // Chrome's pages load polyfill.js only where the browser has no `browser` (lib/view/browser-in-page.ts);
    // this Chromium has one, so the page is made to look like an older one's before its scripts run.
    const { page, tabId } = await visit('/');
    const shownBy = async (withoutOwnBrowser: boolean) => {
      const fetched: string[] = [];
      const popup = await popupFor(tabId, 'nl', {
        async beforeLoad(popup) {
          popup.on('request', (request) => void fetched.push(new URL(request.url()).pathname));
          if (withoutOwnBrowser) await popup.evaluateOnNewDocument(() => void delete (globalThis as { browser?: unknown }).browser);
        },
      });
      const shown = await readPopup(popup);
      if (withoutOwnBrowser) await popup.screenshot({ path: resolve(SCREENSHOTS, 'popup-home-polyfilled.png'), fullPage: true });
      await popup.close();
      return { shown, fetched };
    };
    const own = await shownBy(false);
    expect(own.fetched, 'a Chromium with its own `browser` never fetches the polyfill').not.toContain('/polyfill.js');
    const polyfilled = await shownBy(true);
    // Fetched only when the page found no `browser` as its scripts ran: the page then ran on the polyfill's.
    expect(polyfilled.fetched, 'without its own `browser`, the page fetches the polyfill').toContain('/polyfill.js');
    // What the popup reads from the background, through the polyfill's sendMessage, and its strings.
    expect(polyfilled.shown.view).toBe('tab');
    expect(polyfilled.shown.entries).toEqual(own.shown.entries);
    expect(polyfilled.shown.unlisted).toEqual(own.shown.unlisted);
    expect(polyfilled.shown.text).toContain('Genoemd in het privacybeleid');
    await page.close();
  });

  it('opens the real toolbar popup on a shop tab', async () => {
    const { page } = await visit('/test/meta-pixel');
    const extension = (await ext.browser.extensions()).get(ext.extensionId)!;
    await page.bringToFront();
    await page.triggerExtensionAction(extension);
    // The toolbar popup is popup.html without a ?tabId= (those are the tests' own popup tabs).
    const target = await ext.browser.waitForTarget((t) => t.url() === `chrome-extension://${ext.extensionId}/popup.html`);
    const popup = (await target.asPage())!;
    const shown = await readPopup(popup);
    expect(shown.entries).toEqual(['aws', 'meta-pixel']);
    await popup.close();
    await page.close();
  });

  it('collects nothing on a site that is not the shop, even when it runs the same trackers', async () => {
    shop.clearRequests();
    const { page, tabId } = await visit('/', 'www.example.org');
    expect(shop.requests.some((r) => r.host === 'region1.google-analytics.com')).toBe(true);
    expect(await ext.tabState(tabId)).toBeNull();
    await expect.poll(() => ext.badgeText(tabId), { timeout: 5_000 }).toBe('');
    const popup = await popupFor(tabId);
    const shown = await readPopup(popup);
    expect(shown.view).toBe('not-shop');
    expect(shown.entries).toEqual([]);
    await popup.screenshot({ path: resolve(SCREENSHOTS, 'popup-not-shop-nl.png') });
    await popup.close();
    await page.close();
  });

  it('loses nothing when the service worker is stopped and restarted mid-visit', async () => {
    const { page, tabId } = await visit('/');
    const before = (await ext.tabState(tabId))!;
    const metaBefore = before.entries['meta-pixel']!.requests;
    const gaBefore = before.entries['google-analytics']!.requests;

    await ext.stopWorker();
    // The page goes on: its next tracker hits wake the worker, which must carry on the same visit.
    // A DOM click: the consent banner, still unanswered, covers the lower part of the page.
    await page.$eval('#add-to-cart', (button) => (button as HTMLButtonElement).click());
    await ext.settle(page);

    const after = (await ext.tabState(tabId))!;
    expect(after.visitId).toBe(before.visitId);
    expect(after.entries['meta-pixel']!.requests).toBe(metaBefore + 1);
    expect(after.entries['google-analytics']!.requests).toBe(gaBefore + 1);

    // Every request the page made to a catalog host is a row in the log.
    const popup = await popupFor(tabId);
    const logged = (await readObservations<{ visitId: string; url: string; source: string }>(popup)).filter((r) => r.visitId === before.visitId && r.source === 'network').map((r) => r.url);
    const catalogRequests = shop.requests.filter((r) => /facebook|google|bing|trustpilot|doubleclick/.test(r.host));
    for (const r of catalogRequests.slice(-2)) expect(logged.some((url) => url.includes(r.path.split('?')[0]!))).toBe(true);
    expect(logged.filter((url) => url.includes('ev=AddToCart'))).toHaveLength(1);
    await popup.close();
    await page.close();
  });

  it('saw no request that the pages did not make (the extension sends nothing of its own)', () => {
    expect(shop.unexpected.map((r) => `${r.method} ${r.host}${r.path}`)).toEqual([]);
  });

  it('drops and counts forged messages without breaking', async () => {
    const popup = await popupFor(0);
    const diagnostics = await popup.evaluate(async () => {
      await chrome.runtime.sendMessage({ type: 'page-resources', resources: [{ url: 'https://evil.example/', initiatorType: 'x', startTime: 1 }] }).catch(() => undefined);
      await chrome.runtime.sendMessage({ type: 'get-diagnostics', __proto__: { admin: true } }).catch(() => undefined);
      await chrome.runtime.sendMessage('<img src=x onerror=alert(1)>').catch(() => undefined);
      return chrome.runtime.sendMessage({ type: 'get-diagnostics' });
    });
    expect(diagnostics.droppedMessages).toBeGreaterThanOrEqual(2);
    await popup.close();

    // A page cannot talk to the extension at all; posting look-alike messages changes nothing.
    const { page, tabId } = await visit('/test/aws');
    await page.evaluate(() => window.postMessage({ type: 'page-resources', resources: [{ url: 'https://forged.example/x', initiatorType: 'script', startTime: 1 }] }, '*'));
    await ext.settle(page);
    expect(Object.keys((await ext.tabState(tabId))!.unlisted)).toEqual([]);
    await page.close();
  });
});
