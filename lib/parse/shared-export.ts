/**
 * One export of a module that a shared script carries (zod.js, catalog.js), as the modules the build
 * writes in place of that module read it (wxt.config.ts, `picked`). The build marks each call pure, so a
 * bundle drops the reads of exports it does not use, which a plain `zod.catch` it must keep (a property
 * may have a getter): some 12 bytes each, in every bundle. One function for all of them, in one place.
 */
export function sharedExport(from: Readonly<Record<string, unknown>>, name: string): unknown {
  return from[name];
}
