// zod.js first: the judging modules at the end of catalog.js build their schemas with it as they load.
import '../parse/zod-in-chrome-worker';
import type * as Data from './data';
import type { SharedModuleNamespaces } from './shared-modules';
import { CATALOG_GLOBAL, CATALOG_SCRIPT, importOnFirstUse } from '../background/worker-scripts';

/**
 * What lib/catalog/data.ts resolves to in Chrome's service worker (wxt.config.ts): the data from the
 * script the pages load too, and the judging modules it carries (lib/catalog/shared-modules.ts),
 * imported as the worker starts, since its first request is classified with them. Every run imports it
 * at the same point, the first (the install) included, so a worker may always import it.
 */
export const { CATALOG_VERSION, catalog, thirdParties, modules } = importOnFirstUse(
  CATALOG_SCRIPT,
  () => (globalThis as unknown as Record<string, (typeof Data & { modules: SharedModuleNamespaces }) | undefined>)[CATALOG_GLOBAL],
);
