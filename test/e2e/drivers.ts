import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll } from 'vitest';
import { launchWithExtension } from '../../lib/scan/chromium';
import { firefoxProxyPrefs, launchFirefoxWithExtension } from '../../lib/scan/firefox';
import type { TabState } from '../../lib/observe/tab-state';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';

export const BROWSERS = ['chromium', 'firefox'] as const;
export type BrowserName = (typeof BROWSERS)[number];

/**
 * One interface for both browsers under test, so a scenario is written once and run under
 * `describe.each(BROWSERS)`: Chromium over the DevTools protocol, Firefox ESR over WebDriver BiDi.
 */
export interface BrowserUnderTest {
  name: BrowserName;
  /** The browser itself, for what the interface does not cover (a file opened from disk). */
  browser: Browser;
  /** Opens a page of the fixture shop in a new tab and waits for it and for the extension to settle. */
  visit(path: string, host?: string): Promise<{ page: Page; tabId: number }>;
  /** The popup for a tab, in an ordinary tab (the toolbar popup shows the active tab only). */
  openPopup(tabId: number, language?: 'nl' | 'en'): Promise<Page>;
  /** One of the extension's pages in an ordinary tab (`devtools-panel.html?tabId=3`), once `ready` is on it. */
  openPage(path: string, ready: string): Promise<Page>;
  tabState(tabId: number): Promise<TabState | null>;
  badgeText(tabId: number): Promise<string>;
  /** Lets the content script's reports arrive, then has the background write everything it queued. */
  settle(page?: Page): Promise<void>;
  /** Every cookie of the profile and the shop's own storage gone: the next visit is a first visit. */
  clearCookies(): Promise<void>;
  /** Chromium only: stops the extension's service worker, as MV3 does after 30 s idle. */
  stopWorker?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `dark`: the system's dark theme. Chromium emulates it on each page the driver opens; Firefox (whose
 * WebDriver BiDi cannot emulate media features) is started with its preference for a dark system.
 */
export interface LaunchOptions {
  dark?: boolean;
}

async function launch(name: BrowserName, shop: FixtureShop, { dark = false }: LaunchOptions = {}): Promise<BrowserUnderTest> {
  if (name === 'chromium') {
    const ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true });
    const scheme = async (page: Page) => {
      if (dark) await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      return page;
    };
    return {
      name,
      browser: ext.browser,
      async visit(path, host = 'www.mijnliefsteboek.nl') {
        const page = await ext.browser.newPage();
        await page.goto(`https://${host}${path}`, { waitUntil: 'networkidle0' });
        await ext.settle(page);
        return { page, tabId: await ext.tabIdOf(page) };
      },
      async openPopup(tabId, language = 'nl') {
        const popup = await scheme(await ext.browser.newPage());
        await popup.setViewport({ width: 380, height: 900 });
        await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tabId=${tabId}&lang=${language}`);
        await popup.waitForSelector('[data-view]');
        return popup;
      },
      async openPage(path, ready) {
        const page = await scheme(await ext.browser.newPage());
        await page.goto(`chrome-extension://${ext.extensionId}/${path}`);
        await page.waitForSelector(ready);
        return page;
      },
      tabState: (tabId) => ext.tabState(tabId),
      badgeText: (tabId) => ext.badgeText(tabId),
      settle: (page) => ext.settle(page),
      async clearCookies() {
        await ext.browser.deleteCookie(...(await ext.browser.cookies()));
        await clearShopStorage(ext.browser);
      },
      stopWorker: () => ext.stopWorker(),
      close: () => ext.close(),
    };
  }
  const ff = await launchFirefoxWithExtension({ prefs: { ...firefoxProxyPrefs(shop.port), ...(dark ? { 'ui.systemUsesDarkTheme': 1 } : {}) } });
  return {
    name,
    browser: ff.browser,
    async visit(path, host = 'www.mijnliefsteboek.nl') {
      const page = await ff.browser.newPage();
      await page.goto(`https://${host}${path}`, { waitUntil: 'networkidle0' });
      await ff.settle(page);
      return { page, tabId: await ff.tabIdOf(page) };
    },
    async openPopup(tabId, language = 'nl') {
      const popup = await ff.openPage(`popup.html?lang=${language}&tabId=${tabId}`, '[data-view]');
      await popup.setViewport({ width: 380, height: 900 });
      return popup;
    },
    openPage: (path, ready) => ff.openPage(path, ready),
    tabState: (tabId) => ff.tabState(tabId),
    badgeText: (tabId) => ff.badgeText(tabId),
    settle: (page) => ff.settle(page),
    async clearCookies() {
      await ff.browser.deleteCookie(...(await ff.browser.cookies()));
      await clearShopStorage(ff.browser);
    },
    close: () => ff.close(),
  };
}

/**
 * The shop's localStorage and sessionStorage, where some platforms keep their record (Usercentrics):
 * cleared from a page of the shop that loads nothing (the extension sees no visit worth judging).
 */
async function clearShopStorage(browser: Browser) {
  const page = await browser.newPage();
  await page.goto('https://www.mijnliefsteboek.nl/test/none', { waitUntil: 'load' });
  await page.evaluate(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  await page.close();
}

/** For a suite: the fixture shop and the browser with the built extension, started before its tests and closed after. */
export function withBrowser(name: BrowserName, use: (shop: FixtureShop, browser: BrowserUnderTest) => void, options: LaunchOptions = {}) {
  let shop: FixtureShop | undefined;
  let driver: BrowserUnderTest | undefined;
  beforeAll(async () => {
    shop = await startFixtureShop();
    driver = await launch(name, shop, options);
    use(shop, driver);
  });
  afterAll(async () => {
    await driver?.close();
    await shop?.close();
  });
}
