import type { SharedZod } from './zod-shared';
import { importOnFirstUse, ZOD_GLOBAL, ZOD_SCRIPT } from '../background/worker-scripts';

/**
 * Where `zod/mini` comes from in Chrome's service worker (wxt.config.ts, sharedZod): the script the pages
 * load too, imported as the worker starts, since its first message is parsed with it. Every run imports
 * it at the same point, the first (the install) included, so a worker may always import it.
 */
export const zod = importOnFirstUse(ZOD_SCRIPT, () => (globalThis as unknown as Record<string, SharedZod | undefined>)[ZOD_GLOBAL]);
