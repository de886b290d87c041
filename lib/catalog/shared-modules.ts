/**
 * The modules that judge by the catalog, which Chrome's worker and the extension's pages both run: the
 * consent judge, the policy's promises and their evidence, a tab's state and its judgement, the rights
 * requests' deadlines, the strings' registry they speak through, the URL splitter, and the report
 * builder (the worker builds a HAR file's report, the history page a visit's). `catalog.js` carries them
 * once, after the catalog's data (wxt.config.ts, sharedModulesScript), with every module they import; the
 * worker's and the pages' bundles take each of those modules from it (wxt.config.ts, sharedModules),
 * where they carried a copy each (6.8 kB of the zip, BENCHMARKS.md, issue 13's thirty-sixth stop; the
 * URL splitter and the report builder 2.2 kB more, the thirty-seventh).
 *
 * What a module here costs the pages that do not use it: its top level, run as catalog.js loads (the
 * report's schema, 14 lazy zod schemas, made an evaluation of catalog.js in Node 0.7 ms longer). A module
 * that needs Dexie stays out: the worker imports Dexie on first use and the pages statically, so no one
 * copy could take it the same way in both (lib/db/dexie-in-*.ts).
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
  'lib/classify/url',
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
  'lib/report/build',
  'lib/requests/status',
  'lib/requests/titles',
] as const;

/** What `catalog.js` puts under its global's `modules`: of each shared module, the exports the bundles use, by its path without extension. */
export type SharedModuleNamespaces = Record<string, Record<string, unknown>>;
