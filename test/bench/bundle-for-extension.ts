import { build } from 'esbuild';

/**
 * Bundles a module of ours into one script to evaluate in the extension's service worker or one of its
 * pages, through the DevTools protocol (which their CSP does not stop): a bench runs the extension's
 * own code there, in the browser, on the extension's own storage.
 */
export async function bundleForExtension(entry: string): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}
