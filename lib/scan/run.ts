import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CATALOG_VERSION } from '../catalog';
import { buildReport, pageReport, summariseSite, visitFromTab, type PageReport, type Report, type SiteScan } from '../report';
import type { Browser, Page } from 'puppeteer';
import type { TabState } from '../observe/tab-state';
import { hostRulesFor, resolveRulesFor, type ScanOptions } from './args';
import { answerBanners } from './autoconsent';
import { CHROME_BUILD, launchWithExtension } from './chromium';
import { crawlSite } from './crawl';
import { FIREFOX_BUILD, firefoxProxyPrefs, launchFirefoxWithExtension } from './firefox';
import { createProgress } from './progress';
import { startResolvingProxy } from './resolving-proxy';
import { pickShard } from './shard';
import { readSitemaps } from './sitemap';
import { provideBundledMessages } from '../i18n/bundled';

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
  /** Pages that did not load: the report does not cover them, and the scan exits with 2. */
  failed: { url: string; reason: string }[];
}

export async function runScan(options: ScanOptions, progress: (line: string) => void): Promise<ScanResult> {
  // The report's evidence is written in the extension's words: in Node they come with the bundle.
  provideBundledMessages();
  ensureBuilt(options.browser, progress);
  let demo: { close(): Promise<void> } | null = null;
  let urls = options.urls;
  let network: Network = { options, insecure: options.insecure };
  if (urls.length === 0 && !options.sitemap) {
    // Loaded only here: the demo shop is the test fixture, playing the shop and its trackers offline.
    const { startFixtureShop } = await import('../../test/fixtures/shop/server');
    const shop = await startFixtureShop();
    demo = shop;
    urls = DEMO_PATHS.map((path) => `${shop.origin()}${path}`);
    network = { options: { resolve: [], mapAll: `127.0.0.1:${shop.port}` }, insecure: true, proxyPort: shop.port };
    progress(`Offline demo shop on 127.0.0.1:${shop.port}, playing www.mijnliefsteboek.nl and its trackers.`);
  }

  try {
    const site = await findPages(options, urls, network, progress);
    const targets = pickShard(site.urls, options.shard);
    if (options.shard) progress(`Shard ${options.shard.index}/${options.shard.count}: ${targets.length} of the ${site.urls.length} pages.`);
    const outcomes = await scanPages(targets, options, network, progress);
    const pages = outcomes.flatMap((o) => (o.page ? [site.scan ? { ...o.page, position: o.position } : o.page] : []));
    const skipped = outcomes.flatMap((o) => (o.skipped ? [o.url] : []));
    const failed = outcomes.flatMap((o) => (o.failed ? [{ url: o.url, reason: o.failed }] : []));
    const report = buildReport(pages, scanTool(), { catalogVersion: CATALOG_VERSION });
    if (site.scan) Object.assign(report, { site: { ...site.scan, failed }, summary: summariseSite(pages) });
    return { report, demo: demo !== null, skipped, failed };
  } finally {
    await demo?.close();
  }
}

interface FoundPages {
  urls: string[];
  /** For a site scan (a sitemap, a crawl or a shard of a list): how its pages were found. */
  scan: Omit<SiteScan, 'failed'> | null;
}

/** The pages to scan: the URLs given, every page of a sitemap, or a crawl's finds. */
async function findPages(options: ScanOptions, urls: string[], network: Network, progress: (line: string) => void): Promise<FoundPages> {
  const fetchNetwork = { rules: resolveRulesFor(network.options), insecure: network.insecure };
  const scan = (source: SiteScan['source'], start: string | null, found: string[]): FoundPages => ({
    urls: found,
    scan: { source, start, urls: found.length, consent: options.consent, shards: options.shard ? [options.shard] : [] },
  });
  try {
    if (options.sitemap) {
      const { pages, files } = await readSitemaps(options.sitemap, fetchNetwork);
      progress(`Sitemap ${options.sitemap}: ${pages.length} pages in ${files} ${files === 1 ? 'file' : 'files'}.`);
      if (pages.length === 0) throw new SetupError(`${options.sitemap} lists no pages.`);
      return scan('sitemap', options.sitemap, pages);
    }
    if (options.crawl) {
      const { pages, left } = await crawlSite(urls[0]!, options.crawl, fetchNetwork);
      progress(`Crawl from ${urls[0]}: ${pages.length} pages found${left.length ? `; left out ${left.length}:` : '.'}`);
      for (const { url, why } of left) progress(`      ${url}: ${why}`);
      if (pages.length === 0) throw new SetupError(`No page could be crawled from ${urls[0]}${left[0] ? `: ${left[0].why}` : ''}.`);
      return scan('crawl', urls[0]!, pages);
    }
  } catch (error) {
    if (error instanceof SetupError) throw error;
    throw new SetupError(`The pages could not be found: ${error instanceof Error ? error.message : String(error)}. Is the address right, and does --resolve / --map-all point at a running copy?`);
  }
  return options.shard ? scan('urls', null, urls) : { urls, scan: null };
}

interface PageOutcome {
  url: string;
  position: number;
  page?: PageReport;
  skipped?: boolean;
  failed?: string;
}

/**
 * Visits the pages `concurrency` at a time, each slot a browser of its own (its own profile): Chromium runs
 * the extension in an incognito context only with its cookies API blind to that context's jar, and in one
 * profile the extension reads every tab's cookie changes as one jar, so a choice made on one page would
 * reach another. Within a slot, every page starts as a first visit (cookies and the page's storage cleared).
 */
async function scanPages(targets: { url: string; position: number }[], options: ScanOptions, network: Network, progress: (line: string) => void): Promise<PageOutcome[]> {
  const slots = Math.max(1, Math.min(options.concurrency, targets.length));
  const outcomes: PageOutcome[] = [];
  const queue = [...targets];
  const browsers: ScanBrowser[] = [];
  const refused: string[] = [];
  let meter: ReturnType<typeof createProgress> | undefined;
  try {
    // Each slot starts on the pages as soon as its own browser is up.
    await Promise.all(
      Array.from({ length: slots }, async () => {
        const ext = await launch(options.browser, network).catch((error: unknown) => void refused.push(error instanceof Error ? error.message : String(error)));
        if (!ext) return;
        browsers.push(ext);
        meter ??= createProgress(targets.length);
        for (let target = queue.shift(); target; target = queue.shift()) {
          const outcome = await scanPage(ext, target, options);
          outcomes.push(outcome);
          const what = outcome.failed ? `did not load: ${outcome.failed}` : outcome.skipped ? 'not a page of the shop: the extension collects nothing here' : outcome.page ? `${outcome.page.trackers.length} named, ${outcome.page.unlisted.length} unnamed` : '';
          progress(`[${meter.pageDone()}] ${target.url}${options.consent === 'none' ? '' : ` (consent: ${options.consent})`}\n      ${what}${outcome.banner ? `; consent banner: ${outcome.banner}` : ''}`);
        }
      }),
    );
  } finally {
    await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
  }
  if (browsers.length === 0) throw new SetupError(refused[0] ?? 'the browser did not start');
  if (refused.length) progress(`${refused.length} of the ${slots} browsers did not start (${refused[0]}); the others scanned every page.`);
  return outcomes.sort((a, b) => a.position - b.position);
}

async function scanPage(ext: ScanBrowser, target: { url: string; position: number }, options: ScanOptions): Promise<PageOutcome & { banner?: string }> {
  const { url, position } = target;
  const page = await ext.browser.newPage();
  try {
    const banners = options.consent === 'none' ? null : await answerBanners(page, options.consent);
    const loaded = await page.goto(url, { waitUntil: 'networkidle0', timeout: 30_000 }).then(
      () => null,
      (error: Error) => error.message,
    );
    if (loaded !== null) return { url, position, failed: `${loaded}. Is the address right, and does --resolve / --map-all point at a running copy?` };
    const outcome = banners ? await banners.done(8_000) : null;
    if (banners) await page.waitForNetworkIdle({ idleTime: 500, timeout: 15_000 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, options.settleMs));
    await ext.settle(page);
    const state = await ext.tabState(await ext.tabIdOf(page));
    // What the extension recorded is the judge of whether the banner was answered, not autoconsent's own word.
    const answered = state?.consent.some((c) => !c.carriedOver);
    const kept = state?.consent.some((c) => c.carriedOver);
    const banner = outcome === null ? undefined : answered ? `answered (${options.consent})` : kept ? 'already answered before this page' : outcome === 'no-banner' ? 'none found' : `could not be answered (${outcome})`;
    if (!state) return { url, position, skipped: true, banner };
    return { url, position, page: pageReport(visitFromTab(state), null), banner };
  } finally {
    await forget(page);
  }
}

/**
 * Closes the page and leaves the profile as a first-time visitor's: the page's own storage (where some
 * platforms keep their record) and every cookie. The extension hears each cookie go, as it would live.
 */
export async function forget(page: Page): Promise<void> {
  await page
    .evaluate(() => {
      localStorage.clear();
      sessionStorage.clear();
    })
    .catch(() => undefined);
  const browser = page.browser();
  await page.close().catch(() => undefined);
  const cookies = await browser.cookies().catch(() => []);
  if (cookies.length) await browser.deleteCookie(...cookies).catch(() => undefined);
}

/** The tool named in the scan's reports: this package. */
export function scanTool(): Report['tool'] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
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
