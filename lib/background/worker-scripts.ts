/**
 * Classic scripts at the package's root that Chrome's service worker imports, instead of carrying their
 * code in `background.js`. Two it imports the first time it needs them: a woken worker reads and compiles
 * its whole script before its first event (the code cache is read whole, called or not, BENCHMARKS.md's
 * twentieth stop), and most wakings need neither. Two more, `catalog.js` and `zod.js` (below), every
 * start imports, so that the pages can share them.
 * - `dexie.js`: Dexie's own ES2021 build, minified as a classic script that puts `Dexie` on the global
 *   object (wxt.config.ts, dexieScript), which the pages that read the log load too, so Chrome's package
 *   carries it once. The worker needs it about a second
 *   after it wakes, when it writes the log's first batch (lib/db/dexie-in-chrome-worker.ts).
 * - `iabtcf.js`: the IAB's TCF library, which the worker needs only when a TC string arrives
 *   (lib/consent/readers/iabtcf-in-chrome-worker.ts). Nothing else in the package uses it.
 * wxt.config.ts writes both into the package and points the worker's imports of `dexie` and
 * `@iabtcf/core` at those stand-ins. A fifth, `polyfill.js` (below), a worker imports as it starts
 * only where the browser has no `browser` of its own.
 *
 * A service worker may call `importScripts` after its first run only for files it imported while it was
 * being installed (Chromium answers any other file with a NetworkError, "importScripts() of new scripts
 * after service worker installation is not allowed"). So the worker imports every one of them once at
 * install (`importLaterScriptsAtInstall`, which the entrypoint calls at its top level, where an install
 * listener must be added). An update of the extension installs its worker again, with the new files.
 *
 * Firefox runs the background as an event page, which has no `importScripts`: there all five stay
 * bundled. Its pages share `dexie.js`, `catalog.js` and `zod.js` as Chrome's do.
 */
export const DEXIE_SCRIPT = '/dexie.js';
/**
 * The catalog and the directory of third parties, checked at build (wxt.config.ts), as a classic script
 * that defines one global: Chrome's worker imports it when it starts (it classifies its first request with
 * it), and every page loads it, so the package carries the data once. After the data come the modules
 * that judge by it, which the worker and the pages both run (lib/catalog/shared-modules.ts): the global's
 * `modules`. It reads zod's global as it loads, so zod.js runs first. Firefox's event page bundles its own copy.
 */
export const CATALOG_SCRIPT = '/catalog.js';
/** The global `catalog.js` defines: an object holding lib/catalog/data.ts's exports, and `modules`, the shared modules' exports. */
export const CATALOG_GLOBAL = '__privacyLensCatalog';
export const TCF_SCRIPT = '/iabtcf.js';
/** The global `iabtcf.js` defines: an object holding `TCString`. */
export const TCF_GLOBAL = '__privacyLensTcf';

/**
 * zod/mini's functions that the extension calls (lib/parse/zod-shared.ts) and its English messages, as a
 * classic script that defines one global: Chrome's worker imports it when it starts (its first message is
 * parsed with it), and every page loads it, so the package carries zod once. Firefox's event page bundles its own copy.
 */
export const ZOD_SCRIPT = '/zod.js';
/** The global `zod.js` defines: an object holding those functions and `en`, the English messages. */
export const ZOD_GLOBAL = '__privacyLensZod';

/**
 * webextension-polyfill's own minified build, which Chrome's worker and pages load only where the browser
 * has no `browser` of its own: Chrome before 152, since Chrome 148 to 151 turn the namespace off for the
 * whole of an extension with a DevTools page, as this one is. Chrome 152 and later, like every Firefox,
 * has one, and the polyfill hands it back as it is, so there the file is not read after install. Chrome's package
 * carries it once, instead of a copy in `background.js` and another in the pages' shared chunk (the
 * content script keeps its own: a file it imported would have to be open to every web page). Firefox's
 * package keeps its bundled copies. The worker also imports it at install, which a browser with its own
 * `browser` lets be: a later start without one (a browser that turned the namespace off again, as
 * Chrome 136 did) may then import it too.
 */
export const POLYFILL_SCRIPT = '/polyfill.js';

/** The `browser` on the global object: the browser's own, or the polyfill's once its script has run; undefined before. */
export function globalBrowser(): typeof import('wxt/browser').browser | undefined {
  const defined = (globalThis as { browser?: typeof import('wxt/browser').browser }).browser;
  // The polyfill's own test: a `browser` without an extension's id is not the extension API.
  return defined?.runtime?.id ? defined : undefined;
}

/** Every script a worker may import after its first run. */
export const LATER_SCRIPTS = [DEXIE_SCRIPT, TCF_SCRIPT, POLYFILL_SCRIPT] as const;

/** The scripts a worker may import: those it imports later, and the catalog and zod, which every run imports as it starts (so at install too). */
export type WorkerScript = (typeof LATER_SCRIPTS)[number] | typeof CATALOG_SCRIPT | typeof ZOD_SCRIPT;

/** What of a service worker's global scope the imports need. */
export interface InstallingWorker {
  addEventListener(type: 'install', listener: () => void): void;
  importScripts(...urls: string[]): void;
}

export function importLaterScriptsAtInstall(worker: InstallingWorker): void {
  worker.addEventListener('install', () => worker.importScripts(...LATER_SCRIPTS));
}

/**
 * What `script` defines on the global object (read by `defined`), imported into this worker first if it
 * is not there yet: once per worker, on first use.
 */
export function importOnFirstUse<T>(script: WorkerScript, defined: () => T | undefined, worker = globalThis as unknown as Pick<InstallingWorker, 'importScripts'>): T {
  let value = defined();
  if (value !== undefined) return value;
  worker.importScripts(script);
  value = defined();
  if (value === undefined) throw new Error(`${script} did not define what it should`);
  return value;
}
