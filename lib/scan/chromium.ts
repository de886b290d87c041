/// <reference types="chrome" />
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type Target, type WebWorker } from 'puppeteer';
import { readStoredTabState, type TabState } from '../observe/tab-state';
import { within } from '../timing/within';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROME_BUILD = resolve(import.meta.dirname, '../../.output/chrome-mv3');

/**
 * Google services that Debian's Chromium calls by itself even with --disable-background-networking
 * (sign-in, the extension updater, autofill on pages with forms). When host names are mapped to a
 * local or staging copy, these must fail to resolve instead, or they would look like page traffic.
 */
export const CHROMIUM_SERVICE_HOSTS: readonly string[] = ['accounts.google.com', 'update.googleapis.com', 'clients2.google.com', 'content-autofill.googleapis.com'];

export interface NetworkOptions {
  /** Chromium host-resolver rules, e.g. `MAP * 127.0.0.1:8443` or `MAP www.mijnliefsteboek.nl 10.0.0.5:443`. */
  hostRules?: string[];
  /** Accept self-signed certificates (a staging copy, the local demo shop). */
  insecure?: boolean;
}

/**
 * Flags for Debian's Chromium as root on a machine without a network: without the background
 * networking ones Chromium keeps calling Google's servers. Host-resolver rules send the shop's and
 * the trackers' real host names to a local or staging copy.
 */
export function chromiumArgs({ hostRules = [], insecure = false }: NetworkOptions = {}): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--window-size=1280,800',
    // The first matching rule wins: the service hosts go first, a catch-all `MAP *` last.
    ...(hostRules.length ? [`--host-resolver-rules=${[...CHROMIUM_SERVICE_HOSTS.map((h) => `MAP ${h} ~NOTFOUND`), ...hostRules].join(',')}`] : []),
    ...(insecure ? ['--ignore-certificate-errors'] : []),
  ];
}

/**
 * Closes a worker's target and says whether it went away within `ms`, and what the close answered if it
 * failed. puppeteer closes the target, then detaches from it: on a loaded machine the stopped worker's
 * session is often gone by then and the detach fails, although the stop was done. So the target's end
 * decides, not the call's answer.
 */
export async function closeWorker(browser: Browser, target: Target, handle: WebWorker, ms: number): Promise<{ gone: boolean; refused: Error | null }> {
  let onDestroyed!: (t: Target) => void;
  const destroyed = new Promise<true>((resolve) => {
    onDestroyed = (t) => void (t === target && resolve(true));
    browser.on('targetdestroyed', onDestroyed);
  });
  const refused = await handle.close().then(
    () => null,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  const gone = await within(ms, destroyed, false);
  browser.off('targetdestroyed', onDestroyed);
  return { gone, refused };
}

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  worker(): Promise<WebWorker>;
  /** Once the background is ready: every shop tab's reports delivered, everything queued written. */
  settle(page?: Page): Promise<void>;
  tabIdOf(page: Page): Promise<number>;
  tabState(tabId: number): Promise<TabState | null>;
  badgeText(tabId: number): Promise<string>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Debian's Chromium with the built extension installed, the way the toolchain notes found reliable. */
export async function launchWithExtension({
  extensionPath = CHROME_BUILD,
  language = 'nl',
  extraArgs = [],
  ...network
}: NetworkOptions & { extensionPath?: string; language?: string; /** More Chromium flags (a test opening DevTools with each tab). */ extraArgs?: string[] }): Promise<ExtensionBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium".`);
  if (!existsSync(join(extensionPath, 'manifest.json'))) throw new Error(`No built extension at ${extensionPath}: run "npm run build" first.`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'privacy-lens-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    // `enableExtensions: [path]` does not await the install in this puppeteer; install explicitly.
    enableExtensions: true,
    userDataDir,
    args: [...chromiumArgs(network), ...extraArgs],
    env: { ...process.env, LANGUAGE: language, LANG: language === 'nl' ? 'nl_NL.UTF-8' : 'en_US.UTF-8' },
  });
  const extensionId = await browser.installExtension(extensionPath);

  const isOurWorker = (t: Target) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`);

  async function readyWorker(): Promise<{ target: Target; handle: WebWorker }> {
    // The target exists before the script has run: wait for the background's own ready flag. The
    // targets are looked up again on each try, newest first: a worker stopped or replaced (by an
    // update) can leave a target behind whose handle never answers.
    for (let i = 0; i < 200; i++) {
      await browser.waitForTarget(isOurWorker, { timeout: 20_000 });
      for (const target of browser.targets().filter(isOurWorker).reverse()) {
        const handle = await within(1_000, target.worker().catch(() => null), null);
        const ready = await within(1_000, handle?.evaluate(() => (globalThis as { privacyLens?: { isReady: boolean } }).privacyLens?.isReady === true).catch(() => false) ?? Promise.resolve(false), false);
        if (handle && ready) return { target, handle };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the background never became ready');
  }
  const worker = () => readyWorker().then(({ handle }) => handle);
  await worker();

  return {
    browser,
    extensionId,
    worker,
    async settle() {
      // The background asks each shop tab's content script to deliver its reports, then writes the log.
      const w = await worker();
      await w.evaluate(() => (globalThis as unknown as { privacyLens: { flush(): Promise<void> } }).privacyLens.flush());
    },
    async tabIdOf(page) {
      await page.bringToFront();
      const w = await worker();
      return w.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        return tab!.id!;
      });
    },
    async tabState(tabId) {
      const w = await worker();
      return readStoredTabState(await w.evaluate(async (id) => (await chrome.storage.session.get(`tab:${id}`))[`tab:${id}`], tabId));
    },
    async badgeText(tabId) {
      const w = await worker();
      return w.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    },
    async stopWorker() {
      const { target, handle } = await readyWorker();
      const { gone, refused } = await closeWorker(browser, target, handle, 10_000);
      if (!gone) throw refused ?? new Error('the service worker did not stop within 10 s');
    },
    async close() {
      await browser.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
