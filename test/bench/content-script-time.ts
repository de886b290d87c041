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
