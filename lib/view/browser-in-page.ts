import { globalBrowser, POLYFILL_SCRIPT } from '../background/worker-scripts';

// A browser without a `browser` of its own (Chrome before 152 for this extension) loads the polyfill's shared script
// (lib/background/worker-scripts.ts), whose UMD wrapper puts it on the global object; any other never
// fetches the file. The address is left for the browser to load (wxt.config.ts).
if (!globalBrowser()) await import(/* @vite-ignore */ POLYFILL_SCRIPT);
const shared = globalBrowser();
if (!shared) throw new Error(`${POLYFILL_SCRIPT} did not define browser`);

/** What `webextension-polyfill` resolves to in the pages of Chrome's package (wxt.config.ts). */
export default shared;
