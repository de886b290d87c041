import type { Dexie as DexieClass } from 'dexie';
import { DEXIE_SCRIPT } from './dexie-script';

/**
 * What `dexie` resolves to in Chrome's service worker (wxt.config.ts): the shared script, imported the
 * first time lib/db/dexie.ts asks for Dexie (its `require` evaluates this module then, not at start-up).
 * A worker that has just been installed imported it already, at install (lib/db/dexie-script.ts).
 */
const scope = globalThis as unknown as { Dexie?: typeof DexieClass; importScripts(...urls: string[]): void };
if (!scope.Dexie) scope.importScripts(DEXIE_SCRIPT);
if (!scope.Dexie) throw new Error(`${DEXIE_SCRIPT} did not define Dexie`);

export const Dexie = scope.Dexie;
