/**
 * The modules that judge by the catalog, which Chrome's worker and the extension's pages both run: the
 * consent judge, the policy's promises and their evidence, a tab's state and its judgement, the rights
 * requests' deadlines, and the strings' registry they speak through. `catalog.js` carries them once,
 * after the catalog's data (wxt.config.ts, sharedModulesScript), with every module they import; the
 * worker's and the pages' bundles take each of those modules from it (wxt.config.ts, sharedModules),
 * where they carried a copy each (6.8 kB of the zip, BENCHMARKS.md, issue 13's thirty-sixth stop).
 *
 * A module here costs every page its top level, run as catalog.js loads, whether the page uses it or not.
 * The URL splitter and the report builder (with the report's schema and redaction), which the worker and
 * the history page both carry, were tried here and left out: 2.2 kB less in the zip, but the popup, which
 * uses neither, painted 8–13 ms later (paired ratio 1.089 and 1.097, intervals above 1, in two A/Bs of 60
 * opens; an A/A read 0.959), BENCHMARKS.md's thirty-seventh stop.
 *
 * One copy per realm matters beyond the bytes: the strings' registry (lib/i18n) is state, which a
 * worker or a page must hold once. So every module these import is taken from the script too, never
 * bundled beside it. Firefox's background, an event page, bundles all of them, as it does the catalog.
 *
 * Paths from the project's root, without extension. The script puts on the catalog's global, under
 * `modules`, the exports of each module that the worker's and the pages' bundles use, keyed by its path.
 */
export const SHARED_MODULES = [
  'lib/catalog/index',
  'lib/catalog/shop-domains',
  'lib/classify/query',
  'lib/consent/judge',
  'lib/consent/stance',
  'lib/db/health',
  'lib/i18n/index',
  'lib/i18n/packaged',
  'lib/observe/judge-tab',
  'lib/observe/tab-state',
  'lib/order/index',
  'lib/parse/stored-json',
  'lib/promises/index',
  'lib/promises/describe',
  'lib/requests/status',
  'lib/requests/titles',
] as const;

/** What `catalog.js` puts under its global's `modules`: of each shared module, the exports the bundles use, by its path without extension. */
export type SharedModuleNamespaces = Record<string, Record<string, unknown>>;
