// The shared script (lib/background/worker-scripts.ts), loaded as a module the build leaves as it is (wxt.config.ts):
// a page evaluates it before this module, and it puts Dexie on the global object (wxt.config.ts, dexieScript).
import '/dexie.js';
import type { Dexie as DexieClass } from 'dexie';

/** What `dexie` resolves to in the extension's pages (wxt.config.ts): Dexie from the script both the worker and the pages load. */
const shared = (globalThis as unknown as { Dexie?: typeof DexieClass }).Dexie;
if (!shared) throw new Error('/dexie.js did not define Dexie');

export const Dexie = shared;
export const liveQuery = shared.liveQuery;
export default shared;
