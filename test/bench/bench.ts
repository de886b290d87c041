/**
 * `npm run bench`: every figure of BENCHMARKS.md, measured side by side in one run so the ratios
 * hold on a noisy machine. Prints a table and writes test-results/bench.json. Not a test: nothing
 * here passes or fails, except the size budget, which `npm test` checks separately.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { CHROME_BUILD, CHROMIUM, chromiumArgs, launchWithExtension, type ExtensionBrowser } from '../../lib/scan/chromium';
import { parseScanArgs } from '../../lib/scan/args';
import { runScan } from '../../lib/scan/run';
import { judgeHar, parseHar } from '../../lib/har';
import { captureVisit, launchCapturer } from '../fixtures/har/capture';
import { CMP_SCENARIOS } from '../fixtures/shop/cmps';
import { FIXTURE_PAGES, SHOP_HOST } from '../fixtures/shop/hosts';
import { startFixtureShop } from '../fixtures/shop/server';
import { growHar } from './har-corpus';
import { classificationBench } from './classification';
import { hotPath } from './hot-path';
import { measureContentScriptTimes, measureTracedShare } from './content-script-time';
import { alternatingColdStarts, medianOf, type ThreadTimes, type TracedColdStart } from './cold-start';
import { launchArms, measurePageLoads, profileContentScripts, profileWorker, REALISTIC_NETWORK, writeControlExtension, writePopupFloorExtension, type ColdStart } from './page-load';
import { median, quantile } from './stats';
import { bundleSizes } from './sizes';
import { bundleForExtension } from './bundle-for-extension';
import * as z from 'zod/mini';
import { buildOfRevision, commitOf, comparedColdStarts, comparedPageLoads, comparedPaints, popupOf, Revision, type Compared } from './ab';

const POPUP_OPENS = 15;
const HISTORY_OPENS = 5;

const ROOT = resolve(import.meta.dirname, '../..');
const results: Record<string, unknown> = {};
const lines: string[] = [];
const say = (line = '') => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
const fmt = (n: number, digits = 2) => n.toFixed(digits);

// ---------------------------------------------------------------------------------------------
// 2. The hot path in the background: classify + Consent Mode + personal data + count + queue.
async function hotPathBench() {
  const path = hotPath();
  const times: number[] = [];
  for (let i = 0; i < path.corpus.length; i++) {
    const t0 = process.hrtime.bigint();
    path.request(i, i + 1);
    times.push(Number(process.hrtime.bigint() - t0));
  }
  const judgeTimes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = process.hrtime.bigint();
    path.judge();
    judgeTimes.push(Number(process.hrtime.bigint() - t0));
  }
  const kept = path.kept();
  path.close();
  // The same code in Chromium's service worker, where the browser's own objects cost what they cost a customer.
  const ext = await launchWithExtension({});
  let inWorker: { blockSize: number; blocksUs: number[] };
  try {
    const worker = await ext.worker();
    await worker.evaluate(await bundleForExtension(resolve(import.meta.dirname, 'hot-path-in-worker.ts')));
    inWorker = await worker.evaluate(() => (globalThis as unknown as { benchHotPath(): typeof inWorker }).benchHotPath());
  } finally {
    await ext.close();
  }
  const blockMedianUs = median(inWorker.blocksUs);
  results.hotPath = { requests: path.corpus.length, medianNs: median(times), p99Ns: quantile(times, 0.99), judgeTabMedianUs: median(judgeTimes) / 1000, judgedRequestsKept: kept, inWorker: { requests: inWorker.blocksUs.length * inWorker.blockSize, blockMedianUs } };
  say('2. Background hot path per request (classify + Consent Mode + personal data + the promises\' parameters + count + queue for the log)');
  say(`   Node: median ${fmt(median(times) / 1000, 3)} µs  p99 ${fmt(quantile(times, 0.99) / 1000, 3)} µs; judging a tab (${kept} kept requests, once per 100 ms batch) median ${fmt(median(judgeTimes) / 1000)} µs`);
  say(`   Chromium's service worker: ${fmt(blockMedianUs, 1)} µs per request, the median of ${inWorker.blocksUs.length} blocks of ${inWorker.blockSize}`);
}

// 3. Page load: no extension, a control extension with our permissions and listeners, ours. Then
// our worker's profile during page loads, and its cold start.
async function pageLoadBench() {
  const shop = await startFixtureShop();
  const network = { hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true };
  const { arms, ours, control, close } = await launchArms(network);
  const pct = (r: { ratio: number; ci95: [number, number] }) => `${fmt(r.ratio, 3)} [${fmt(r.ci95[0], 3)}–${fmt(r.ci95[1], 3)}]`;
  try {
    const pages = ['/', '/checkout'];
    // BENCH_LOADS: fewer loads for a quick look; the figures in BENCHMARKS.md use the default.
    const loads = Number(process.env.BENCH_LOADS ?? 30);
    const { rows, loadedAgain } = await measurePageLoads({ origin: 'https://www.mijnliefsteboek.nl', hostRules: network.hostRules, pages, loads, arms });
    say(`3. Page load, load event (${loads} loads per arm, interleaved in rotating order; median ratios with bootstrap 95% intervals)`);
    for (const failed of loadedAgain) say(`   a load failed and its round was loaded again: ${failed.page} (${failed.network} network), round ${failed.round}, the "${failed.arm}" arm: ${failed.message}`);
    say(`   realistic network: DevTools' emulation, ${REALISTIC_NETWORK.latency} ms latency, 20/5 Mbit/s`);
    for (const row of rows) {
      const m = row.medianMs;
      say(`   ${row.page.padEnd(10)} ${row.network.padEnd(9)} none ${fmt(m.none, 1)} ms, control ${fmt(m.control, 1)} ms, control with empty content scripts ${fmt(m.scripts, 1)} ms, our worker alone ${fmt(m.worker, 1)} ms, ours ${fmt(m.ours, 1)} ms`);
      say(`   ${''.padEnd(20)} with/without ${pct(row.withWithout)}; the platform: control/none ${pct(row.controlNone)}, scripts/control ${pct(row.scriptsControl)}`);
      say(`   ${''.padEnd(20)} ours/control ${pct(row.oursControl)} (budget ≤ 1.01); our code alone, ours/scripts ${pct(row.oursScripts)}`);
      say(`   ${''.padEnd(20)} of it our worker's, worker/scripts ${pct(row.workerScripts)}; our content scripts', ours/worker ${pct(row.oursWorker)}`);
    }
    const profile = await profileWorker(ours, 'https://www.mijnliefsteboek.nl/checkout', 10);
    say(`   our worker during 10 checkout loads: ${fmt(profile.perLoadMs, 1)} ms of CPU per load; the most self time:`);
    for (const { fn, ms } of profile.top.slice(0, 8)) say(`     ${fmt(ms / 10, 2).padStart(6)} ms/load  ${fn}`);
    const scripts = await profileContentScripts(ours, 'https://www.mijnliefsteboek.nl/checkout', 20);
    say(`   the page's own thread during 20 checkout loads, per load: ${Object.entries(scripts.perLoadMs).map(([file, ms]) => `${file} ${fmt(ms, 2)} ms`).join(', ')}`);
    const coldStart = await coldStartBench(ours, control);
    results.pageLoad = {
      rows,
      loadedAgain,
      workerProfile: profile,
      contentScripts: scripts,
      coldStart,
    };
  } finally {
    await close();
    await shop.close();
  }
}

/**
 * 3c. Cold start, ours and the control's (a worker that does nothing: the browser's own part), in
 * alternating order, each start traced (cold-start.ts). In `page-load`, or alone as `cold-start`.
 */
async function coldStartBench(ours: ExtensionBrowser, control: ExtensionBrowser) {
  const rounds = Number(process.env.BENCH_COLD_STARTS ?? 20);
  const cold = await alternatingColdStarts({ ours, control }, 'https://www.mijnliefsteboek.nl/', rounds);
  const at = (runs: TracedColdStart[], key: keyof ColdStart) => medianOf(runs, (run) => run[key]);
  const since = (from: keyof ColdStart, to: keyof ColdStart) => medianOf(cold.ours, (run) => run[to] - run[from]);
  const handled = (arm: 'ours' | 'control', afterItself: boolean) => fmt(at(cold[arm].filter((run) => run.afterItself === afterItself), 'firstRequestHandled'), 1);
  const thread = (arm: 'ours' | 'control', part: keyof ThreadTimes) => fmt(medianOf(cold[arm], (run) => run.thread[part]), 1);
  say(`3c. Cold start: worker stopped, then a shop page (the worker's clock; ${rounds} starts each, ours and the control alternating in order, each traced)`);
  say(`   first webRequest event handled: ours ${fmt(at(cold.ours, 'firstRequestHandled'), 1)} ms, control ${fmt(at(cold.control, 'firstRequestHandled'), 1)} ms (budget ≤ 50 ms)`);
  say(`     after its own browser's last start: ours ${handled('ours', true)} ms, control ${handled('control', true)} ms; after the other browser's: ours ${handled('ours', false)} ms, control ${handled('control', false)} ms`);
  say(`   control: its code runs at ${fmt(at(cold.control, 'scriptStarted'), 1)} ms, first webRequest event at ${fmt(at(cold.control, 'firstRequestArrived'), 1)} ms (the browser's floor)`);
  say(`   ours: code runs at ${fmt(at(cold.ours, 'scriptStarted'), 1)} ms; modules evaluated in ${fmt(since('scriptStarted', 'modulesLoaded'), 1)} ms; then listening after ${fmt(since('modulesLoaded', 'listening'), 1)} ms, start-up's reads back after ${fmt(since('modulesLoaded', 'started'), 1)} ms, first event arrives after ${fmt(since('modulesLoaded', 'firstRequestArrived'), 1)} ms, handled after ${fmt(since('modulesLoaded', 'firstRequestHandled'), 1)} ms`);
  say('   the worker thread up to the first event handled, from the trace (median ms, ours / control; compiled holds the code cache\'s read, evaluated its lazy compiles):');
  say(`     isolate and context ${thread('ours', 'isolate')} / ${thread('control', 'isolate')}; compiled ${thread('ours', 'compiled')} / ${thread('control', 'compiled')}, of it the code cache ${thread('ours', 'codeCache')} / ${thread('control', 'codeCache')}`);
  say(`     evaluated ${thread('ours', 'evaluated')} / ${thread('control', 'evaluated')}, of it lazy compiles ${thread('ours', 'lazyCompiles')} / ${thread('control', 'lazyCompiles')}; microtasks ${thread('ours', 'microtasks')} / ${thread('control', 'microtasks')}; garbage collection ${thread('ours', 'garbageCollection')} / ${thread('control', 'garbageCollection')}`);
  return { ours: cold.ours, control: cold.control, medianFirstRequestHandledMs: { ours: at(cold.ours, 'firstRequestHandled'), control: at(cold.control, 'firstRequestHandled') } };
}

/** 3c alone: only the two browsers it needs. */
async function coldStartOnlyBench() {
  const shop = await startFixtureShop();
  const network = { hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true };
  const controlDir = await writeControlExtension();
  const control = await launchWithExtension({ ...network, extensionPath: controlDir });
  const ours = await launchWithExtension(network);
  try {
    results.coldStart = await coldStartBench(ours, control);
  } finally {
    await Promise.allSettled([ours.close(), control.close()]);
    await rm(controlDir, { recursive: true, force: true });
    await shop.close();
  }
}

// 3b. Our content scripts' time on the page's main thread at document_start, read inside the page
// (content-script-time.ts): as built, a second run in the same page, compiling only, empty files.
async function contentScriptTimeBench() {
  const shop = await startFixtureShop();
  try {
    const loads = Number(process.env.BENCH_LOADS ?? 30);
    const rows = await measureContentScriptTimes({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true }, 'https://www.mijnliefsteboek.nl', ['/', '/checkout'], loads);
    say(`3b. Our content scripts on the page's main thread at document_start, timed in the page (0.1 ms steps), median of ${loads} loads per variant, interleaved`);
    say('    (the isolated world\'s shop.js and the page world\'s consent-reader.js, and the two together)');
    for (const { page, medianMs: m } of rows) {
      // Each a median of its own: the sum's median is not the sum of the two.
      const cell = (v: keyof typeof m) => `${fmt(m[v].isolated, 1)} and ${fmt(m[v].page, 1)}, together ${fmt(m[v].both, 1)} ms`;
      say(`    ${page.padEnd(10)} as built ${cell('built')}; run a second time in the same page ${cell('second')}`);
      say(`    ${''.padEnd(10)} compiling only ${cell('parse')}; empty files ${cell('empty')}`);
      say(`    ${''.padEnd(10)} the browser's first-use work (as built − second run): ${fmt(m.built.both - m.second.both, 1)} ms of ${fmt(m.built.both, 1)}`);
      say(`    ${''.padEnd(10)} the page's whole JavaScript to its load event (DevTools' ScriptDuration): as built ${fmt(m.built.script, 1)} ms, empty files ${fmt(m.empty.script, 1)} ms, ours adds ${fmt(m.built.script - m.empty.script, 1)} ms;`);
      say(`    ${''.padEnd(10)} its main-thread tasks (TaskDuration): as built ${fmt(m.built.task, 1)} ms, empty files ${fmt(m.empty.task, 1)} ms, ours adds ${fmt(m.built.task - m.empty.task, 1)} ms`);
    }
    results.contentScriptTime = rows;
    // What the marks cannot time: our listeners and timers after document_start. BENCH_TRACED_BUILD
    // points at another build (a copy of an earlier one, for an A/B).
    const network = { hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true };
    const traced = await measureTracedShare(network, process.env.BENCH_TRACED_BUILD ?? CHROME_BUILD, 'https://www.mijnliefsteboek.nl', ['/', '/checkout'], Math.min(loads, 20));
    say(`    traced (Chrome's trace of the page's main thread, ${traced[0]?.loads} loads): our scripts' thread time before the page's load event,`);
    say('    at document_start / in our DOMContentLoaded listeners / in every later call (timers, observers, answers), medians;');
    say('    and in how many loads the later calls took 3 ms or more, with their median there');
    for (const { page, medianMs: m, laterLoads, laterMedianMs, loads: n } of traced) {
      say(`    ${page.padEnd(10)} ${fmt(m.atStart, 1)} / ${fmt(m.atContentLoaded, 1)} / ${fmt(m.later, 1)} ms; later calls of 3 ms or more in ${laterLoads} of ${n} loads, ${fmt(laterMedianMs, 1)} ms there`);
    }
    results.contentScriptTraced = traced;
  } finally {
    await shop.close();
  }
}

// 4–5: in Chromium with the built extension.
async function browserBench() {
  const shop = await startFixtureShop();
  const ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true });
  try {
    // 4. Popup and history with 0, 10,000 and 100,000 logged observations.
    const shopPage = await ext.browser.newPage();
    await shopPage.goto('https://www.mijnliefsteboek.nl/', { waitUntil: 'networkidle0' });
    await ext.settle(shopPage);
    const tabId = await ext.tabIdOf(shopPage);
    // The popup's floor: an extension page that paints one word, in the same browser, opened in turn
    // with ours (page-load.ts writes it). Fifteen opens per level: with five, the median moved by
    // 20 ms between runs on a quiet machine.
    const floorId = await ext.browser.installExtension(await writePopupFloorExtension());
    const paintedAt = async (url: string) => {
      const page = await ext.browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('privacy-lens:content-painted').length > 0);
      const at = await page.evaluate(() => performance.getEntriesByName('privacy-lens:content-painted')[0]!.startTime);
      await page.close();
      return at;
    };
    const popupTime = async () => {
      const ours: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < POPUP_OPENS; i++) {
        ours.push(await paintedAt(`chrome-extension://${ext.extensionId}/popup.html?tabId=${tabId}`));
        floor.push(await paintedAt(`chrome-extension://${floorId}/popup.html`));
      }
      return { ms: median(ours), floorMs: median(floor) };
    };
    // The log's own writer, bundled (ingest-in-worker.ts) and run in our service worker beside the
    // background's: the writer decides packs and transactions as it does there. No page that shows the
    // log is open meanwhile (it would read the log again after every transaction).
    const ingestWorker = await ext.worker();
    await ingestWorker.evaluate(await bundleForExtension(resolve(import.meta.dirname, 'ingest-in-worker.ts')));
    const ingest = (count: number, visits: number) =>
      ingestWorker.evaluate(
        (count, visits) => (globalThis as unknown as { benchIngest(count: number, visits: number): Promise<{ ms: number; bytes: number; transactions: number; packs: number; visitReadMs: number; exportReadMs: number }> }).benchIngest(count, visits),
        count,
        visits,
      );
    const popup0 = await popupTime();
    const ingest10k = await ingest(10_000, 400);
    const popup10k = await popupTime();
    const ingest90k = await ingest(100_000, 4_000);
    const popup100k = await popupTime();
    // The history page's first render, the median of HISTORY_OPENS opens, the first just after the
    // ingest: a single open moved by 60 ms between runs, across the budget. The last page stays open
    // for the heap and the scrolling below.
    const openHistory = async () => {
      const page = await ext.browser.newPage();
      await page.setViewport({ width: 1100, height: 900 });
      await page.goto(`chrome-extension://${ext.extensionId}/options.html#history`);
      await page.waitForFunction(() => performance.getEntriesByName('privacy-lens:content-painted').length > 0, { timeout: 60_000 });
      return { page, ms: await page.evaluate(() => performance.getEntriesByName('privacy-lens:content-painted')[0]!.startTime) };
    };
    const historyRenders: number[] = [];
    let history = await openHistory().then(({ page, ms }) => (historyRenders.push(ms), page));
    while (historyRenders.length < HISTORY_OPENS) {
      await history.close();
      history = await openHistory().then(({ page, ms }) => (historyRenders.push(ms), page));
    }
    const historyFirstRender = median(historyRenders);
    // The pages' JavaScript heap with the full log, after a garbage collection: what the log costs a page.
    const heapOf = async (page: typeof history) => {
      const cdp = await page.createCDPSession();
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      await cdp.detach();
      return usedSize;
    };
    const historyHeap = await heapOf(history);
    const popupPage = await ext.browser.newPage();
    await popupPage.goto(`chrome-extension://${ext.extensionId}/popup.html?tabId=${tabId}`);
    await popupPage.waitForFunction(() => performance.getEntriesByName('privacy-lens:content-painted').length > 0);
    const popupHeap = await heapOf(popupPage);
    await popupPage.close();
    const scroll = await history.evaluate(async () => {
      const list = document.querySelector('.vlist')!;
      const frames: number[] = [];
      for (let i = 1; i <= 30; i++) {
        const t0 = performance.now();
        list.scrollTop = (list.scrollHeight * i) / 31;
        list.dispatchEvent(new Event('scroll'));
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        frames.push(performance.now() - t0);
      }
      return { medianFrameMs: frames.sort((a, b) => a - b)[15]!, rows: document.querySelectorAll('.vlist__row').length };
    });
    results.ingest = { observations: 100_000, ms: ingest90k.ms, bytesPerObservation: ingest90k.bytes / 100_000, transactions: ingest90k.transactions, packs: ingest90k.packs, first10kMs: ingest10k.ms, visitReadMs: ingest90k.visitReadMs, exportReadMs: ingest90k.exportReadMs };
    results.popup = { ms0: popup0.ms, ms10k: popup10k.ms, ms100k: popup100k.ms, floorMs: [popup0.floorMs, popup10k.floorMs, popup100k.floorMs] };
    results.history = { observations: 110_000, visits: 4_400, firstRenderMs: historyFirstRender, firstRenders: historyRenders, scroll, heapBytes: historyHeap };
    results.popup = { ...(results.popup as object), heapBytes: popupHeap };
    say("4. The log in the real browser (IndexedDB, through the log's own writer, fed one visit's 25 requests per task as fast as it takes them)");
    say(`   ingest of 100,000 observations: ${fmt(ingest90k.ms, 0)} ms (budget 2,000 ms) in ${ingest90k.transactions} transactions and ${ingest90k.packs} packs, ${fmt(ingest90k.bytes / 100_000, 0)} bytes per observation on disk (budget 300); one visit's requests read back in ${fmt(ingest90k.visitReadMs, 2)} ms (median of 40 visits), 1,000 visits' as an export reads them in ${fmt(ingest90k.exportReadMs, 0)} ms`);
    say(`   popup content painted (navigation start → first frame with the tab's content, median of ${POPUP_OPENS}): ${fmt(popup0.ms, 1)} ms with 0, ${fmt(popup10k.ms, 1)} ms with 10,000, ${fmt(popup100k.ms, 1)} ms with 110,000 observations (budget 100 ms); the browser's floor, an extension page that paints one word, opened in turn with it: ${fmt(popup0.floorMs, 1)}, ${fmt(popup10k.floorMs, 1)}, ${fmt(popup100k.floorMs, 1)} ms`);
    say(`   history page first render with 110,000 observations in 4,400 visits, median of ${HISTORY_OPENS} opens: ${fmt(historyFirstRender, 1)} ms (budget 200 ms; the opens ${historyRenders.map((ms) => fmt(ms, 0)).join(', ')} ms); scrolling: median ${fmt(scroll.medianFrameMs, 1)} ms per jump, ${scroll.rows} rows in the DOM`);
    say(`   heap with 110,000 observations, after a garbage collection: history page ${fmt(historyHeap / 1048576)} MB, popup ${fmt(popupHeap / 1048576)} MB`);

    // 5. Service worker memory after 10,000 requests on one tab, and the tab state's size.
    const worker = await ext.worker();
    const workerTarget = (await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().includes(ext.extensionId)))!;
    const cdp = await workerTarget.createCDPSession();
    const heap = async () => ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    const hostile = await ext.browser.newPage();
    await hostile.goto('https://www.mijnliefsteboek.nl/test/aws', { waitUntil: 'networkidle0' });
    await ext.settle(hostile);
    const hostileTab = await ext.tabIdOf(hostile);
    const stateSize = async () => JSON.stringify(await ext.tabState(hostileTab)).length;
    await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const heapBefore = await heap();
    const fire = (count: number) =>
      hostile.evaluate(async (count) => {
        for (let start = 0; start < count; start += 200) {
          await Promise.all(Array.from({ length: Math.min(200, count - start) }, (_, i) => fetch(`https://www.facebook.com/tr/?id=1&ev=PageView&n=${start + i}`, { mode: 'no-cors' }).catch(() => undefined)));
        }
      }, count);
    await fire(2_000);
    await ext.settle(hostile);
    const sizeAt2k = await stateSize();
    await fire(8_000);
    await ext.settle(hostile);
    await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const heapAfter = await heap();
    const sizeAt10k = await stateSize();
    const counted = (await ext.tabState(hostileTab))!.entries['meta-pixel']?.requests ?? 0;
    results.workerMemory = { requests: 10_000, counted, heapBeforeBytes: heapBefore, heapAfterBytes: heapAfter, tabStateBytesAt2k: sizeAt2k, tabStateBytesAt10k: sizeAt10k };
    say('5. Service worker after 10,000 requests from one tab');
    say(`   heap ${fmt(heapBefore / 1048576)} MB → ${fmt(heapAfter / 1048576)} MB; tab state ${sizeAt2k} bytes after 2,000 requests, ${sizeAt10k} bytes after 10,000 (bounded); ${counted} requests counted`);
    void worker;
  } finally {
    await ext.close();
    await shop.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 7. The scan command's throughput on the fixture shop: pages a minute with 1, 2 and 4 pages at a time.
async function scanBench() {
  const shop = await startFixtureShop();
  // Every page of the shop the fixture plays: its own pages and the consent platforms' (42), as a site scan meets them.
  const urls = [...FIXTURE_PAGES.filter((p) => p.host === SHOP_HOST).map((p) => p.path), ...CMP_SCENARIOS.map((s) => s.path)].map((path) => `https://${SHOP_HOST}${path}`);
  const runs: { consent: string; concurrency: number; pages: number; seconds: number; perMinute: number; steadyPerMinute: number }[] = [];
  try {
    say(`7. Scan throughput: the ${urls.length} pages of the fixture shop, every page a first visit, browser start included`);
    for (const [consent, concurrency] of [['none', 1], ['none', 2], ['none', 4], ['none', 8], ['reject-all', 4]] as const) {
      const parsed = parseScanArgs([...urls, '--map-all', `127.0.0.1:${shop.port}`, '--insecure', '--consent', consent, '--concurrency', String(concurrency)]);
      if (!parsed.ok) throw new Error(parsed.message);
      let steady = 0;
      const t0 = performance.now();
      const { report, failed, skipped } = await runScan(parsed.options, (line) => {
        const rate = /· ([\d.]+) pages\/min ·/.exec(line);
        if (rate) steady = Number(rate[1]);
      });
      const seconds = (performance.now() - t0) / 1000;
      const run = { consent, concurrency, pages: report.pages.length, seconds, perMinute: (report.pages.length / seconds) * 60, steadyPerMinute: steady };
      runs.push(run);
      // A rate of pages that did not load would measure nothing: say so beside it.
      if (report.pages.length < urls.length) {
        const reasons = [...failed.map((f) => `${f.url}: ${f.reason}`), ...skipped.map((url) => `${url}: not a page of the shop`)];
        say(`   ${urls.length - report.pages.length} of ${urls.length} pages without a report, e.g. ${reasons.slice(0, 3).join('; ') || 'no reason given'}`);
      }
      say(`   --concurrency ${concurrency} --consent ${consent.padEnd(10)} ${run.pages} pages in ${fmt(seconds, 1)} s: ${fmt(run.perMinute, 1)} pages/min (${fmt(steady, 1)} once the browsers were up)`);
    }
  } finally {
    await shop.close();
  }
  results.scanThroughput = runs;
}

// 8. Judging a HAR file: a real capture of the fixture's home page, repeated into 50 MB (and 200 MB).
async function harBench() {
  const shop = await startFixtureShop();
  const browser = await launchCapturer(shop.port);
  let base;
  try {
    base = await captureVisit(browser, `https://${SHOP_HOST}/`, 'reject-all');
  } finally {
    await browser.close();
    await shop.close();
  }
  say('8. Judging a HAR file (Node, the scan command; the history page hands the file to the background, which runs the same code)');
  const figures: Record<string, unknown> = {};
  for (const [label, megabytes, body] of [
    ['50 MB, no bodies (the most entries per MB)', 50, 0],
    ['50 MB, 20 kB bodies', 50, 20_000],
    ['195 MB, 200 kB bodies', 195, 200_000],
  ] as const) {
    const text = growHar(base as never, megabytes * 1024 * 1024, body);
    const parse: number[] = [];
    const judge: number[] = [];
    let entries = 0;
    let pages = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const parsed = parseHar(text);
      const t1 = performance.now();
      if (!parsed.ok) throw new Error(`the bench HAR did not parse: ${parsed.problem.code}`);
      const judged = judgeHar(parsed.har);
      const t2 = performance.now();
      parse.push(t1 - t0);
      judge.push(t2 - t1);
      entries = parsed.har.log.entries.length;
      pages = judged.ok ? judged.pages.length : 0;
    }
    figures[label] = { bytes: text.length, entries, pages, parseMs: median(parse), judgeMs: median(judge) };
    say(`   ${label.padEnd(44)} ${String(entries).padStart(6)} entries, ${String(pages).padStart(5)} pages: parse ${fmt(median(parse) / 1000)} s + judge ${fmt(median(judge) / 1000)} s = ${fmt((median(parse) + median(judge)) / 1000)} s (median of 3)`);
  }
  results.har = figures;
}

/**
 * 9. Two builds against each other (ab.ts): `npm run bench -- ab --before <revision>`, the working tree's
 * build against the revision's, each in a Chromium of its own, measured in turn. Only when named.
 */
async function abBench(revision: string) {
  say(`9. A/B: the build of ${revision} (before) against this working tree's (after), each in a Chromium of its own, measured in turn`);
  const built = await buildOfRevision(revision);
  const shop = await startFixtureShop();
  const network = { hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true };
  const sides = { before: await launchWithExtension({ ...network, extensionPath: built.dir }), after: await launchWithExtension(network) };
  const row = (label: string, c: Compared) =>
    say(`   ${label.padEnd(44)} ${fmt(c.medianBefore, 1).padStart(7)} → ${fmt(c.medianAfter, 1).padStart(7)} ms   after / before ${fmt(c.ratio, 3)} [${fmt(c.ci95[0], 3)}–${fmt(c.ci95[1], 3)}]`);
  try {
    const home = 'https://www.mijnliefsteboek.nl/';
    const rounds = Number(process.env.BENCH_COLD_STARTS ?? 20);
    const loads = Number(process.env.BENCH_LOADS ?? 30);
    say(`   before: ${built.commit.slice(0, 12)}; medians, and the ratio's 95% bootstrap interval (one that holds 1 is no difference this run can tell)`);
    const cold = await comparedColdStarts(sides, home, rounds);
    say(`   a woken worker, ${rounds} cold starts each (the worker's clock):`);
    row('  first webRequest event handled', cold.firstEventHandled);
    row('  its code runs', cold.scriptStarted);
    row('  its modules evaluated in', cold.modulesEvaluated);
    row('  start-up\'s reads back after', cold.startUpReadsBack);
    const opens = Number(process.env.BENCH_OPENS ?? POPUP_OPENS * 2);
    const popup = await comparedPaints(sides, (ext) => popupOf(ext, home), opens);
    const history = await comparedPaints(sides, async (ext) => `chrome-extension://${ext.extensionId}/options.html#history`, opens);
    say(`   extension pages, ${opens} opens each (navigation start → the content's paint):`);
    row('  the popup, the home page in its tab', popup);
    row(`  the history page, the cold starts' visits`, history);
    const pages = { home: await comparedPageLoads(sides, home, loads), checkout: await comparedPageLoads(sides, `${home}checkout`, loads) };
    say(`   page loads, ${loads} each, local network (navigation start → load event's end):`);
    row('  home page', pages.home);
    row('  checkout', pages.checkout);
    results.ab = { before: built.commit, coldStart: cold, popup, history, pageLoad: pages };
  } finally {
    await Promise.allSettled([sides.before.close(), sides.after.close()]);
    await rm(built.dir, { recursive: true, force: true });
    await shop.close();
  }
}

/** The sections named and `--before`; anything else is said in a line, without a stack. */
function commandLine() {
  try {
    return parseArgs({ options: { before: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`npm run bench -- [section ...] [ab --before <revision>]: ${(error as Error).message}\n`);
    process.exit(2);
  }
}

/** What is wrong with `--before`, in a line, or null when it names a commit this checkout has. */
function revisionProblem(given: string | undefined, parsed: ReturnType<typeof Revision.safeParse>): string | null {
  if (given === undefined) return 'say which revision to compare with, such as HEAD~1';
  if (!parsed.success) return z.prettifyError(parsed.error);
  if (!commitOf(parsed.data)) return `git knows no commit named ${parsed.data} in this checkout; give a commit, tag or branch, such as HEAD~1`;
  return null;
}

async function main() {
  say(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  // `npm run bench -- page-load log`: only the sections named (classification, hot-path, page-load, cold-start, content-scripts, log, scan, har, sizes).
  const { positionals: only, values: flags } = commandLine();
  const run = (name: string) => only.length === 0 || only.includes(name);
  // `ab` compares two builds, so it runs only when named, with the revision to compare with.
  const before = only.includes('ab') ? Revision.safeParse(flags.before) : null;
  const problem = before && revisionProblem(flags.before, before);
  if (problem) {
    process.stderr.write(`npm run bench -- ab --before <revision>: ${problem}\n`);
    process.exit(2);
  }
  say();
  if (run('classification')) {
    const classification = await classificationBench();
    results.classification = classification.results;
    for (const line of classification.lines) say(line);
    say();
  }
  if (run('hot-path')) {
    await hotPathBench();
    say();
  }
  if (run('page-load')) {
    await pageLoadBench();
    say();
  }
  // Part of page-load; on its own only when named.
  if (only.includes('cold-start') && !only.includes('page-load')) {
    await coldStartOnlyBench();
    say();
  }
  if (run('content-scripts')) {
    await contentScriptTimeBench();
    say();
  }
  if (run('log')) {
    await browserBench();
    say();
  }
  if (run('scan')) {
    await scanBench();
    say();
  }
  if (run('har')) {
    await harBench();
    say();
  }
  if (run('sizes')) {
    const sizes = await bundleSizes();
    results.bundle = sizes;
    say('6. Bundle sizes (gzip -9 per file; the store zip as wxt zip makes it)');
    for (const file of sizes.files) say(`   ${file.path.padEnd(44)} ${String(file.gzip).padStart(8)} B gzip (${file.bytes} B)`);
    say(`   zipped extension: ${sizes.zipBytes} B (issue budget 200 kB; size-budget.json holds the checked limits)`);
  }
  if (before?.success) {
    await abBench(before.data);
    say();
  }
  await mkdir(resolve(ROOT, 'test-results'), { recursive: true });
  const file = only.length ? `test-results/bench-${only.join('-')}.json` : 'test-results/bench.json';
  await writeFile(resolve(ROOT, file), `${JSON.stringify({ at: new Date().toISOString(), sections: only.length ? only : 'all', results }, null, 2)}\n`);
  say();
  say(`Written to ${only.length ? `test-results/bench-${only.join('-')}.json` : 'test-results/bench.json'}`);
}

await main();
