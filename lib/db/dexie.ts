import type { Dexie } from 'dexie';
import type { LogDatabase } from './schema';

let loaded: typeof Dexie | undefined;

/**
 * Dexie, evaluated the first time it is asked for. A static `import Dexie from 'dexie'` is evaluated
 * before the service worker's first line runs, and Dexie's evaluation (a 98 kB library that sets up its
 * promise machinery at load) was a fifth of a woken worker's time to its first handled event, which
 * needs no database: the log is written a second later. `require` is what the bundler (rolldown in the
 * build, esbuild in the bench) turns into a call that evaluates the bundled module there and then;
 * Node (the unit tests, the scan) reads the same package file. In the extension's build, 'dexie' is the
 * shared script instead (lib/background/worker-scripts.ts): Chrome's worker imports it here, on first use, and
 * carries none of it. Every module the worker loads reaches
 * Dexie through here; only a type may be imported from 'dexie' beside it (the pages may import
 * `liveQuery`: they need Dexie at once).
 */
export function dexie(): typeof Dexie {
  return (loaded ??= (require('dexie') as { Dexie: typeof Dexie }).Dexie);
}

/**
 * The log, or how to open it when it is first needed: the background opens its log on first use, so
 * that a woken worker's first events wait for no database. Tests hand an open one.
 */
export type LogSource = LogDatabase | (() => LogDatabase);

export function logOpener(source: LogSource): () => LogDatabase {
  return typeof source === 'function' ? source : () => source;
}
