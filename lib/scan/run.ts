import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CATALOG_VERSION } from '../catalog';
import { summariseTab, type TabSummary } from '../view/tab-summary';
import { hostRulesFor, type ScanOptions } from './args';
import { CHROME_BUILD, launchWithExtension } from './chromium';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ScannedPage {
  url: string;
  visitedAt: string;
  /** null when the page never became a shop visit (not the shop, or it failed to load). */
  summary: TabSummary | null;
  error: string | null;
}

export interface ScanResult {
  tool: { name: string; version: string };
  catalogVersion: string;
  generatedAt: string;
  demo: boolean;
  pages: ScannedPage[];
}

/** A set-up problem the user can fix; the CLI prints the message and exits with code 2. */
export class SetupError extends Error {}

/** The demo tour of the offline shop: what a customer sees on the way to paying. */
const DEMO_PATHS = ['/', '/checkout', '/over/privacybeleid'];

export async function runScan(options: ScanOptions, progress: (line: string) => void): Promise<ScanResult> {
  ensureBuilt(progress);
  let demo: { close(): Promise<void> } | null = null;
  let urls = options.urls;
  let network = { hostRules: hostRulesFor(options), insecure: options.insecure };
  if (urls.length === 0) {
    // Loaded only here: the demo shop is the test fixture, playing the shop and its trackers offline.
    const { startFixtureShop } = await import('../../test/fixtures/shop/server');
    const shop = await startFixtureShop();
    demo = shop;
    urls = DEMO_PATHS.map((path) => `${shop.origin()}${path}`);
    network = { hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true };
    progress(`Offline demo shop on 127.0.0.1:${shop.port}, playing www.mijnliefsteboek.nl and its trackers.`);
  }

  const ext = await launchWithExtension({ ...network, language: 'en' }).catch((error: Error) => {
    throw new SetupError(error.message);
  });
  const pages: ScannedPage[] = [];
  try {
    for (const [index, url] of urls.entries()) {
      progress(`[${index + 1}/${urls.length}] ${url}`);
      const visitedAt = new Date().toISOString();
      const page = await ext.browser.newPage();
      try {
        await page.goto(url, { waitUntil: 'networkidle0', timeout: 30_000 });
        await new Promise((r) => setTimeout(r, options.settleMs));
        await ext.settle(page);
        const state = await ext.tabState(await ext.tabIdOf(page));
        pages.push({ url, visitedAt, summary: state ? summariseTab(state, 'en') : null, error: null });
      } catch (error) {
        pages.push({ url, visitedAt, summary: null, error: error instanceof Error ? error.message : String(error) });
      } finally {
        await page.close().catch(() => undefined);
      }
    }
  } finally {
    await ext.close();
    await demo?.close();
  }
  const pkg = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(join(ROOT, 'package.json'), 'utf8'))) as { name: string; version: string };
  return { tool: { name: pkg.name, version: pkg.version }, catalogVersion: CATALOG_VERSION, generatedAt: new Date().toISOString(), demo: demo !== null, pages };
}

/** Builds the extension when there is no build or the sources are newer than it. */
function ensureBuilt(progress: (line: string) => void) {
  const manifest = join(CHROME_BUILD, 'manifest.json');
  const builtAt = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  const sources = ['entrypoints', 'components', 'lib', 'public', 'wxt.config.ts'].map((p) => join(ROOT, p));
  if (builtAt > 0 && newestChange(sources) <= builtAt) return;
  progress('Building the extension (npm run build)…');
  const build = spawnSync('npx', ['wxt', 'build'], { cwd: ROOT, encoding: 'utf8' });
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
