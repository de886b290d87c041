/**
 * Dexie as one classic script at the package's root, `dexie.js` (Dexie's own minified UMD build, the same
 * code its ES module entry wraps; wxt.config.ts copies it), shared by Chrome's service worker and the pages that
 * read the log. Chrome's package carries Dexie once instead of twice, and Chrome's worker leaves it out of
 * `background.js`: a woken worker reads and compiles its whole script before its first event (the code
 * cache is read whole, called or not), and Dexie was 98 kB of that script's 346 kB.
 *
 * A service worker may call `importScripts` after its first run only for files it imported while it was
 * being installed (Chromium answers any other file with a NetworkError, "importScripts() of new scripts
 * after service worker installation is not allowed"). So the worker imports the file once at install
 * (`importDexieAtInstall`, which the entrypoint calls at its top level, where an install listener must
 * be added), and each later worker imports it the first time it needs the log (`dexie-in-chrome-worker.ts`).
 * An update of the extension installs its worker again, with the new file.
 *
 * Firefox runs the background as an event page, which has no `importScripts`: there Dexie stays bundled
 * and is evaluated on first use (lib/db/dexie.ts). Its pages share the file as Chrome's do.
 */
export const DEXIE_SCRIPT = '/dexie.js';

/** What of a service worker's global scope the install-time import needs. */
export interface InstallingWorker {
  addEventListener(type: 'install', listener: () => void): void;
  importScripts(...urls: string[]): void;
}

export function importDexieAtInstall(worker: InstallingWorker): void {
  worker.addEventListener('install', () => worker.importScripts(DEXIE_SCRIPT));
}
