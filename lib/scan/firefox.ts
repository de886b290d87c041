import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import type { TabState } from '../observe/tab-state';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_BUILD = resolve(import.meta.dirname, '../../.output/firefox-mv2');
const GECKO_ID = 'privacy-lens@mijnliefsteboek.example';
/** Pinned, so the tests know the extension's moz-extension:// address. */
const UUID = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

export interface FirefoxExtension {
  browser: Browser;
  base: string;
  /** Opens one of the extension's pages. Firefox never resolves a moz-extension navigation; wait for the page instead. */
  openPage(path: string, ready: string): Promise<Page>;
  tabIdOf(url: string): Promise<number>;
  tabState(tabId: number): Promise<TabState | null>;
  close(): Promise<void>;
}

/**
 * Debian's Firefox ESR with the built extension, over WebDriver BiDi. Firefox has no host-resolver
 * rules: `prefs` route it through the fixture (or a staging copy) as an HTTP proxy.
 */
export async function launchFirefoxWithExtension({ prefs, env = {}, extensionPath = FIREFOX_BUILD }: { prefs: Record<string, string | number | boolean>; env?: Record<string, string>; extensionPath?: string }): Promise<FirefoxExtension> {
  if (!existsSync(FIREFOX)) throw new Error(`Firefox not found at ${FIREFOX}: install it with "apt-get install -y firefox-esr".`);
  if (!existsSync(join(extensionPath, 'manifest.json'))) throw new Error(`No Firefox build at ${extensionPath}: run "npm run build:firefox" first.`);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    // Without it Firefox refuses WebDriver navigation to moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { ...prefs, 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }) },
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

  return {
    browser,
    base,
    openPage,
    tabIdOf: (url) =>
      ask(async (wanted) => {
        const tabs = await (globalThis as unknown as { browser: { tabs: { query(q: object): Promise<{ id: number; url?: string }[]> } } }).browser.tabs.query({});
        return tabs.find((t) => t.url === wanted)!.id;
      }, url),
    tabState: (tabId) =>
      ask(async (id) => {
        const area = (globalThis as unknown as { browser: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } } }).browser.storage.session;
        return ((await area.get(`tab:${id}`))[`tab:${id}`] as TabState | undefined) ?? null;
      }, String(tabId)),
    close: () => browser.close(),
  };
}
