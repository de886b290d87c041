// The shared script (lib/background/worker-scripts.ts), loaded as a module the build leaves as it is
// (wxt.config.ts): a page evaluates it before this module, and it puts the data on the global object.
import '/catalog.js';
import type * as Data from './data';
import { CATALOG_GLOBAL } from '../background/worker-scripts';

/** What lib/catalog/data.ts resolves to in the extension's pages (wxt.config.ts): the data from the script Chrome's worker imports too. */
const shared = (globalThis as unknown as Record<string, typeof Data | undefined>)[CATALOG_GLOBAL];
if (!shared) throw new Error('/catalog.js did not define the catalog');

export const { CATALOG_VERSION, catalog, thirdParties } = shared;
