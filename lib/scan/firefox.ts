import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { readStoredTabState, type TabState } from '../observe/tab-state';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_BUILD = resolve(import.meta.dirname, '../../.output/firefox-mv3');
const GECKO_ID = 'privacy-lens@mijnliefsteboek.example';
/** Pinned, so the tests know the extension's moz-extension:// address. */
const UUID = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/**
 * Preferences that send Firefox's http:// and https:// traffic through a local proxy on `port` (https://
 * as `CONNECT host:443`): the fixture shop, which is one, or the scan's resolving proxy. Firefox has no
 * host-resolver rules; this is how it reaches a local or staging copy under the real host names.
 */
export function firefoxProxyPrefs(port: number): Record<string, string | number | boolean> {
  return {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': port,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': port,
    'network.proxy.no_proxies_on': '',
  };
}

/**
 * Firefox calls Mozilla's services by itself; without a network they fail slowly, and through the
 * fixture they would look like traffic the pages made. A data: URL silences Remote Settings; release
 * builds only honour it with `MOZ_REMOTE_SETTINGS_DEVTOOLS` set, hence `FIREFOX_ENV`.
 */
export const FIREFOX_QUIET_PREFS: Readonly<Record<string, string | number | boolean>> = {
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'app.update.disabledForTesting': true,
  'browser.safebrowsing.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
};
export const FIREFOX_ENV: Readonly<Record<string, string>> = { MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' };

export interface FirefoxExtension {
  browser: Browser;
  base: string;
  /** Opens one of the extension's pages. Firefox never resolves a moz-extension navigation; wait for the page instead. */
  openPage(path: string, ready: string): Promise<Page>;
  /** The extension's id for a tab, found by the page's address (or the address itself). */
  tabIdOf(pageOrUrl: Page | string): Promise<number>;
  tabState(tabId: number): Promise<TabState | null>;
  badgeText(tabId: number): Promise<string>;
  /** Lets the content script's reports arrive, then has the background write everything it queued. */
  settle(page?: Page): Promise<void>;
  close(): Promise<void>;
}

/** The extension API as an extension page sees it (typed just enough for the calls made here). */
interface PageBrowser {
  tabs: { query(q: object): Promise<{ id: number; url?: string }[]> };
  storage: { session: { get(k: string): Promise<Record<string, unknown>> } };
  action: { getBadgeText(d: { tabId: number }): Promise<string> };
  runtime: { getBackgroundPage(): Promise<{ privacyLens?: { flush(): Promise<void>; isReady: boolean } }> };
}
type PageGlobal = { browser: PageBrowser };

/**
 * Debian's Firefox ESR with the built extension, over WebDriver BiDi. Firefox has no host-resolver
 * rules: `prefs` route it through the fixture (or a staging copy) as an HTTP proxy.
 */
export async function launchFirefoxWithExtension({
  prefs,
  env = FIREFOX_ENV,
  extensionPath = FIREFOX_BUILD,
  insecure = true,
}: {
  prefs: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  extensionPath?: string;
  /** Accept self-signed certificates (the local demo shop, a staging copy). */
  insecure?: boolean;
}): Promise<FirefoxExtension> {
  if (!existsSync(FIREFOX)) throw new Error(`Firefox not found at ${FIREFOX}: install it with "apt-get install -y firefox-esr".`);
  if (!existsSync(join(extensionPath, 'manifest.json'))) throw new Error(`No Firefox build at ${extensionPath}: run "npm run build:firefox" first.`);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: insecure,
    // Without it Firefox refuses WebDriver navigation to moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { ...FIREFOX_QUIET_PREFS, ...prefs, 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }) },
    env: { ...process.env, ...env },
  });
  await browser.installExtension(extensionPath);
  const base = `moz-extension://${UUID}/`;
  let helper: Page | undefined;

  async function openPage(path: string, ready: string): Promise<Page> {
    const page = await browser.newPage();
    void page.goto(`${base}${path}`).catch(() => undefined);
    // While the moz-extension page loads, BiDi's script evaluation can fail outright; ask again.
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await page.waitForSelector(ready, { timeout: Math.max(1, deadline - Date.now()) });
        return page;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  /** An extension page kept open to ask the extension's APIs (Firefox gives no worker handle). */
  async function ask<T>(fn: (arg: string) => Promise<T>, arg: string): Promise<T> {
    helper ??= await openPage('popup.html?lang=en', '[data-view]');
    return helper.evaluate(fn, arg);
  }

  // The background page starts with the install; wait until it says it is ready, as in Chromium.
  const deadline = Date.now() + 20_000;
  while (!(await ask(async () => (await (globalThis as unknown as PageGlobal).browser.runtime.getBackgroundPage()).privacyLens?.isReady === true, '').catch(() => false))) {
    if (Date.now() > deadline) throw new Error('the extension’s background never became ready');
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    browser,
    base,
    openPage,
    tabIdOf: (pageOrUrl) =>
      ask(async (wanted) => {
        const tabs = await (globalThis as unknown as PageGlobal).browser.tabs.query({});
        const tab = tabs.find((t) => t.url === wanted);
        if (!tab) throw new Error(`no tab shows ${wanted}`);
        return tab.id;
      }, typeof pageOrUrl === 'string' ? pageOrUrl : pageOrUrl.url()),
    tabState: async (tabId) =>
      readStoredTabState(await ask(async (id) => (await (globalThis as unknown as PageGlobal).browser.storage.session.get(`tab:${id}`))[`tab:${id}`], String(tabId))),
    badgeText: (tabId) => ask(async (id) => (globalThis as unknown as PageGlobal).browser.action.getBadgeText({ tabId: Number(id) }), String(tabId)),
    async settle() {
      // The background asks each shop tab's content script to deliver its reports, then writes the log.
      await ask(async () => (await (globalThis as unknown as PageGlobal).browser.runtime.getBackgroundPage()).privacyLens?.flush(), '');
    },
    close: () => browser.close(),
  };
}
