import type * as Data from './data';
import { CATALOG_GLOBAL, CATALOG_SCRIPT, importOnFirstUse } from '../background/worker-scripts';

/**
 * What lib/catalog/data.ts resolves to in Chrome's service worker (wxt.config.ts): the data from the
 * script the pages load too, imported as the worker starts, since its first request is classified with it.
 * Every run imports it at the same point, the first (the install) included, so a worker may always import it.
 */
export const { CATALOG_VERSION, catalog, thirdParties } = importOnFirstUse(CATALOG_SCRIPT, () => (globalThis as unknown as Record<string, typeof Data | undefined>)[CATALOG_GLOBAL]);
