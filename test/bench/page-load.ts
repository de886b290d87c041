/**
 * Page load with and without the extension, against a control: where does the extension's cost come
 * from? Three arms, each a Chromium of its own, loads interleaved in rotating order:
 *
 * - `none`: no extension;
 * - `control`: an extension with exactly our manifest's permissions and host permissions, and our
 *   webRequest listeners (same events, filters and extra info: `requestBody`, `responseHeaders`,
 *   `extraHeaders`) doing nothing. What Chromium charges any extension that watches these hosts;
 * - `scripts`: the control, plus our manifest's two content scripts (same pages, same worlds, same
 *   `document_start`), each an empty file. What the browser charges for running any content script
 *   on the page: a script world made and a script loaded before the page's own;
 * - `worker`: the built extension with its two content scripts emptied: our worker alone, beside the
 *   browser's price of running two scripts on the page;
 * - `ours`: the built extension.
 *
 * `control / none` and `scripts / control` are the platform's floor; `ours / scripts` is the part
 * that is our code, `worker / scripts` the share of it that is our worker's (it runs in a process of
 * its own, so it costs the page only the CPU it takes from it), `ours / worker` our content scripts'.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type CDPSession, type Page } from 'puppeteer';
import { CHROME_BUILD, CHROMIUM, chromiumArgs, launchWithExtension, type ExtensionBrowser } from '../../lib/scan/chromium';
import { bootstrapRatio, median, quantile } from './stats';

export type Arm = 'none' | 'control' | 'scripts' | 'worker' | 'ours';
const ARMS: Arm[] = ['none', 'control', 'scripts', 'worker', 'ours'];

/** A customer's connection, roughly: DevTools' network emulation on each page (latency is per request). */
export const REALISTIC_NETWORK = { latency: 40, download: (20 * 1024 * 1024) / 8, upload: (5 * 1024 * 1024) / 8 };

/** The page's own network, or DevTools' emulation of a customer's (`REALISTIC_NETWORK`). */
export type Network = 'local' | 'realistic';

interface Sample {
  page: string;
  network: Network;
  arm: Arm;
  ms: number;
}

/**
 * The control extension: our built manifest's permissions, with a background that registers our three
 * webRequest listeners and returns; with `contentScripts`, also our content scripts' entries, each an
 * empty file. No pages, no storage.
 */
export async function writeControlExtension({ contentScripts = false } = {}): Promise<string> {
  type ContentScript = { matches: string[]; run_at?: string; world?: string; js: string[] };
  const ours = JSON.parse(await readFile(join(CHROME_BUILD, 'manifest.json'), 'utf8')) as { permissions: string[]; host_permissions: string[]; content_scripts: ContentScript[] };
  const dir = await mkdtemp(join(tmpdir(), 'privacy-lens-control-'));
  const manifest = {
    manifest_version: 3,
    name: 'privacy-lens control',
    version: '1.0.0',
    permissions: ours.permissions,
    host_permissions: ours.host_permissions,
    background: { service_worker: 'background.js' },
    ...(contentScripts ? { content_scripts: ours.content_scripts.map((script, i) => ({ ...script, js: [`empty-${i}.js`] })) } : {}),
  };
  // Its clock, as ours keeps it (lib/background/timings.ts): the cold start's floor.
  const background = `
const timings = { scriptStarted: performance.now() };
timings.modulesLoaded = timings.listening = timings.started = timings.scriptStarted;
const filter = { urls: ${JSON.stringify(ours.host_permissions)} };
chrome.webRequest.onBeforeRequest.addListener(() => void (timings.firstRequestHandled ??= timings.firstRequestArrived ??= performance.now()), filter, ['requestBody']);
chrome.webRequest.onCompleted.addListener(() => undefined, filter, ['responseHeaders', 'extraHeaders']);
chrome.webRequest.onErrorOccurred.addListener(() => undefined, filter);
chrome.cookies.onChanged.addListener(() => undefined);
chrome.tabs.onUpdated.addListener(() => undefined);
globalThis.privacyLens = { isReady: true, flush: async () => undefined, timings };
`;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(dir, 'background.js'), background);
  if (contentScripts) await Promise.all(ours.content_scripts.map((_, i) => writeFile(join(dir, `empty-${i}.js`), '')));
  return dir;
}

/** Our built extension with each content script an empty file: our worker alone on the page. */
export async function writeWorkerOnlyExtension(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'privacy-lens-worker-only-'));
  await cp(CHROME_BUILD, dir, { recursive: true });
  for (const file of await readdir(join(dir, 'content-scripts'))) if (file.endsWith('.js')) await writeFile(join(dir, 'content-scripts', file), '');
  return dir;
}

/**
 * The popup's floor: an extension with one page that puts one word on screen and marks its next
 * frame, as our popup marks the frame with the tab's content (`privacy-lens:content-painted`). What
 * opening an extension page costs before any of our code: the renderer, the page, one script.
 */
export async function writePopupFloorExtension(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'privacy-lens-popup-floor-'));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'privacy-lens popup floor', version: '1.0.0', action: { default_popup: 'popup.html' } }, null, 2));
  await writeFile(join(dir, 'popup.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><main id="app"></main><script type="module" src="/popup.js"></script></body></html>');
  await writeFile(join(dir, 'popup.js'), "document.getElementById('app').textContent = 'Privacy';\nrequestAnimationFrame(() => performance.mark('privacy-lens:content-painted'));\n");
  return dir;
}

/** Milliseconds from navigation start to the end of the load event, in a fresh tab. */
export async function loadTime(browser: Browser, url: string, network: Sample['network']): Promise<number> {
  const page = await browser.newPage();
  try {
    if (network === 'realistic') await page.emulateNetworkConditions(REALISTIC_NETWORK);
    await page.goto(url, { waitUntil: 'load' });
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return nav.loadEventEnd - nav.startTime;
    });
  } finally {
    await page.close();
  }
}

/** Rounds a page on one network may load again after a load failed, before the run gives up. */
const MAX_ROUNDS_AGAIN = 3;

export interface PageLoadResult {
  /** The loads that failed (a 30 s timeout), each of whose rounds was loaded again. */
  loadedAgain: { page: string; network: Sample['network']; arm: Arm; round: number; message: string }[];
  rows: {
    page: string;
    network: Sample['network'];
    loads: number;
    medianMs: Record<Arm, number>;
    iqrMs: Record<Arm, [number, number]>;
    withWithout: { ratio: number; ci95: [number, number] };
    controlNone: { ratio: number; ci95: [number, number] };
    scriptsControl: { ratio: number; ci95: [number, number] };
    oursScripts: { ratio: number; ci95: [number, number] };
    workerScripts: { ratio: number; ci95: [number, number] };
    oursWorker: { ratio: number; ci95: [number, number] };
    oursControl: { ratio: number; ci95: [number, number] };
  }[];
}

/**
 * `loads` loads per arm of each page on each network, interleaved: each round loads the page once in
 * every arm, the arms' order rotating from round to round, so drift on a noisy machine hits all alike.
 */
export async function measurePageLoads({
  origin,
  hostRules,
  pages,
  loads,
  arms,
}: {
  origin: string;
  hostRules: string[];
  pages: string[];
  loads: number;
  arms: Record<Arm, Browser>;
}): Promise<PageLoadResult> {
  const samples: Sample[] = [];
  const loadedAgain: PageLoadResult['loadedAgain'] = [];
  void hostRules;
  for (const network of ['local', 'realistic'] as const) {
    for (const path of pages) {
      const url = `${origin}${path}`;
      // Warm-up: the fixture's first responses, each browser's caches of the TLS session. A warm-up load
      // that fails is let go: it measures nothing, and an arm that fails for good fails its rounds below.
      for (const arm of ARMS) for (let i = 0; i < 2; i++) await loadTime(arms[arm], url, network).catch(() => undefined);
      let again = 0;
      for (let round = 0; round < loads; ) {
        const roundSamples: Sample[] = [];
        for (let k = 0; k < ARMS.length; k++) {
          const arm = ARMS[(round + k) % ARMS.length]!;
          try {
            roundSamples.push({ page: path, network, arm, ms: await loadTime(arms[arm], url, network) });
          } catch (error) {
            // Which load hung says whose it was: the browser's, the control's, or ours. One hung load
            // (the emulated network has stalled a control's load for 30 s, on a loaded machine) costs its
            // round, loaded again whole so that every arm keeps the same rounds; a few cost the run.
            const failure = { page: path, network, arm, round: round + 1, message: (error as Error).message };
            if (++again > MAX_ROUNDS_AGAIN) throw new Error(`page load ${failure.round} of ${loads} of ${path} (${network} network) in the "${arm}" arm failed, after ${MAX_ROUNDS_AGAIN} rounds loaded again: ${failure.message}`, { cause: error });
            loadedAgain.push(failure);
            break;
          }
        }
        if (roundSamples.length < ARMS.length) continue;
        samples.push(...roundSamples);
        round++;
      }
    }
  }
  const rows: PageLoadResult['rows'] = [];
  for (const network of ['local', 'realistic'] as const) {
    for (const path of pages) {
      const of = (arm: Arm) => samples.filter((s) => s.page === path && s.network === network && s.arm === arm).map((s) => s.ms);
      const [none, control, scripts, worker, ours] = ARMS.map(of) as [number[], number[], number[], number[], number[]];
      const each = <T,>(f: (values: number[]) => T) => Object.fromEntries(ARMS.map((arm) => [arm, f(of(arm))])) as Record<Arm, T>;
      rows.push({
        page: path,
        network,
        loads: none.length,
        medianMs: each(median),
        iqrMs: each((values) => [quantile(values, 0.25), quantile(values, 0.75)]),
        withWithout: bootstrapRatio(ours, none),
        controlNone: bootstrapRatio(control, none),
        scriptsControl: bootstrapRatio(scripts, control),
        oursScripts: bootstrapRatio(ours, scripts),
        workerScripts: bootstrapRatio(worker, scripts),
        oursWorker: bootstrapRatio(ours, worker),
        oursControl: bootstrapRatio(ours, control),
      });
    }
  }
  return { rows, loadedAgain };
}

export async function launchArms(network: { hostRules: string[]; insecure: boolean }): Promise<{ arms: Record<Arm, Browser>; ours: ExtensionBrowser; control: ExtensionBrowser; close(): Promise<void> }> {
  const controlDir = await writeControlExtension();
  const scriptsDir = await writeControlExtension({ contentScripts: true });
  const workerDir = await writeWorkerOnlyExtension();
  const none = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, pipe: true, args: chromiumArgs(network) });
  const control = await launchWithExtension({ ...network, extensionPath: controlDir });
  const scripts = await launchWithExtension({ ...network, extensionPath: scriptsDir });
  const worker = await launchWithExtension({ ...network, extensionPath: workerDir });
  const ours = await launchWithExtension(network);
  return {
    arms: { none, control: control.browser, scripts: scripts.browser, worker: worker.browser, ours: ours.browser },
    ours,
    control,
    async close() {
      await Promise.allSettled([none.close(), control.close(), scripts.close(), worker.close(), ours.close()]);
      await Promise.all([controlDir, scriptsDir, workerDir].map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/**
 * Our worker's CPU during page loads: the DevTools protocol's sampling profiler on the service worker
 * while `loads` pages load, self time summed per function. What shows here is ours to remove.
 */
export async function profileWorker(ext: ExtensionBrowser, url: string, loads: number): Promise<{ totalMs: number; perLoadMs: number; top: { fn: string; ms: number }[] }> {
  const target = await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ext.extensionId}/`));
  const cdp: CDPSession = await target.createCDPSession();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  for (let i = 0; i < loads; i++) {
    const page: Page = await ext.browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await ext.settle(page);
    await page.close();
  }
  type ProfileNode = { id: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } };
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  await cdp.detach();
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const frame = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'}${node.callFrame.url ? ` ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}:${node.callFrame.columnNumber + 1}` : ''}`;
  /** A browser function (no script of ours) is named with the nearest of our functions that called it. */
  const withCaller = (node: ProfileNode) => {
    if (node.callFrame.url) return frame(node);
    let up = parent.get(node.id);
    while (up !== undefined && !byNode.get(up)!.callFrame.url) up = parent.get(up);
    return up === undefined ? frame(node) : `${frame(node)} ← ${frame(byNode.get(up)!)}`;
  };
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') return;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const key = withCaller(node);
    self.set(key, (self.get(key) ?? 0) + ms);
    total += ms;
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([fn, ms]) => ({ fn, ms }));
  return { totalMs: total, perLoadMs: total / loads, top };
}

/**
 * Our content scripts' CPU on the page's own thread, where it delays the page directly (the worker's
 * runs in a process of its own): the DevTools protocol's sampling profiler on the page during `loads`
 * loads, after two to warm up, each sample counted to the nearest script on its stack.
 */
export async function profileContentScripts(ext: ExtensionBrowser, url: string, loads: number): Promise<{ perLoadMs: Record<string, number> }> {
  const totals = new Map<string, number>();
  for (let i = 0; i < loads + 2; i++) {
    const page = await ext.browser.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    await page.goto(url, { waitUntil: 'load' });
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    await page.close();
    if (i < 2) continue;
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    profile.samples.forEach((id, k) => {
      let node = byNode.get(id);
      if (!node || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') return;
      while (node && !node.callFrame.url) node = byNode.get(parent.get(node.id)!);
      const file = node?.callFrame.url.startsWith(`chrome-extension://${ext.extensionId}/`) ? node.callFrame.url.split('/').slice(3).join('/') : 'the page and the browser';
      totals.set(file, (totals.get(file) ?? 0) + (profile.timeDeltas[k + 1] ?? 0) / 1000);
    });
  }
  return { perLoadMs: Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]).map(([file, ms]) => [file, ms / loads])) };
}

type CpuProfile = { nodes: { id: number; children?: number[]; callFrame: { functionName: string; url: string } }[]; samples: number[]; timeDeltas: number[] };

/** A worker's start-up on its own clock, in milliseconds since the browser started it (lib/background/timings.ts). */
export interface ColdStart {
  /** Our first module's code runs: the browser has fetched, parsed and compiled the bundle. */
  scriptStarted: number;
  /** Every module evaluated. */
  modulesLoaded: number;
  /** Every listener registered: the script's first run is over. */
  listening: number;
  /** Start-up's reads are back: events are handled from here. */
  started: number;
  firstRequestArrived: number;
  firstRequestHandled: number;
}

/**
 * Cold start: the worker stopped, then a shop page loaded, `times` times; read from the worker's own
 * clock. Run on the control extension too, whose worker does nothing: its first event is the floor.
 */
export async function coldStarts(ext: ExtensionBrowser, url: string, times: number): Promise<ColdStart[]> {
  const runs: ColdStart[] = [];
  for (let i = 0; i < times; i++) {
    await ext.stopWorker();
    // Wait until the browser has no running worker of ours, so the page's first request starts one.
    await waitFor(async () => !(await ext.browser.targets().some((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ext.extensionId}/`))));
    const page = await ext.browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const worker = await ext.worker();
    const timings = await waitFor(() =>
      worker.evaluate(() => {
        const t = (globalThis as unknown as { privacyLens: { timings: Partial<ColdStart> } }).privacyLens.timings;
        return t.started !== undefined && t.firstRequestHandled !== undefined ? (t as ColdStart) : null;
      }),
    );
    runs.push(timings);
    await page.close();
    // A worker stops after 30 s without events, long after its log was written (within a second), so
    // the next start finds the journal empty. Stopped at once, as here, it would leave its queue to the
    // next start, and each start would recover the rows of every start before it.
    await worker.evaluate(() => (globalThis as unknown as { privacyLens: { flush?(): Promise<void> } }).privacyLens.flush?.());
  }
  return runs;
}

/** Polls `check` until it answers something truthy (bounded: 20 s). */
async function waitFor<T>(check: () => Promise<T | null | false>): Promise<T> {
  const until = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting in the benchmark');
    await new Promise((r) => setTimeout(r, 20));
  }
}
