import { copyFileSync, mkdirSync, watch } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../../lib/scan/chromium';
import { TRACKER_HOSTS } from '../fixtures/shop/hosts';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { changeLog } from './log';

export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

/** The README's pictures of the product. `README_SCREENSHOTS=1 npm run test:e2e` refreshes the committed copies. */
export const README_SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');

/**
 * A screenshot for the README: always into test-results, into docs/screenshots when asked to refresh
 * them. Of the whole page, or of one element of it (a chart).
 */
export async function readmeScreenshot(page: Page, name: string, element?: ElementHandle) {
  const path = resolve(SCREENSHOTS, `readme-${name}.png`);
  const box = await element?.boundingBox();
  // An element with a little of the page around it, so that nothing at its edge is cut.
  if (box) await page.screenshot({ path, clip: { x: Math.max(0, box.x - 12), y: Math.max(0, box.y - 12), width: box.width + 24, height: box.height + 24 }, captureBeyondViewport: true });
  else await page.screenshot({ path, fullPage: true });
  if (process.env.README_SCREENSHOTS === '1') {
    mkdirSync(README_SCREENSHOTS, { recursive: true });
    copyFileSync(path, resolve(README_SCREENSHOTS, `${name}.png`));
  }
}

/** Opens a page of the fixture shop in a new tab, waits for it and for the extension to settle. */
export async function visit(ext: ExtensionBrowser, path: string, host = 'www.mijnliefsteboek.nl') {
  const page = await ext.browser.newPage();
  await page.goto(`https://${host}${path}`, { waitUntil: 'networkidle0' });
  await ext.settle(page);
  return { page, tabId: await ext.tabIdOf(page) };
}

/**
 * The popup for a tab, in an ordinary tab (the toolbar popup shows the active tab only). `beforeLoad`
 * runs on the new tab before the popup's address is loaded (to listen to its requests, or to change
 * the page before its scripts run).
 */
export async function openPopup(ext: ExtensionBrowser, tabId: number, language = 'nl', { beforeLoad }: { beforeLoad?: (popup: Page) => Promise<void> } = {}): Promise<Page> {
  const popup = await ext.browser.newPage();
  await beforeLoad?.(popup);
  await popup.setViewport({ width: 380, height: 900 });
  await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tabId=${tabId}&lang=${language}`);
  return popup;
}

export interface PopupContent {
  view: string | null;
  entries: string[];
  requests: Record<string, number>;
  verdicts: Record<string, string>;
  cookies: Record<string, string[]>;
  unlisted: string[];
  findings: { kind: string; tracker: string | null; text: string }[];
  consent: { source: string | null; granted: Record<string, boolean> };
  violations: number;
  text: string;
}

/** What a person sees in the popup, read off its markup. */
export async function readPopup(popup: Page): Promise<PopupContent> {
  await popup.waitForSelector('[data-view]');
  return popup.evaluate(() => {
    const entries = [...document.querySelectorAll<HTMLElement>('[data-entry]')];
    const byEntry = <T,>(read: (e: HTMLElement) => T) => Object.fromEntries(entries.map((e) => [e.dataset.entry!, read(e)]));
    return {
      view: document.querySelector('[data-view]')?.getAttribute('data-view') ?? null,
      entries: entries.map((e) => e.dataset.entry!).sort(),
      requests: byEntry((e) => Number(e.querySelector<HTMLElement>('[data-requests]')!.dataset.requests)),
      verdicts: byEntry((e) => e.querySelector<HTMLElement>('[data-verdict]')?.dataset.verdict ?? ''),
      cookies: byEntry((e) => [...e.querySelectorAll<HTMLElement>('[data-cookie]')].map((c) => c.dataset.cookie!).sort()),
      unlisted: [...document.querySelectorAll<HTMLElement>('[data-host]')].map((e) => e.dataset.host!).sort(),
      findings: [...document.querySelectorAll<HTMLElement>('[data-finding]')].map((e) => ({ kind: e.dataset.finding!, tracker: e.dataset.tracker ?? null, text: e.innerText })),
      consent: {
        source: document.querySelector<HTMLElement>('[data-consent]')?.dataset.consent ?? null,
        granted: Object.fromEntries([...document.querySelectorAll<HTMLElement>('[data-category]')].map((e) => [e.dataset.category!, e.dataset.granted === 'true'])),
      },
      violations: Number(document.querySelector<HTMLElement>('[data-violations]')?.dataset.violations ?? 0),
      text: document.body.innerText,
    };
  });
}

/**
 * The tab's badge once the page's reports are in: settling flushes the tab store, whose flush waits for
 * the badge it draws, so the badge read after it is the settled one.
 */
export async function settledBadge(ext: ExtensionBrowser, tabId: number): Promise<string> {
  await ext.settle();
  return ext.badgeText(tabId);
}

/**
 * For a suite: the fixture shop and a Chromium with the built extension, mapped to it, started
 * before the suite's tests and closed after them; handed over through `use`.
 */
export function withShopAndExtension(use: (shop: FixtureShop, ext: ExtensionBrowser) => void, { hostRules = [] }: { hostRules?: string[] } = {}) {
  let shop: FixtureShop | undefined;
  let ext: ExtensionBrowser | undefined;
  beforeAll(async () => {
    shop = await startFixtureShop();
    // Rules of the suite's own first (the first match wins), then everything to the fixture.
    ext = await launchWithExtension({ hostRules: [...hostRules, `MAP * 127.0.0.1:${shop.port}`], insecure: true });
    use(shop, ext);
  });
  afterAll(async () => {
    await ext?.close();
    await shop?.close();
  });
}

/** Moves the stored rights requests back in time, as if days had passed: `sentDays` for when they were sent, `followUpDays` for their follow-ups. */
export function ageRequests(page: Page, { sentDays = 0, followUpDays = 0 }: { sentDays?: number; followUpDays?: number }) {
  return changeLog(page, 'rightsRequests', { earlier: { fields: { sentAt: sentDays * 86_400_000, 'followUps.at': followUpDays * 86_400_000 } } });
}

/** A JSON export is whole once it closes: Firefox creates the file first and writes it after. */
export const wholeJson = (text: string) => text.trim().endsWith('}');

/**
 * The first file in `dir` ending in `suffix` once it is whole, and its text: the browser saves downloads
 * when it likes. Looked for at once and again on each change the file system reports in `dir` (a file
 * created, renamed from its partial name, written), up to `timeoutMs`.
 */
export function waitForDownload(dir: string, suffix: string, isWhole: (text: string) => boolean = (text) => text.length > 0, timeoutMs = 20_000): Promise<{ path: string; text: string }> {
  return new Promise((resolveDownload, reject) => {
    let looking = false;
    let changedMeanwhile = false;
    let done = false;
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      watcher.close();
      clearTimeout(timer);
      outcome();
    };
    const look = async () => {
      if (looking) return void (changedMeanwhile = true);
      looking = true;
      try {
        do {
          changedMeanwhile = false;
          const found = await wholeDownload(dir, suffix, isWhole);
          if (found) return finish(() => resolveDownload(found));
        } while (changedMeanwhile && !done);
      } catch (error) {
        finish(() => reject(error));
      } finally {
        looking = false;
      }
    };
    const watcher = watch(dir, () => void look());
    const timer = setTimeout(() => finish(() => reject(new Error(`no whole ${suffix} download in ${dir} after ${timeoutMs} ms`))), timeoutMs);
    void look();
  });
}

async function wholeDownload(dir: string, suffix: string, isWhole: (text: string) => boolean): Promise<{ path: string; text: string } | null> {
  const file = (await readdir(dir)).find((f) => f.endsWith(suffix));
  if (!file) return null;
  const text = await readFile(join(dir, file), 'utf8').catch(() => ''); // renamed away meanwhile: the next change says where
  return isWhole(text) ? { path: join(dir, file), text } : null;
}

/** Runs `npm run scan -- …` (test/e2e/scan-cli.ts). */
export { runScanCli as scanCommand } from './scan-cli';

/**
 * Keeps what a page saves and copies, instead of the browser's downloads and clipboard (neither of
 * which a headless browser lets a test read back in both browsers): the text is what is checked.
 */
export async function keepSavesAndCopies(page: Page, { clipboard = true } = {}) {
  await page.evaluate((clipboardWorks) => {
    const kept: { saved: { name: string; text: Promise<string> }[]; copied: string[] } = { saved: [], copied: [] };
    (window as unknown as { __kept: typeof kept }).__kept = kept;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      kept.saved.push({ name: this.download, text: fetch(this.href).then((r) => r.text()) });
    };
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: async (text: string) => (clipboardWorks ? void kept.copied.push(text) : Promise.reject(new Error('not allowed in this frame'))) },
    });
    if (!clipboardWorks) document.execCommand = () => false;
  }, clipboard);
}
export const saved = (page: Page) => page.evaluate(async () => Promise.all((window as unknown as { __kept: { saved: { name: string; text: Promise<string> }[] } }).__kept.saved.map(async (s) => ({ name: s.name, text: await s.text }))));
export const copied = (page: Page) => page.evaluate(() => (window as unknown as { __kept: { copied: string[] } }).__kept.copied);

/** What the hostile flood page issued, and how its requests ended (test/fixtures/shop/hostile.ts). */
export type Flood = { meta: number; ga: number; unlisted: number; ended: number; refused: number; startedAt: number; endedAt: number };

/**
 * The hostile flood page's requests, waited for and not slept on: until the page has issued every one
 * and every one has ended, answered or refused. Returns what the page issued and what the fixture
 * received. The two can differ: under load, the browser refuses a share of a flood before it leaves
 * (ERR_INSUFFICIENT_RESOURCES: 28 of 900 Meta hits in one run beside a busy core), and the fixture never sees those.
 * webRequest still shows the extension each one's start, so the extension counts what the page issued.
 */
export async function floodEnded(page: Page, shop: FixtureShop) {
  await page.waitForFunction(
    () => {
      const flood = (window as { __flood?: Flood }).__flood;
      return flood?.endedAt != null && flood.ended === flood.meta + flood.ga + flood.unlisted;
    },
    { timeout: 90_000, polling: 200 },
  );
  const issued = await page.evaluate(() => (window as unknown as { __flood: Flood }).__flood);
  const received = {
    meta: shop.requests.filter((r) => r.host === TRACKER_HOSTS.facebook && r.path.includes('ev=Flood')).length,
    ga: shop.requests.filter((r) => r.host === TRACKER_HOSTS.googleAnalytics && r.path.includes('en=flood')).length,
    unlisted: shop.requests.filter((r) => r.host.endsWith('.flood-beacons.example')).length,
  };
  return { issued, received };
}
