// The shared script (lib/background/worker-scripts.ts), loaded as a module the build leaves as it is
// (wxt.config.ts): a page evaluates it before this module, and it puts zod on the global object.
import '/zod.js';
import type { SharedZod } from './zod-shared';
import { ZOD_GLOBAL } from '../background/worker-scripts';

/** Where `zod/mini` comes from in the extension's pages (wxt.config.ts, sharedZod): the script Chrome's worker imports too. */
const shared = (globalThis as unknown as Record<string, SharedZod | undefined>)[ZOD_GLOBAL];
if (!shared) throw new Error('/zod.js did not define zod');

export const zod = shared;
