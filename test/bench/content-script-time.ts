/**
 * Our content scripts' time on the page's main thread at `document_start`, per world, read inside the
 * page: in each of the manifest's content-script entries, a one-line script before ours notes
 * `performance.now()` and one after it logs the difference (scripts of one entry run in order, in one
 * go, before the page's parser goes on). The sampling profiler (page-load.ts) misses most of this:
 * compiling a script and the browser's first-use work show there as "(program)", not as ours.
 *
 * Four copies of the built extension, each in a Chromium of its own, loads interleaved:
 * - `built`: the scripts as built;
 * - `second`: each script run twice under two names, the second run timed: what our code costs once the
 *   browser has made the world ready for it (its bindings of each API made, the code compiled, the
 *   random-number generator seeded). `built − second` is that first-use work, the browser's;
 * - `parse`: each script's code in a function that is never called: loading and compiling it;
 * - `empty`: empty files, the wrappers' own cost.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROME_BUILD, launchWithExtension, type ExtensionBrowser, type NetworkOptions } from '../../lib/scan/chromium';
import type { TraceEvent } from './cold-start';
import { median } from './stats';

export type Variant = 'built' | 'second' | 'parse' | 'empty';
const VARIANTS: Variant[] = ['built', 'second', 'parse', 'empty'];
type World = 'isolated' | 'page';
/** Our two worlds' times, their sum, and the page's whole JavaScript (`script`) and main-thread (`task`) time up to its load event. */
type Measure = World | 'both' | 'script' | 'task';
const MEASURES: Measure[] = ['isolated', 'page', 'both', 'script', 'task'];
const LOG = 'privacy-lens-bench:content-script-time';

interface ContentScriptEntry {
  js: string[];
  world?: string;
}

/** A copy of the build whose content-script entries time themselves (see the module's comment). */
async function writeTimedCopy(variant: Variant): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `privacy-lens-cs-time-${variant}-`));
  await cp(CHROME_BUILD, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { content_scripts: ContentScriptEntry[] };
  for (const file of await readdir(join(dir, 'content-scripts'))) {
    if (!file.endsWith('.js')) continue;
    const path = join(dir, 'content-scripts', file);
    const code = await readFile(path, 'utf8');
    if (variant === 'empty') await writeFile(path, '');
    if (variant === 'parse') await writeFile(path, `function privacyLensNeverCalled() {\n${code}\n}\n`);
    if (variant === 'second') await writeFile(path.replace(/\.js$/, '.again.js'), code);
  }
  manifest.content_scripts = manifest.content_scripts.map((entry, i) => {
    const [start, end] = [`bench-start-${i}.js`, `bench-end-${i}.js`];
    // The browser runs a file listed twice once: the second run is a copy under another name.
    const again = entry.js.map((file) => file.replace(/\.js$/, '.again.js'));
    return { ...entry, js: variant === 'second' ? [...entry.js, start, ...again, end] : [start, ...entry.js, end] };
  });
  await Promise.all(
    manifest.content_scripts.map((entry, i) => {
      const world: World = entry.world === 'MAIN' ? 'page' : 'isolated';
      // In the page's world the mark is a property of the page's window, removed again at once.
      return Promise.all([
        writeFile(join(dir, `bench-start-${i}.js`), 'globalThis.privacyLensBenchStart = performance.now();\n'),
        writeFile(join(dir, `bench-end-${i}.js`), `console.log('${LOG} ${world} ' + (performance.now() - globalThis.privacyLensBenchStart)); delete globalThis.privacyLensBenchStart;\n`),
      ]);
    }),
  );
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return dir;
}

/** One load of `url`: each world's logged time, and the page's whole JavaScript and main-thread time, in milliseconds. */
async function timedLoad(ext: ExtensionBrowser, url: string): Promise<Record<Measure, number>> {
  const page = await ext.browser.newPage();
  const times: Partial<Record<World, number>> = {};
  page.on('console', (message) => {
    const [tag, world, ms] = message.text().split(' ');
    if (tag === LOG && (world === 'isolated' || world === 'page')) times[world] = Number(ms);
  });
  try {
    const cdp = await page.createCDPSession();
    await cdp.send('Performance.enable');
    await page.goto(url, { waitUntil: 'load' });
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
    // Console messages arrive before the load event; a world that never logged is a broken copy.
    if (times.isolated === undefined || times.page === undefined) throw new Error(`a content script did not time itself on ${url}`);
    return { isolated: times.isolated, page: times.page, both: times.isolated + times.page, script: metric('ScriptDuration'), task: metric('TaskDuration') };
  } finally {
    await page.close();
  }
}

export interface ContentScriptTimes {
  page: string;
  loads: number;
  /** Per variant, the median of each measure, in milliseconds. */
  medianMs: Record<Variant, Record<Measure, number>>;
}

/**
 * `loads` loads of each page per variant (after two to warm up), the variants in rotating order, so
 * that a busy moment of the machine falls on all of them alike.
 */
export async function measureContentScriptTimes(network: NetworkOptions, origin: string, pages: string[], loads: number): Promise<ContentScriptTimes[]> {
  const dirs = await Promise.all(VARIANTS.map(writeTimedCopy));
  const browsers: ExtensionBrowser[] = [];
  try {
    for (const dir of dirs) browsers.push(await launchWithExtension({ ...network, extensionPath: dir }));
    const rows: ContentScriptTimes[] = [];
    for (const path of pages) {
      const samples = VARIANTS.map(() => Object.fromEntries(MEASURES.map((m) => [m, [] as number[]])) as Record<Measure, number[]>);
      for (let round = 0; round < loads + 2; round++) {
        for (let k = 0; k < VARIANTS.length; k++) {
          const v = (round + k) % VARIANTS.length;
          const times = await timedLoad(browsers[v]!, origin + path);
          if (round >= 2) for (const m of MEASURES) samples[v]![m].push(times[m]);
        }
      }
      const medianMs = Object.fromEntries(VARIANTS.map((variant, v) => [variant, Object.fromEntries(MEASURES.map((m) => [m, median(samples[v]![m])]))])) as ContentScriptTimes['medianMs'];
      rows.push({ page: path, loads, medianMs });
    }
    return rows;
  } finally {
    await Promise.allSettled(browsers.map((b) => b.close()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** Our content scripts' time on the page's main thread before its load event, split by when it ran (ms). */
export interface TracedShare {
  /** Both scripts' run at `document_start`, compiling included, before the parser goes on. */
  atStart: number;
  /** Our listeners for `DOMContentLoaded`, inside the page's dispatch of it. */
  atContentLoaded: number;
  /** Every other call into our scripts before the load event: timers, observers, answers. */
  later: number;
}

const OUR_SCRIPT = /^chrome-extension:\/\/[a-p]{32}\/content-scripts\//;

/**
 * One traced load of `url`: what the third measure above (the page's whole JavaScript) does not split,
 * the calls into our scripts after `document_start` (a listener, a timer), which the in-page marks
 * cannot time either. Read from the renderer's main thread, the one that ran our scripts.
 */
async function tracedLoad(ext: ExtensionBrowser, url: string): Promise<TracedShare> {
  const page = await ext.browser.newPage();
  try {
    await page.tracing.start({ categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'] });
    await page.goto(url, { waitUntil: 'load' });
    const events = (JSON.parse(Buffer.from((await page.tracing.stop())!).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
    const ours = (event: TraceEvent) => OUR_SCRIPT.test(event.args?.data?.url ?? '');
    const starts = events.filter((e) => e.name === 'EvaluateScript' && ours(e));
    if (starts.length === 0) throw new Error(`no content script ran on ${url}`);
    const { pid, tid } = starts[0]!;
    const thread = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X');
    // The page's own load event (`loadEventStart` of its frame), not a frame's, an image's or a script's `load`.
    // The trace is the whole browser's: the frame is the one whose navigation loaded `url`.
    const navigation = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isOutermostMainFrame && e.args.data.documentLoaderURL === url);
    const load = navigation && events.find((e) => e.name === 'loadEventStart' && e.args?.frame === navigation.args?.frame && e.ts > navigation.ts);
    if (!load) throw new Error(`no load event traced on ${url}`);
    const before = (e: TraceEvent) => e.ts < load.ts;
    const contentLoaded = thread.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'DOMContentLoaded');
    const inside = (e: TraceEvent, outer: TraceEvent) => e.ts >= outer.ts && e.ts + (e.dur ?? 0) <= outer.ts + (outer.dur ?? 0);
    // The thread's time, not the wall clock's: on two cores shared with the browser's other processes
    // (and the fixture's server), a call's wall time held 0-15 ms of waiting for a core.
    const ms = (list: TraceEvent[]) => list.reduce((sum, e) => sum + (e.tdur ?? e.dur ?? 0), 0) / 1000;
    const calls = thread.filter((e) => e.name === 'FunctionCall' && ours(e) && before(e));
    const atContentLoaded = calls.filter((e) => contentLoaded.some((d) => inside(e, d)));
    return { atStart: ms(starts.filter(before)), atContentLoaded: ms(atContentLoaded), later: ms(calls) - ms(atContentLoaded) };
  } finally {
    await page.close();
  }
}

/** Later calls under this (a listener's or an answer's fraction of a millisecond) do not count as a load with later work. */
const LATER_MS = 3;

export interface TracedShareRow {
  page: string;
  loads: number;
  medianMs: TracedShare;
  /**
   * The later calls are all or nothing: a load that ends before our first timers fire has about 1 ms
   * of them, one that ends after them 6-8 ms of thread time (the page reader's first look for every
   * consent API, the banner watch's first look). So: in how many loads they took `LATER_MS` or more,
   * and their median there.
   */
  laterLoads: number;
  laterMedianMs: number;
}

/** `loads` traced loads of each page (after one to warm up) with the build at `extensionPath`, the median of each part. */
export async function measureTracedShare(network: NetworkOptions, extensionPath: string, origin: string, pages: string[], loads: number): Promise<TracedShareRow[]> {
  const ext = await launchWithExtension({ ...network, extensionPath });
  try {
    const rows = [];
    for (const path of pages) {
      const samples: TracedShare[] = [];
      for (let i = 0; i < loads + 1; i++) {
        const share = await tracedLoad(ext, origin + path);
        if (i > 0) samples.push(share);
      }
      const part = (key: keyof TracedShare) => median(samples.map((s) => s[key]));
      const withLater = samples.filter((s) => s.later >= LATER_MS).map((s) => s.later);
      rows.push({
        page: path,
        loads,
        medianMs: { atStart: part('atStart'), atContentLoaded: part('atContentLoaded'), later: part('later') },
        laterLoads: withLater.length,
        laterMedianMs: withLater.length ? median(withLater) : 0,
      });
    }
    return rows;
  } finally {
    await ext.close();
  }
}
