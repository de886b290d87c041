import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CATALOG_VERSION } from '../catalog';
import { buildReport, pageReport, visitFromTab, type PageReport, type Report } from '../report';
import type { Browser, Page } from 'puppeteer';
import type { TabState } from '../observe/tab-state';
import { hostRulesFor, resolveRulesFor, type ScanOptions } from './args';
import { answerBanners } from './autoconsent';
import { CHROME_BUILD, launchWithExtension } from './chromium';
import { FIREFOX_BUILD, firefoxProxyPrefs, launchFirefoxWithExtension } from './firefox';
import { startResolvingProxy } from './resolving-proxy';

const ROOT = resolve(import.meta.dirname, '../..');

/** A set-up problem the user can fix; the CLI prints the message and exits with code 2. */
export class SetupError extends Error {}

/** The demo tour of the offline shop: an eager page, a careful one, a broken one, the checkout. */
const DEMO_PATHS = ['/', '/consent/respectful', '/consent/meta-ignores-refusal', '/checkout'];

/** What the scan needs from a browser with the extension in it; Chromium and Firefox both provide it. */
interface ScanBrowser {
  browser: Browser;
  settle(page: Page): Promise<void>;
  tabIdOf(page: Page): Promise<number>;
  tabState(tabId: number): Promise<TabState | null>;
  close(): Promise<void>;
}

/** Where a page's host names should go: Chromium takes resolver rules, Firefox a proxy that applies them. */
interface Network {
  options: Pick<ScanOptions, 'resolve' | 'mapAll'>;
  insecure: boolean;
  /** A port that already is a proxy playing every host (the demo shop): Firefox can use it as is. */
  proxyPort?: number;
}

async function launch(browser: ScanOptions['browser'], network: Network): Promise<ScanBrowser> {
  if (browser === 'chromium') return launchWithExtension({ hostRules: hostRulesFor(network.options), insecure: network.insecure, language: 'en' });
  const rules = resolveRulesFor(network.options);
  const proxy = network.proxyPort === undefined && rules.length ? await startResolvingProxy(rules) : null;
  const port = network.proxyPort ?? proxy?.port;
  const ff = await launchFirefoxWithExtension({ prefs: port === undefined ? {} : firefoxProxyPrefs(port), insecure: network.insecure }).catch(async (error: unknown) => {
    await proxy?.close();
    throw error;
  });
  return {
    ...ff,
    close: async () => {
      await ff.close();
      await proxy?.close();
    },
  };
}

export interface ScanResult {
  report: Report;
  demo: boolean;
  /** URLs that were not shop pages: the extension collects nothing there, so they have no page in the report. */
  skipped: string[];
}

export async function runScan(options: ScanOptions, progress: (line: string) => void): Promise<ScanResult> {
  ensureBuilt(options.browser, progress);
  let demo: { close(): Promise<void> } | null = null;
  let urls = options.urls;
  let network: Network = { options, insecure: options.insecure };
  if (urls.length === 0) {
    // Loaded only here: the demo shop is the test fixture, playing the shop and its trackers offline.
    const { startFixtureShop } = await import('../../test/fixtures/shop/server');
    const shop = await startFixtureShop();
    demo = shop;
    urls = DEMO_PATHS.map((path) => `${shop.origin()}${path}`);
    network = { options: { resolve: [], mapAll: `127.0.0.1:${shop.port}` }, insecure: true, proxyPort: shop.port };
    progress(`Offline demo shop on 127.0.0.1:${shop.port}, playing www.mijnliefsteboek.nl and its trackers.`);
  }

  const ext = await launch(options.browser, network).catch(async (error: Error) => {
    await demo?.close();
    throw new SetupError(error.message);
  });
  const pages: PageReport[] = [];
  const skipped: string[] = [];
  try {
    for (const [index, url] of urls.entries()) {
      progress(`[${index + 1}/${urls.length}] ${url}${options.consent === 'none' ? '' : ` (consent: ${options.consent})`}`);
      const page = await ext.browser.newPage();
      try {
        const banners = options.consent === 'none' ? null : await answerBanners(page, options.consent);
        await page.goto(url, { waitUntil: 'networkidle0', timeout: 30_000 }).catch((error: Error) => {
          throw new SetupError(`${url} did not load: ${error.message}. Is the address right, and does --resolve / --map-all point at a running copy?`);
        });
        const outcome = banners ? await banners.done(8_000) : null;
        if (banners) await page.waitForNetworkIdle({ idleTime: 500, timeout: 15_000 }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, options.settleMs));
        await ext.settle(page);
        const state = await ext.tabState(await ext.tabIdOf(page));
        if (outcome) {
          // What the extension recorded is the judge of whether the banner was answered, not autoconsent's own word.
          const answered = state?.consent.some((c) => !c.carriedOver);
          const kept = state?.consent.some((c) => c.carriedOver);
          progress(`      consent banner: ${answered ? `answered (${options.consent})` : kept ? 'already answered on an earlier page' : outcome === 'no-banner' ? 'none found' : `could not be answered (${outcome})`}`);
        }
        if (state) pages.push(pageReport(visitFromTab(state), null));
        else {
          skipped.push(url);
          progress('      not a page of the shop: the extension collects nothing here');
        }
      } finally {
        await page.close().catch(() => undefined);
      }
    }
  } finally {
    await ext.close();
    await demo?.close();
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return { report: buildReport(pages, { name: pkg.name, version: pkg.version }, { catalogVersion: CATALOG_VERSION }), demo: demo !== null, skipped };
}

/** Builds the extension for the browser when there is no build or the sources are newer than it. */
function ensureBuilt(browser: ScanOptions['browser'], progress: (line: string) => void) {
  const manifest = join(browser === 'firefox' ? FIREFOX_BUILD : CHROME_BUILD, 'manifest.json');
  const builtAt = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  const sources = ['entrypoints', 'components', 'lib', 'public', 'wxt.config.ts'].map((p) => join(ROOT, p));
  if (builtAt > 0 && newestChange(sources) <= builtAt) return;
  progress(`Building the extension (npm run ${browser === 'firefox' ? 'build:firefox' : 'build'})…`);
  const build = spawnSync('npx', ['wxt', 'build', ...(browser === 'firefox' ? ['-b', 'firefox'] : [])], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new SetupError(`The extension did not build:\n${build.stdout}\n${build.stderr}`);
}

function newestChange(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) newest = Math.max(newest, newestChange(readdirSync(path).map((name) => join(path, name))));
    else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}
