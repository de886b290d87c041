import { build } from 'esbuild';

/**
 * Bundles a module of ours into one script to evaluate in an extension page (through the DevTools
 * protocol, which the page's CSP does not stop): a bench can run the extension's own code there.
 */
export async function bundleForPage(entry: string): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}
