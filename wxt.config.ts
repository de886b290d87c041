import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import { hostPermissions } from './lib/catalog';
import * as checkedData from './lib/catalog/data';
import { rolldown } from 'rolldown';
import { CATALOG_GLOBAL, CATALOG_SCRIPT, DEXIE_SCRIPT, POLYFILL_SCRIPT, TCF_GLOBAL, TCF_SCRIPT, ZOD_GLOBAL, ZOD_SCRIPT } from './lib/background/worker-scripts';
import { ZOD_EXPORTS } from './lib/parse/zod-shared';
import { SHARED_MODULES } from './lib/catalog/shared-modules';
import { repackedZip } from './lib/package/store-zip';
import { deflateAsync as zopfli } from '@gfx/zopfli';

/** The browser being built for, set when WXT has resolved its config: the Vite build hook below is not told it. */
let targetBrowser = 'chrome';

// The manifest is a function of the catalog: the shop and each network-observed tracker host,
// never <all_urls>. Chromium shows webRequest a sub-resource only when the extension holds
// both the request's host and its initiator's, so both lists are needed.
export default defineConfig({
  // Manifest V3 for Firefox too (WXT's default there is V2): Firefox 128+ runs the page-world consent
  // reader (`world: "MAIN"`) and `storage.session` as Chromium does, so both browsers share one code path.
  // The price: Firefox lets a user withhold host access, which the popup detects and asks for again.
  manifestVersion: 3,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact(), checkedAtBuild(), polyfillAsEsModule()],
    build: { rollupOptions: { treeshake: { moduleSideEffects: hasSideEffects } } },
  }),
  webExt: { disabled: true },
  hooks: {
    'config:resolved'(wxt) {
      targetBrowser = wxt.config.browser;
    },
    // The scripts Chrome's worker imports (lib/background/worker-scripts.ts): the catalog, zod and Dexie, which
    // the pages share in both browsers, the polyfill, which Chrome's pages share, and the IAB's TCF library,
    // which only Chrome's worker loads from a file. And the locale files, as the package carries them.
    async 'build:publicAssets'(_wxt, files) {
      for (const [index, file] of files.entries()) {
        if ('absoluteSrc' in file && LOCALE_FILE.test(file.relativeDest)) files[index] = { relativeDest: file.relativeDest, contents: packagedLocale(readFileSync(file.absoluteSrc, 'utf8')) };
      }
      files.push({ relativeDest: CATALOG_SCRIPT.slice(1), contents: catalogScript() + (await sharedModulesScript()) });
      files.push({ relativeDest: ZOD_SCRIPT.slice(1), contents: await zodScript() });
      files.push({ relativeDest: DEXIE_SCRIPT.slice(1), contents: await dexieScript() });
      if (targetBrowser === 'chrome') {
        files.push({ relativeDest: POLYFILL_SCRIPT.slice(1), contents: polyfillScript() });
        files.push({ relativeDest: TCF_SCRIPT.slice(1), contents: await tcfScript() });
      }
    },
    // Each browser's store package deflated again by Zopfli: the same files, 3 % fewer bytes (lib/package/store-zip.ts).
    async 'zip:extension:done'(_wxt, zipPath) {
      writeFileSync(zipPath, await repackedZip(readFileSync(zipPath), (data) => zopfli(data, { numiterations: 15 })));
    },
    'vite:build:extendConfig'(entrypoints, config) {
      const names = new Set(entrypoints.map((entrypoint) => entrypoint.name));
      if (names.has('shop')) (config.plugins ??= []).push(withoutContentScriptContext());
      // Firefox's background is an event page, which has no importScripts: there the catalog, zod, Dexie and the TCF library stay bundled.
      if (names.has('background') && targetBrowser === 'chrome') {
        (config.plugins ??= []).push(
          sharedScript(CATALOG_DATA, 'lib/catalog/data-in-chrome-worker.ts'),
          sharedModules('lib/catalog/data-in-chrome-worker.ts'),
          sharedZod('lib/parse/zod-in-chrome-worker.ts'),
          sharedScript('dexie', 'lib/db/dexie-in-chrome-worker.ts'),
          sharedScript('@iabtcf/core', 'lib/consent/readers/iabtcf-in-chrome-worker.ts'),
          sharedScript('webextension-polyfill', 'lib/background/browser-in-chrome-worker.ts'),
        );
      }
      if (names.has('background') && targetBrowser === 'firefox') (config.plugins ??= []).push(modernDexie());
      if (!names.has('popup')) return;
      (config.plugins ??= []).push(
        sharedScript(CATALOG_DATA, 'lib/catalog/data-in-page.ts'),
        sharedModules('lib/catalog/data-in-page.ts'),
        sharedZod('lib/parse/zod-in-page.ts'),
        sharedScript('dexie', 'lib/db/dexie-in-page.ts'),
        preloadSharedScripts(),
      );
      // Firefox always has a `browser` of its own, which its pages' bundled polyfill hands back.
      if (targetBrowser === 'chrome') (config.plugins ??= []).push(sharedScript('webextension-polyfill', 'lib/view/browser-in-page.ts'));
      const rollupOptions = ((config.build ??= {}).rollupOptions ??= {});
      const output = Array.isArray(rollupOptions.output) ? {} : (rollupOptions.output ?? {});
      rollupOptions.output = { ...output, codeSplitting: { groups: [popupChunk()] } } as never;
    },
  },
  // Store packages (npm run zip): the Chrome Web Store zip, the Firefox add-on zip, and the sources zip
  // Firefox's review asks for, which must build the same add-on and hold nothing else (test/e2e/packages.e2e.ts).
  zip: {
    exclude: ['**/*.map'],
    excludeSources: ['test/**', 'test-results/**', 'docs/**', '.ci/**', '.github/**', 'BENCHMARKS.md', 'size-budget.json', 'vitest*.config.ts', 'lib/scan/**', '**/*.pem', '**/*.key', '**/*.log'],
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'nl',
    permissions: ['storage', 'webRequest', 'cookies', 'alarms'],
    // Asked for only when the customer wants deadline notifications (settings page). In Firefox the
    // DevTools panel is optional too: `devtools_page` alone would show every customer a warning about
    // developer tools at install, and hold back the update that adds it until they accept. Support
    // staff turn it on in about:addons (Permissions). Chromium warns for neither and has no such
    // optional permission (crbug.com/1143015), so there the panel is simply there.
    optional_permissions: browser === 'firefox' ? ['notifications', 'devtools'] : ['notifications'],
    host_permissions: hostPermissions(),
    action: { default_title: '__MSG_actionTitle__' },
    // No page may frame the extension's pages (clickjacking), except DevTools: Chromium shows the
    // DevTools page and panel in frames of devtools://devtools, and 'none' would leave the panel blank
    // (seen in Chromium 156). Firefox shows them in a browser element of its own, which has no ancestor.
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors devtools://devtools",
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'privacy-lens@mijnliefsteboek.example',
              // 140 is the ESR that knows `data_collection_permissions`.
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});

/** Dexie's ES2021 build, which its package's entry points do not name (they give the build compiled for older browsers). */
const DEXIE_MODERN_BUILD = resolve(dirname(createRequire(import.meta.url).resolve('dexie')), 'modern/dexie.mjs');

const LOCALE_FILE = /^_locales\/[^/]+\/messages\.json$/;

/**
 * A locale file as the package carries it: without the translators' descriptions, which no browser
 * shows, and without the indentation that keeps the source readable (each file 6.3 kB smaller, 0.3 kB
 * gzip; the zip 0.7 kB). The background and the pages read these files too (lib/i18n/packaged.ts), so
 * they also parse less.
 */
function packagedLocale(text: string): string {
  const entries = JSON.parse(text) as Record<string, { description?: string }>;
  return JSON.stringify(Object.fromEntries(Object.entries(entries).map(([key, { description: _, ...entry }]) => [key, entry])));
}

/**
 * The shop's content script without WXT's content-script context, which WXT's wrapper builds for every
 * isolated-world script and hands to `main`. We use none of it (lib/observe/lifetime.ts says why not its
 * `onInvalidated`), and building it cost each shop page about 2.5 ms of its main thread on this machine's
 * slow browsers (its AbortController, its `Math.random` id, a DOM event that any page knowing the
 * extension's id can hear, and a listener for it; BENCHMARKS.md, issue 13's thirty-third stop). WXT's
 * wrapper imports the class from a public module of WXT's, so the build gives it a class that does
 * nothing, and `main` takes no context: a `main(ctx)` would get an object without WXT's methods.
 */
function withoutContentScriptContext(): Plugin {
  const standIn = '\0privacy-lens:no-content-script-context';
  return {
    name: 'privacy-lens:no-content-script-context',
    enforce: 'pre',
    resolveId: (source) => (source === 'wxt/utils/content-script-context' ? standIn : null),
    load: (id) => (id === standIn ? 'export class ContentScriptContext {}' : null),
  };
}

/**
 * The catalog and the directory of third parties go into the extension already checked: this config
 * imported `lib/catalog/data.ts`, which ran their schemas (a broken data file fails the build here),
 * and the bundles get its exports as data in its place. The schemas' checks, defaults and the raw
 * files stay out of the scripts, and a woken worker does not run the same checks again before its
 * first event. `JSON.parse` of a string, because V8 reads it faster than the same object literal.
 * Chrome's worker and the pages take the same data from `catalog.js` instead (`catalogScript`).
 * The data is read when this config loads: under `wxt dev`, a change to the data files shows after a
 * restart.
 */
function checkedAtBuild(): Plugin {
  const module = resolve(import.meta.dirname, `${CATALOG_DATA}.ts`);
  return {
    name: 'privacy-lens:checked-at-build',
    enforce: 'pre',
    load(id) {
      if (id.split('?')[0] !== module) return null;
      return Object.entries(checkedData)
        .map(([name, value]) => `export const ${name} = ${typeof value === 'object' ? `/* @__PURE__ */ JSON.parse(${JSON.stringify(JSON.stringify(value))})` : JSON.stringify(value)};`)
        .join('\n');
    },
  };
}

/** The shared scripts the pages load as modules, whose addresses the build leaves for the browser to load. */
const PAGE_SCRIPTS = new Set<string>([CATALOG_SCRIPT, ZOD_SCRIPT, DEXIE_SCRIPT, POLYFILL_SCRIPT]);

/** The catalog's data module, which Chrome's worker and the pages of both browsers take from `catalog.js` instead. */
const CATALOG_DATA = 'lib/catalog/data';

/**
 * The same data as a classic script that puts them on one global (lib/background/worker-scripts.ts), for
 * the scripts that share it: Chrome's worker imports it, the pages load it as a module, where a `var`
 * would stay the module's own.
 */
function catalogScript(): string {
  // Single quotes, which JSON's text seldom holds, instead of escaping its every double quote: V8 scans a
  // string without escapes faster, and the popup painted a few ms sooner (the thirty-second stop).
  const literal = (value: unknown) => (typeof value === 'object' ? `JSON.parse('${JSON.stringify(value).replace(/[\\']/g, '\\$&')}')` : JSON.stringify(value));
  const fields = Object.entries(checkedData).map(([name, value]) => `${name}:${literal(value)}`);
  return `globalThis.${CATALOG_GLOBAL}={${fields.join(',')}};\n`;
}

/**
 * `name` (a package, or a module of ours by its path without extension) resolved to the module that takes
 * it from its own script (`standIn`). A page's stand-in imports `/dexie.js` or `/catalog.js` as a module,
 * whose address is left as it is for the browser to load; the worker's stand-ins call `importScripts` instead.
 */
function sharedScript(name: string, standIn: string): Plugin {
  const module = resolve(import.meta.dirname, standIn);
  const ours = name.startsWith('lib/') ? resolve(import.meta.dirname, `${name}.ts`) : null;
  // The few specifiers that may name it: ending in its file's name, with an extension or none.
  const mayName = new RegExp(`(^|/)${name.slice(name.lastIndexOf('/') + 1)}(\\.[jt]s)?$`);
  return {
    name: `privacy-lens:shared-script:${name}`,
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source === name) return module;
      if (PAGE_SCRIPTS.has(source)) return { id: source, external: true };
      // A module of ours, however it is named (relative, `@/lib/...`, with an extension): resolved as the build would.
      if (ours && importer && mayName.test(source)) {
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
        if (resolved?.id.split('?')[0] === ours) return module;
      }
      return null;
    },
  };
}

/**
 * zod/mini's functions (lib/parse/zod-shared.ts) and its English messages as a classic script that puts
 * them on one global, for the scripts that share them, as `catalogScript` does the catalog. Only the
 * listed functions: all of zod/mini, with every language's messages, is 87 kB gzip.
 */
async function zodScript(): Promise<string> {
  const fields = ZOD_EXPORTS.map((name) => `${JSON.stringify(name)}: z[${JSON.stringify(name)}]`);
  // Rolldown, the bundler Vite builds the rest with, and not esbuild: it leaves out more of what these
  // functions do not reach (12.7 kB gzip against 15.2).
  return classicScript(`import * as z from 'zod/mini';\nimport en from 'zod/v4/locales/en.js';\nglobalThis.${ZOD_GLOBAL} = { ${fields.join(', ')}, en };`);
}

/** `code`, an ES module, bundled by Rolldown and minified as a classic script, which a service worker's `importScripts` can run. */
async function classicScript(code: string): Promise<string> {
  const entry = '\0privacy-lens:classic-script';
  const bundle = await rolldown({
    input: entry,
    cwd: import.meta.dirname,
    logLevel: 'silent',
    plugins: [{ name: 'privacy-lens:classic-script', resolveId: (id) => (id === entry ? id : null), load: (id) => (id === entry ? code : null) }],
  });
  try {
    const { output } = await bundle.generate({ format: 'iife', minify: true, comments: { legal: false } });
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

/**
 * `zod/mini` and zod's English messages resolved to modules that read them from `zod.js`, through `source`
 * (lib/parse/zod-in-*.ts, which imports the script as its place allows). Generated from the list of
 * functions, since a module's named exports must be written out; `_` before each local name because
 * `catch` and `enum` are names a binding may not have, though an export may.
 */
function sharedZod(source: string): Plugin {
  const modules = zodStandIns(JSON.stringify(resolve(import.meta.dirname, source)));
  const prefix = '\0privacy-lens:shared-zod:';
  return {
    name: 'privacy-lens:shared-zod',
    enforce: 'pre',
    resolveId(specifier) {
      return modules.has(specifier) ? prefix + specifier : null;
    },
    load(id) {
      return id.startsWith(prefix) ? modules.get(id.slice(prefix.length)) : null;
    },
  };
}

/** The function the stand-in modules read a shared module's exports with (lib/parse/shared-export.ts). */
const SHARED_EXPORT = resolve(import.meta.dirname, 'lib/parse/shared-export.ts');
const PICK = `import { sharedExport } from ${JSON.stringify(SHARED_EXPORT)};`;
/** One export of a shared script's object, read by a call marked pure: a bundle drops it when nothing uses the export. */
const picked = (object: string, name: string) => `/* @__PURE__ */ sharedExport(${object}, ${JSON.stringify(name)})`;

/** The modules `zod/mini` and zod's English messages resolve to, taking zod from the module `from` (a quoted specifier) exports as `zod`. */
function zodStandIns(from: string): Map<string, string> {
  return new Map([
    ['zod/mini', `import { zod } from ${from};\n${PICK}\n${ZOD_EXPORTS.map((name) => `const _${name} = ${picked('zod', name)};`).join('\n')}\nexport { ${ZOD_EXPORTS.map((name) => `_${name} as ${name}`).join(', ')} };`],
    ['zod/v4/locales/en.js', `import { zod } from ${from};\nexport default zod.en;`],
  ]);
}

/**
 * Whether a module does something when it is loaded, for the bundlers' tree-shaking. The project's own
 * modules have none but lib/parse/jitless.ts and lib/parse/english-issues.ts, whose one job is one: a
 * bundle keeps only the exports it uses and what they import. That keeps the content scripts small,
 * although a consent platform's module holds its cookie reader (background only, with zod and the IAB
 * decoders) next to its page reader and banner signature (page and content script).
 */
function hasSideEffects(id: string, external: boolean): boolean {
  return external || !id.includes('/lib/') || id.endsWith('/lib/parse/jitless.ts') || id.endsWith('/lib/parse/english-issues.ts');
}

/** Every module of ours the shared modules import, by absolute path, with the names it exports. */
type SharedModuleGraph = ReadonlyMap<string, readonly string[]>;

let sharedGraphOnce: Promise<SharedModuleGraph> | undefined;

/**
 * The judging modules Chrome's worker and the pages share (lib/catalog/shared-modules.ts) and every
 * module of ours they import, each with its exports: a bundle of the worker's or the pages' may import
 * any of them, and must find it in `catalog.js` (a copy beside it would be a second strings' registry).
 */
function sharedModuleGraph(): Promise<SharedModuleGraph> {
  return (sharedGraphOnce ??= (async () => {
    const roots = SHARED_MODULES.map((path) => resolve(import.meta.dirname, `${path}.ts`));
    const { graph, bundle } = await bundleSharedModules(roots.map((id) => `import ${JSON.stringify(id)};`).join('\n'));
    // Rolldown reads the modules only when asked for its output.
    await bundle.generate({ format: 'iife' }).finally(() => bundle.close());
    if (!graph.size) throw new Error('The shared modules reached none of ours (wxt.config.ts, sharedModuleGraph)');
    return graph;
  })());
}

/**
 * Of each shared module, the names the worker's and the pages' bundles kept after tree-shaking
 * (recorded by `sharedModules` as each bundle is written, before the package's files are).
 */
const usedSharedExports = new Map<string, Set<string>>();

/**
 * The shared modules as a classic script that puts, on the catalog's global, under `modules`, the
 * names the worker's and the pages' bundles use of each: `catalog.js` carries it after the data. Only
 * those names, so the bundler leaves out what no bundle calls (the catalog's schemas, which only the
 * build checks with, among them).
 */
async function sharedModulesScript(): Promise<string> {
  // In code-unit order, as `sort()` orders the names: the same on every machine, whatever its locale.
  const modules = [...usedSharedExports].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!modules.length) throw new Error('No bundle took a shared module: catalog.js would carry them for nobody (wxt.config.ts, sharedModules)');
  const local = (module: number, name: number) => `m${module}_${name}`;
  const entry = [
    ...modules.map(([id, names], module) => `import { ${[...names].sort().map((name, index) => `${name} as ${local(module, index)}`).join(', ')} } from ${JSON.stringify(id)};`),
    `globalThis.${CATALOG_GLOBAL}.modules = { ${modules.map(([id, names], module) => `${JSON.stringify(projectPath(id))}: { ${[...names].sort().map((name, index) => `${JSON.stringify(name)}: ${local(module, index)}`).join(', ')} }`).join(', ')} };`,
  ].join('\n');
  const { bundle } = await bundleSharedModules(entry);
  try {
    const { output } = await bundle.generate({ format: 'iife', minify: true, comments: { legal: false } });
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

/** Our modules bundled from `entryCode` by Rolldown, zod and the catalog's data taken from their globals, and the graph of our modules it reached. */
async function bundleSharedModules(entryCode: string): Promise<{ bundle: Awaited<ReturnType<typeof rolldown>>; graph: SharedModuleGraph }> {
  const entry = '\0privacy-lens:shared-modules';
  const data = '\0privacy-lens:shared-modules:catalog-data';
  const zod = '\0privacy-lens:shared-modules:zod';
  const virtual = new Map([
    [entry, entryCode],
    // The data, read from what the start of catalog.js defined; zod, from zod.js, which runs first (lib/catalog/data-in-*.ts).
    [data, `export const { CATALOG_VERSION, catalog, thirdParties } = globalThis.${CATALOG_GLOBAL};`],
    [zod, `export const zod = globalThis.${ZOD_GLOBAL};`],
    ...[...zodStandIns(JSON.stringify(zod))].map(([specifier, code]) => [`${entry}:${specifier}`, code] as const),
  ]);
  const catalogData = resolve(import.meta.dirname, `${CATALOG_DATA}.ts`);
  const lib = `${resolve(import.meta.dirname, 'lib')}/`;
  const graph = new Map<string, readonly string[]>();
  const bundle = await rolldown({
    input: entry,
    cwd: import.meta.dirname,
    logLevel: 'silent',
    treeshake: { moduleSideEffects: hasSideEffects },
    plugins: [
      {
        name: 'privacy-lens:shared-modules',
        async resolveId(source, importer, options) {
          if (virtual.has(source)) return source;
          if (virtual.has(`${entry}:${source}`)) return `${entry}:${source}`;
          if (!importer || importer.startsWith('\0') || !source.startsWith('.')) return null;
          const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
          return resolved?.id === catalogData ? data : null;
        },
        load: (id) => virtual.get(id) ?? null,
        async buildEnd() {
          // Not the stand-ins' reader, which only the build's own stand-ins import, in every bundle.
          const ours = [...this.getModuleIds()].filter((id) => id.startsWith(lib) && id !== SHARED_EXPORT);
          // Rolldown lists an `export * from` as `*`: its names are the other module's, but `default`.
          const starsOf = new Map<string, string[]>();
          for (const id of ours) {
            const targets = [...(this.getModuleInfo(id)?.code ?? '').matchAll(/export\s*\*\s*from\s*["']([^"']+)["']/g)];
            starsOf.set(id, (await Promise.all(targets.map(async ([, target]) => (await this.resolve(target!, id))?.id))).filter((target): target is string => !!target));
          }
          const namesOf = (id: string, seen = new Set<string>()): string[] => {
            if (seen.has(id)) return [];
            seen.add(id);
            const own = (this.getModuleInfo(id)?.exports ?? []).filter((name) => name !== '*');
            return [...new Set([...own, ...(starsOf.get(id) ?? []).flatMap((target) => namesOf(target, seen).filter((name) => name !== 'default'))])];
          };
          // Sorted, as the stand-ins list them: Rolldown reads modules in parallel, and the package must be the same at every build.
          for (const id of ours.sort()) graph.set(id, namesOf(id).sort());
        },
      },
    ],
  });
  return { bundle, graph };
}

/** A module's path from the project's root, without extension: its key under the catalog global's `modules`. */
function projectPath(id: string): string {
  return relative(import.meta.dirname, id).replace(/\.[jt]sx?$/, '');
}

/**
 * Every shared module (lib/catalog/shared-modules.ts), however a module of the worker's or the pages'
 * names it, resolved to a module that takes its exports from `catalog.js`, through `source`
 * (lib/catalog/data-in-*.ts, which loads the script as its place allows and exports its `modules`).
 */
function sharedModules(source: string): Plugin {
  const from = JSON.stringify(resolve(import.meta.dirname, source));
  const prefix = '\0privacy-lens:shared-module:';
  return {
    name: 'privacy-lens:shared-modules',
    enforce: 'pre',
    async resolveId(specifier, importer, options) {
      if (!importer || importer.startsWith('\0') || specifier.startsWith('\0') || PAGE_SCRIPTS.has(specifier) || !/^[./]|^@\//.test(specifier)) return null;
      const graph = await sharedModuleGraph();
      const resolved = await this.resolve(specifier, importer, { ...options, skipSelf: true });
      const id = resolved?.id.split('?')[0];
      return id && graph.has(id) ? prefix + id : null;
    },
    async load(id) {
      if (!id.startsWith(prefix)) return null;
      const path = id.slice(prefix.length);
      const names = (await sharedModuleGraph()).get(path) ?? [];
      // `_` and an index for each local name: an export may be named what a binding may not (`default`).
      return [
        `import { modules } from ${from};`,
        `const shared = modules[${JSON.stringify(projectPath(path))}];`,
        PICK,
        ...names.map((name, index) => `const _${index} = ${picked('shared', name)};`),
        `export { ${names.map((name, index) => `_${index} as ${name}`).join(', ')} };`,
      ].join('\n');
    },
    // What this bundle kept of each shared module, for catalog.js to carry (sharedModulesScript).
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        for (const [id, module] of Object.entries(file.modules)) {
          if (!id.startsWith(prefix) || !module.renderedExports.length) continue;
          const path = id.slice(prefix.length);
          const used = usedSharedExports.get(path) ?? new Set<string>();
          for (const name of module.renderedExports) used.add(name);
          usedSharedExports.set(path, used);
        }
      }
    },
  };
}

/**
 * A page fetches the shared scripts its chunks import (`/catalog.js`, `/dexie.js`) only once it has
 * fetched and parsed the chunk that names them, a third round after the page's own script and the
 * shared chunk; a `modulepreload` link in its head fetches them with those two. Measured against the
 * catalog bundled in the shared chunk (BENCHMARKS.md, issue 13's thirty-second stop): without the link
 * the popup painted some 13% later; with it, 1–3% (6% while catalog.js escaped its quotes).
 */
function preloadSharedScripts(): Plugin {
  return {
    name: 'privacy-lens:preload-shared-scripts',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { chunk, bundle }) {
        if (!chunk || !bundle) return;
        const shared = new Set<string>();
        const seen = new Set<string>();
        const walk = (imports: readonly string[]) => {
          for (const id of imports) {
            if (PAGE_SCRIPTS.has(id)) shared.add(id);
            const imported = bundle[id];
            if (imported?.type === 'chunk' && !seen.has(id)) seen.add(id), walk(imported.imports);
          }
        };
        walk(chunk.imports);
        return [...shared].sort().map((href) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href }, injectTo: 'head' as const }));
      },
    },
  };
}

/** The IAB's TCF library as a classic script that defines one global, holding the only class the worker uses (8.8 kB gzip; esbuild's bundle was 9.1). */
function tcfScript(): Promise<string> {
  return classicScript(`import { TCString } from '@iabtcf/core';\nglobalThis.${TCF_GLOBAL} = { TCString };`);
}

/**
 * Dexie's modern build (ES2021, which every browser the extension supports runs) as a classic script that
 * puts Dexie on the global object, as its UMD build does: 29.2 kB gzip against the UMD build's 30.8, whose
 * code is compiled down for older browsers. Firefox's background bundles the same build (`modernDexie`).
 */
function dexieScript(): Promise<string> {
  return classicScript(`import { Dexie } from ${JSON.stringify(DEXIE_MODERN_BUILD)};\nglobalThis.Dexie = Dexie;`);
}

/** Dexie's modern build, the one `dexie.js` carries, for a background that bundles Dexie (Firefox's): both browsers run the same code. */
function modernDexie(): Plugin {
  return { name: 'privacy-lens:modern-dexie', enforce: 'pre', resolveId: (source) => (source === 'dexie' ? DEXIE_MODERN_BUILD : null) };
}

/** webextension-polyfill's own minified build, its licence's notice kept. */
function polyfillScript(): string {
  return packageBuild('webextension-polyfill', 'browser-polyfill.min.js');
}

/** A file next to a package's main module, without the line naming a source map the package does not carry. */
function packageBuild(name: string, file: string): string {
  const build = resolve(dirname(createRequire(import.meta.url).resolve(name)), file);
  return readFileSync(build, 'utf8').replace(/^\/\/# sourceMappingURL=\S+\n?/m, '');
}

/**
 * webextension-polyfill as an ES module whose default export is the `browser` object itself. As the
 * CommonJS module it ships as, the bundler's interop copied every own property of its export onto a
 * namespace object; in Chrome 152+ and Firefox that export is the browser's own `browser`, and reading
 * each property's descriptor makes the browser build every API's bindings (`app`, `storage`, ...) in
 * every content script and worker start, used or not (1.4 ms of shop.js's 8.6 ms per checkout load).
 */
function polyfillAsEsModule(): Plugin {
  return {
    name: 'privacy-lens:polyfill-as-es-module',
    transform(code, id) {
      if (!/\/webextension-polyfill\/dist\/browser-polyfill(\.min)?\.js$/.test(id.split('?')[0]!)) return null;
      return { code: `const module = { exports: {} }, exports = module.exports;\n${code}\nexport default module.exports;\n`, map: null };
    },
  };
}

/**
 * Every module the popup shares with another page goes into one chunk, so the popup loads two
 * scripts, its own and that one, where the bundler's automatic chunks made it seven: each extension
 * file a page loads costs it about 3.5 ms on this machine (an empty page that imports seven modules
 * paints at 76 ms, one that imports one module of the same total size at 58 ms). The other pages
 * load that chunk too, and keep their own chunks for the rest (Dexie among them, which the popup
 * never loads).
 */
function popupChunk() {
  const known = new Map<string, boolean>();
  /** Whether the popup's entry imports `start`, directly or not: a walk up through its importers. */
  const reachesPopup = (start: string, importersOf: (id: string) => readonly string[]): boolean => {
    let found = known.get(start);
    if (found !== undefined) return found;
    const seen = new Set([start]);
    const queue = [start];
    found = false;
    while (queue.length && !found) {
      const id = queue.pop()!;
      if (known.get(id) === true || /[\\/]entrypoints[\\/]popup[\\/]/.test(id)) found = true;
      else for (const importer of importersOf(id)) if (!seen.has(importer)) seen.add(importer), queue.push(importer);
    }
    known.set(start, found);
    return found;
  };
  return {
    name: (id: string, context: { getModuleInfo(id: string): { importers: readonly string[] } | null }) =>
      reachesPopup(id, (other) => context.getModuleInfo(other)?.importers ?? []) ? 'popup-shared' : null,
    minShareCount: 2,
  };
}
