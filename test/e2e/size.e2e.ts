import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CATALOG_GLOBAL, POLYFILL_SCRIPT, TCF_GLOBAL, ZOD_GLOBAL } from '../../lib/background/worker-scripts';
import { bundleSizes } from '../bench/sizes';
import dexiePackage from 'dexie/package.json' with { type: 'json' };

const dexieVersion = dexiePackage.version;

// The size budget (size-budget.json): checked on every test run, measured by npm run bench too.
describe('bundle size budget', () => {
  it('keeps every budgeted file and the store zip within its limit', async () => {
    const budget = JSON.parse(await readFile(resolve(import.meta.dirname, '../../size-budget.json'), 'utf8')) as { files: Record<string, number>; eachChunk: number; zip: number };
    const sizes = await bundleSizes();
    for (const [path, limit] of Object.entries(budget.files)) {
      const file = sizes.files.find((f) => f.path === path);
      expect(file, `${path} is in the build`).toBeDefined();
      expect(file!.gzip, `${path} gzip size`).toBeLessThanOrEqual(limit);
    }
    // A chunk with a limit of its own (the popup's shared chunk) is held to that one.
    for (const chunk of sizes.files.filter((f) => f.path.startsWith('chunks/') && !(f.path in budget.files))) expect(chunk.gzip, `${chunk.path} gzip size`).toBeLessThanOrEqual(budget.eachChunk);
    expect(sizes.zipBytes).toBeGreaterThan(0);
    expect(sizes.zipBytes, 'store zip').toBeLessThanOrEqual(budget.zip);
  });
});

describe('the polyfill in the bundles', () => {
  it('is bundled as an ES module, so no script copies the browser namespace at start-up', async () => {
    // The CommonJS interop copies each own property of the polyfill's export, which in Chrome 144+ and
    // Firefox is the browser's own `browser`: reading every descriptor builds every API's bindings.
    const shop = await readFile(resolve(import.meta.dirname, '../../.output/chrome-mv3/content-scripts/shop.js'), 'utf8');
    expect(shop).toContain('webextension-polyfill');
    expect(shop, 'the CommonJS interop (Object.getOwnPropertyNames) in shop.js').not.toContain('getOwnPropertyNames');
  });

  it('is one file in Chrome’s package, polyfill.js, which its worker and pages load only without a `browser` of their own', async () => {
    // lib/background/worker-scripts.ts. The polyfill's table of every API's arguments (`minArgs`) marks a copy of it.
    const chrome = resolve(import.meta.dirname, '../../.output/chrome-mv3');
    const polyfill = await readFile(resolve(chrome, POLYFILL_SCRIPT.slice(1)), 'utf8');
    expect(polyfill, 'polyfill.js is the polyfill').toContain('minArgs');
    expect(polyfill, 'polyfill.js keeps its licence’s notice').toContain('Mozilla Public');
    expect(polyfill, 'polyfill.js names no source map the package lacks').not.toContain('sourceMappingURL');
    const background = await readFile(resolve(chrome, 'background.js'), 'utf8');
    expect(background, 'background.js names polyfill.js').toContain(POLYFILL_SCRIPT);
    expect(background, 'background.js carries no copy of the polyfill').not.toContain('minArgs');
    let importers = 0;
    for (const chunk of await readdir(resolve(chrome, 'chunks'))) {
      const code = await readFile(resolve(chrome, 'chunks', chunk), 'utf8');
      expect(code, `chunks/${chunk} carries no copy of the polyfill`).not.toContain('minArgs');
      if (code.includes(POLYFILL_SCRIPT)) importers++;
    }
    expect(importers, 'the pages’ shared chunk names polyfill.js').toBe(1);
    // Fetched only by a browser without its own `browser`: never preloaded.
    const pages = (await readdir(chrome)).filter((file) => file.endsWith('.html'));
    expect(pages).toContain('popup.html');
    for (const page of pages) expect(await readFile(resolve(chrome, page), 'utf8'), `${page} preloads no polyfill`).not.toContain('polyfill.js');
    // A file the content script imported would have to be open to every web page: shop.js keeps its copy, in both browsers.
    expect(await readFile(resolve(chrome, 'content-scripts/shop.js'), 'utf8'), 'Chrome’s shop.js bundles the polyfill').toContain('minArgs');
    const firefox = resolve(import.meta.dirname, '../../.output/firefox-mv3');
    expect(await readdir(firefox), 'Firefox’s package, whose every page has a `browser` of its own').not.toContain(POLYFILL_SCRIPT.slice(1));
    expect(await readFile(resolve(firefox, 'background.js'), 'utf8'), 'Firefox’s background bundles the polyfill').toContain('minArgs');
  });
});

describe('the shop’s content script', () => {
  it('builds no WXT content-script context, which announced the script to the page and cost its main thread', async () => {
    // wxt.config.ts, withoutContentScriptContext: the context's DOM event told a page that knew the
    // extension's id that it runs there (its postMessage, which WXT sends unless told not to, would tell
    // any page); its AbortController and listeners cost every shop page some 2.5 ms.
    for (const browser of ['chrome-mv3', 'firefox-mv3']) {
      const shop = await readFile(resolve(import.meta.dirname, `../../.output/${browser}/content-scripts/shop.js`), 'utf8');
      expect(shop, `${browser}: shop.js is built`).toContain('report-now');
      for (const trace of ['content-script-started', 'locationchange', 'postMessage', 'AbortController']) expect(shop, `${browser}: shop.js holds ${trace}`).not.toContain(trace);
    }
  });
});

describe('what the popup loads', () => {
  it('is four scripts, its own, the chunk it shares with the other pages, the catalog and zod, and never the log (Dexie)', async () => {
    // Each extension file a page loads costs it some 3.5 ms before its first paint (BENCHMARKS.md).
    // catalog.js and zod.js are files of their own because Chrome's worker shares them (lib/background/worker-scripts.ts).
    const html = await readFile(resolve(import.meta.dirname, '../../.output/chrome-mv3/popup.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\/(chunks\/[^"]+\.js)"/g)].map((m) => m[1]!);
    // Fetched with the page's own two, not after the chunk that names it (wxt.config.ts, preloadSharedScripts).
    for (const script of ['catalog', 'zod']) expect(html, `popup.html preloads ${script}.js`).toMatch(new RegExp(`<link rel="modulepreload"[^>]* href="/${script}\\.js">`));
    expect(scripts.map((s) => s.replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js')).sort()).toEqual(['chunks/popup-shared.js', 'chunks/popup.js']);
    for (const script of scripts) {
      const code = await readFile(resolve(import.meta.dirname, '../../.output/chrome-mv3', script), 'utf8');
      const imported = [...code.matchAll(/from\s*["']\.\/([^"']+)["']/g)].map((m) => `chunks/${m[1]}`);
      for (const chunk of imported) expect(scripts, `${script} imports ${chunk}`).toContain(chunk);
      const shared = [...code.matchAll(/import\s*["']\/([^"']+)["']/g)].map((m) => m[1]);
      expect(shared.sort(), `the package's shared scripts ${script} imports`).toEqual(script.includes('popup-shared') ? ['catalog.js', 'zod.js'] : []);
      expect(code, `${script} holds no Dexie`).not.toContain('Dexie');
    }
  });
});

describe('the judging modules in the package', () => {
  it('are carried once, at the end of catalog.js, from which Chrome’s worker and the pages of both browsers take them; bundled in Firefox’s background', async () => {
    // lib/catalog/shared-modules.ts: carried twice they were about 6 kB of the zip. The strings' registry
    // (lib/i18n) must be one per worker or page; its translator's long date stands for it in the code.
    const translator = /dateStyle:\W?long\W?,timeZone:\W?UTC/;
    for (const browser of ['chrome', 'firefox']) {
      const output = resolve(import.meta.dirname, `../../.output/${browser}-mv3`);
      const catalogScript = await readFile(resolve(output, 'catalog.js'), 'utf8');
      expect(catalogScript, `${browser}: catalog.js carries the translator`).toMatch(translator);
      for (const module of ['lib/i18n/index', 'lib/consent/judge', 'lib/promises/index', 'lib/observe/tab-state']) expect(catalogScript, `${browser}: catalog.js hands over ${module}`).toMatch(new RegExp(`["'\`]?${module}["'\`]?:\\{`));
      for (const chunk of await readdir(resolve(output, 'chunks'))) {
        const code = await readFile(resolve(output, 'chunks', chunk), 'utf8');
        expect(code, `${browser}: chunks/${chunk} carries no translator of its own`).not.toMatch(translator);
      }
      const background = await readFile(resolve(output, 'background.js'), 'utf8');
      if (browser === 'chrome') {
        expect(background, 'Chrome’s background.js carries no translator of its own').not.toMatch(translator);
        expect(background, 'Chrome’s background.js takes the strings’ registry from catalog.js').toMatch(/["'`]lib\/i18n\/index["'`]/);
      } else {
        // An event page imports no scripts (lib/background/worker-scripts.ts).
        expect(background, 'Firefox’s background bundles the translator').toMatch(translator);
      }
    }
  });
});

describe('Dexie in the package', () => {
  it('is one file, dexie.js, which Chrome’s worker imports on first use and the pages that read the log load', async () => {
    // lib/background/worker-scripts.ts: carried twice it was about 31 kB of the zip, and 98 kB of the
    // script a woken worker compiles before its first event.
    const output = resolve(import.meta.dirname, '../../.output/chrome-mv3');
    const shared = await readFile(resolve(output, 'dexie.js'), 'utf8');
    // Run as the worker's importScripts runs it: a classic script, whose one global is Dexie.
    const global = { Dexie: undefined as unknown as { semVer?: string; liveQuery?: unknown } };
    runInNewContext(shared, global);
    expect(global.Dexie?.semVer, 'dexie.js puts Dexie on the global object').toBe(dexieVersion);
    expect(global.Dexie?.liveQuery, 'with liveQuery, which the history page reads from it').toBeTypeOf('function');
    // Dexie's build for ES2021, not the one compiled for browsers without classes (1.6 kB gzip more),
    // whose class helper sets prototypes by `{__proto__: []}` where `Object.setPrototypeOf` is missing.
    const compiledDown = '__proto__:[]';
    expect(shared, 'dexie.js is Dexie’s modern build').not.toContain(compiledDown);
    expect(shared, 'dexie.js names no source map the package lacks').not.toContain('sourceMappingURL');
    const background = await readFile(resolve(output, 'background.js'), 'utf8');
    expect(background, 'background.js carries no Dexie (its version check, semVer)').not.toContain('semVer');
    expect(background, 'background.js imports dexie.js').toContain('/dexie.js');
    // Without an import at install, a later worker may not import it (lib/background/worker-scripts.ts).
    expect(background, 'background.js imports it at install').toMatch(/addEventListener\(["'`]install["'`]/);
    const chunks = await readdir(resolve(output, 'chunks'));
    let importers = 0;
    for (const chunk of chunks) {
      const code = await readFile(resolve(output, 'chunks', chunk), 'utf8');
      expect(code, `chunks/${chunk} carries no Dexie`).not.toContain('semVer');
      if (/import\s*["']\/dexie\.js["']/.test(code)) importers++;
    }
    expect(importers, 'the chunk of the pages that read the log imports dexie.js').toBe(1);
    const firefox = await readFile(resolve(import.meta.dirname, '../../.output/firefox-mv3/background.js'), 'utf8');
    expect(firefox, 'Firefox’s background bundles Dexie').toContain('semVer');
    expect(firefox, 'Firefox’s background bundles the same modern build').not.toContain(compiledDown);
  });
});

describe('the catalog in the package', () => {
  it('is one file, catalog.js, which Chrome’s worker imports as it starts and every page loads; bundled in Firefox’s background', async () => {
    // lib/background/worker-scripts.ts: carried twice it was about 15 kB of the zip. The data's
    // promises stand for the whole catalog, in a string whose quotes the bundler may escape or not.
    const data = /\\?"promises\\?":\[\{\\?"id\\?"/;
    const chrome = resolve(import.meta.dirname, '../../.output/chrome-mv3');
    const shared = await readFile(resolve(chrome, 'catalog.js'), 'utf8');
    expect(shared.startsWith(`globalThis.${CATALOG_GLOBAL}={`), 'catalog.js defines its one global on the global object, also when loaded as a module').toBe(true);
    expect(shared, 'catalog.js holds the checked catalog').toMatch(data);
    const background = await readFile(resolve(chrome, 'background.js'), 'utf8');
    expect(background, 'background.js imports catalog.js').toContain('/catalog.js');
    expect(background, 'background.js carries no copy of the catalog').not.toMatch(data);
    let importers = 0;
    for (const chunk of await readdir(resolve(chrome, 'chunks'))) {
      const code = await readFile(resolve(chrome, 'chunks', chunk), 'utf8');
      expect(code, `chunks/${chunk} carries no copy of the catalog`).not.toMatch(data);
      if (/import\s*["']\/catalog\.js["']/.test(code)) importers++;
    }
    expect(importers, 'the pages’ shared chunk imports catalog.js').toBe(1);
    const firefox = resolve(import.meta.dirname, '../../.output/firefox-mv3');
    expect(await readFile(resolve(firefox, 'background.js'), 'utf8'), 'Firefox’s background bundles the catalog').toMatch(data);
  });
});

describe('the IAB’s TCF library in the package', () => {
  it('is a file of its own in Chrome’s package, iabtcf.js, imported at install and on first use; bundled in Firefox’s background', async () => {
    // lib/background/worker-scripts.ts: 30 kB of the script a woken worker compiles before its first
    // event, for the few pages that hand it a TC string.
    const chrome = resolve(import.meta.dirname, '../../.output/chrome-mv3');
    const library = await readFile(resolve(chrome, 'iabtcf.js'), 'utf8');
    // The library's own names survive minifying: its segments and its publisher restrictions.
    const iab = /publisherRestrictions/;
    const global: Record<string, { TCString?: { decode?: unknown } }> = {};
    runInNewContext(library, global);
    expect(Object.keys(global), 'iabtcf.js defines one global, the one its stand-in reads').toEqual([TCF_GLOBAL]);
    expect(global[TCF_GLOBAL]?.TCString?.decode, 'holding the IAB’s TCString').toBeTypeOf('function');
    expect(library, 'iabtcf.js is the IAB’s library').toMatch(iab);
    expect(library, 'iabtcf.js names no source map').not.toContain('sourceMappingURL');
    const background = await readFile(resolve(chrome, 'background.js'), 'utf8');
    expect(background, 'background.js carries none of the library').not.toMatch(iab);
    for (const script of ['/iabtcf.js', '/dexie.js']) expect(background, `background.js names ${script}, to import it at install and on first use`).toContain(script);
    const firefox = resolve(import.meta.dirname, '../../.output/firefox-mv3');
    expect(await readdir(firefox), 'Firefox’s package has no iabtcf.js').not.toContain('iabtcf.js');
    expect(await readFile(resolve(firefox, 'background.js'), 'utf8'), 'Firefox’s background bundles the library').toMatch(iab);
  });
});

describe('zod in the package', () => {
  it('is one file, zod.js, of zod/mini with English issues, which Chrome’s worker imports as it starts and every page loads; bundled in Firefox’s background', async () => {
    // Classic zod puts every method on every schema and cannot be tree-shaken: it was 91 kB of each of
    // the worker and the pages' shared chunk (BENCHMARKS.md, issue 13's fifth stop); zod/mini carried
    // twice, about 10 kB gzip each (lib/parse/zod-shared.ts). Classic zod's classes are named
    // `ZodString` and so on; zod/mini's `ZodMiniString`; the core's, which both share, `$ZodString`.
    const chrome = resolve(import.meta.dirname, '../../.output/chrome-mv3');
    const zod = await readFile(resolve(chrome, 'zod.js'), 'utf8');
    expect(zod, 'zod.js defines its one global on the global object, also when loaded as a module').toContain(`globalThis.${ZOD_GLOBAL}=`);
    expect(zod, 'zod.js carries zod/mini').toContain('ZodMiniString');
    expect(zod, 'zod.js carries no classic zod').not.toMatch(/[`'"]ZodString[`'"]/);
    // lib/parse/english-issues.ts: zod's English messages, and only those.
    expect(zod, "zod.js carries zod's English issues").toContain('expected ${');
    expect(zod, "zod.js carries no other language of zod's (German, Dutch)").not.toMatch(/Ungültige Eingabe|Ongeldige invoer/);
    const background = await readFile(resolve(chrome, 'background.js'), 'utf8');
    expect(background, 'background.js imports zod.js').toContain('/zod.js');
    expect(background, 'background.js carries no copy of zod').not.toContain('ZodMiniString');
    let importers = 0;
    for (const chunk of await readdir(resolve(chrome, 'chunks'))) {
      const code = await readFile(resolve(chrome, 'chunks', chunk), 'utf8');
      expect(code, `chunks/${chunk} carries no copy of zod`).not.toContain('ZodMiniString');
      if (/import\s*["']\/zod\.js["']/.test(code)) importers++;
    }
    expect(importers, 'the pages’ shared chunk imports zod.js').toBe(1);
    const firefox = resolve(import.meta.dirname, '../../.output/firefox-mv3');
    expect(await readFile(resolve(firefox, 'background.js'), 'utf8'), 'Firefox’s background bundles zod').toContain('ZodMiniString');
    expect(await readFile(resolve(firefox, 'zod.js'), 'utf8'), 'Firefox’s pages share zod.js').toContain('ZodMiniString');
  });
});
