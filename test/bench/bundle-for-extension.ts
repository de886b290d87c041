import { build, type Plugin } from 'esbuild';
import { resolve } from 'node:path';

/**
 * What the extension's build resolves `dexie` to in Chrome's worker (wxt.config.ts): the package's own
 * `dexie.js`, which the worker imports on first use. Bundled from node_modules instead, a bench would
 * time Dexie's UMD build, compiled for older browsers, rather than the ES2021 build the extension ships.
 */
const extensionsDexie: Plugin = {
  name: 'privacy-lens:bench-dexie',
  setup(build) {
    build.onResolve({ filter: /^dexie$/ }, () => ({ path: resolve(import.meta.dirname, '../../lib/db/dexie-in-chrome-worker.ts') }));
  },
};

/**
 * Bundles a module of ours into one script to evaluate in the extension's service worker, through the
 * DevTools protocol (which its CSP does not stop): a bench runs the extension's own code there, in the
 * browser, on the extension's own storage, with the extension's own Dexie.
 */
export async function bundleForExtension(entry: string): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent', plugins: [extensionsDexie] });
  return result.outputFiles[0]!.text;
}
