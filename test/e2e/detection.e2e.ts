import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { launchWithExtension, type ExtensionBrowser } from '../../lib/scan/chromium';

export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

/** What the popup must show per fixture page: exactly these entries and unlisted hosts, nothing else. */
const PAGES: { path: string; entries: string[]; unlisted: string[] }[] = [
  { path: '/test/none', entries: [], unlisted: [] },
  { path: '/test/aws', entries: ['aws'], unlisted: [] },
  { path: '/test/google-tag-manager', entries: ['aws', 'google-tag-manager'], unlisted: [] },
  // gtag.js comes from googletagmanager.com: the loader is Tag Manager, the hit is Analytics.
  { path: '/test/google-analytics', entries: ['aws', 'google-analytics', 'google-tag-manager'], unlisted: [] },
  { path: '/test/google-ads', entries: ['aws', 'google-ads'], unlisted: [] },
  { path: '/test/meta-pixel', entries: ['aws', 'meta-pixel'], unlisted: [] },
  { path: '/test/microsoft-ads', entries: ['aws', 'microsoft-ads'], unlisted: [] },
  { path: '/test/trustpilot', entries: ['aws', 'trustpilot'], unlisted: [] },
  { path: '/test/unlisted', entries: ['aws'], unlisted: ['script.hotjar.com', 'static.hotjar.com'] },
  { path: '/checkout', entries: ['adyen', 'aws'], unlisted: [] },
  {
    path: '/',
    entries: ['aws', 'google-ads', 'google-analytics', 'google-tag-manager', 'meta-pixel', 'microsoft-ads', 'trustpilot'],
    unlisted: ['script.hotjar.com', 'static.hotjar.com'],
  },
];

interface PopupContent {
  view: string | null;
  entries: string[];
  requests: Record<string, number>;
  cookies: Record<string, string[]>;
  unlisted: string[];
  text: string;
}

async function readPopup(popup: Page): Promise<PopupContent> {
  await popup.waitForSelector('[data-view]');
  return popup.evaluate(() => {
    const entries = [...document.querySelectorAll<HTMLElement>('[data-entry]')];
    return {
      view: document.querySelector('[data-view]')?.getAttribute('data-view') ?? null,
      entries: entries.map((e) => e.dataset.entry!).sort(),
      requests: Object.fromEntries(entries.map((e) => [e.dataset.entry!, Number(e.querySelector<HTMLElement>('[data-requests]')!.dataset.requests)])),
      cookies: Object.fromEntries(entries.map((e) => [e.dataset.entry!, [...e.querySelectorAll<HTMLElement>('[data-cookie]')].map((c) => c.dataset.cookie!).sort()])),
      unlisted: [...document.querySelectorAll<HTMLElement>('[data-host]')].map((e) => e.dataset.host!).sort(),
      text: document.body.innerText,
    };
  });
}

describe('detection in Chromium with the built extension', () => {
  let shop: FixtureShop;
  let ext: ExtensionBrowser;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    shop = await startFixtureShop();
    ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true });
  });

  afterAll(async () => {
    await ext?.close();
    await shop?.close();
  });

  async function visit(path: string, host = 'www.mijnliefsteboek.nl') {
    const page = await ext.browser.newPage();
    await page.goto(`https://${host}${path}`, { waitUntil: 'networkidle0' });
    await ext.settle(page);
    return { page, tabId: await ext.tabIdOf(page) };
  }

  async function popupFor(tabId: number, language = 'nl') {
    const popup = await ext.browser.newPage();
    await popup.setViewport({ width: 380, height: 900 });
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tabId=${tabId}&lang=${language}`);
    return popup;
  }

  for (const expected of PAGES) {
    it(`shows exactly what fired on ${expected.path}`, async () => {
      const { page, tabId } = await visit(expected.path);
      const popup = await popupFor(tabId);
      const shown = await readPopup(popup);
      expect(shown.view).toBe('tab');
      expect(shown.entries).toEqual(expected.entries);
      expect(shown.unlisted).toEqual(expected.unlisted);
      for (const entry of expected.entries) expect(shown.requests[entry], entry).toBeGreaterThan(0);
      expect(await ext.badgeText(tabId)).toBe(expected.entries.length === 0 ? '' : String(expected.entries.length));
      await popup.close();
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

  it('opens the real toolbar popup on a shop tab', async () => {
    const { page } = await visit('/test/meta-pixel');
    const extension = (await ext.browser.extensions()).get(ext.extensionId)!;
    await page.triggerExtensionAction(extension);
    const target = await ext.browser.waitForTarget((t) => t.url().startsWith(`chrome-extension://${ext.extensionId}/popup.html`));
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
    expect(await ext.badgeText(tabId)).toBe('');
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
    await page.click('#add-to-cart');
    await ext.settle(page);

    const after = (await ext.tabState(tabId))!;
    expect(after.visitId).toBe(before.visitId);
    expect(after.entries['meta-pixel']!.requests).toBe(metaBefore + 1);
    expect(after.entries['google-analytics']!.requests).toBe(gaBefore + 1);

    // Every request the page made to a catalog host is a row in the log.
    const popup = await popupFor(tabId);
    const logged = await popup.evaluate(async (visitId) => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const open = indexedDB.open('privacy-lens-log');
        open.onsuccess = () => res(open.result);
        open.onerror = () => rej(open.error);
      });
      const rows = await new Promise<{ entryId: string | null; url: string; source: string }[]>((res) => {
        const get = db.transaction('observations').objectStore('observations').index('visitId').getAll(visitId);
        get.onsuccess = () => res(get.result);
      });
      return rows.filter((r) => r.source === 'network').map((r) => r.url);
    }, before.visitId);
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
