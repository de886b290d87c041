// The shared scripts (lib/background/worker-scripts.ts), loaded as modules the build leaves as they are
// (wxt.config.ts): a page evaluates them before this module, in this order. zod.js comes first, since
// the judging modules at the end of catalog.js build their schemas with it as they load.
import '/zod.js';
import '/catalog.js';
import type * as Data from './data';
import type { SharedModuleNamespaces } from './shared-modules';
import { CATALOG_GLOBAL } from '../background/worker-scripts';

/**
 * What lib/catalog/data.ts resolves to in the extension's pages (wxt.config.ts): the data from the script
 * Chrome's worker imports too, and the judging modules it carries (lib/catalog/shared-modules.ts).
 */
const shared = (globalThis as unknown as Record<string, (typeof Data & { modules: SharedModuleNamespaces }) | undefined>)[CATALOG_GLOBAL];
if (!shared?.modules) throw new Error('/catalog.js did not define the catalog and its shared modules');

export const { CATALOG_VERSION, catalog, thirdParties, modules } = shared;
