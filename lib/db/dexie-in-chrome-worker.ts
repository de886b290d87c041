import type { Dexie as DexieClass } from 'dexie';
import { DEXIE_SCRIPT, importOnFirstUse } from '../background/worker-scripts';

/**
 * What `dexie` resolves to in Chrome's service worker (wxt.config.ts): the shared script, imported the
 * first time lib/db/dexie.ts asks for Dexie (its `require` evaluates this module then, not at start-up).
 * A worker that has just been installed imported it already, at install (lib/background/worker-scripts.ts).
 */
export const Dexie = importOnFirstUse(DEXIE_SCRIPT, () => (globalThis as unknown as { Dexie?: typeof DexieClass }).Dexie);
