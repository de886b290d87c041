import { globalBrowser, importOnFirstUse, POLYFILL_SCRIPT } from './worker-scripts';

/**
 * What `webextension-polyfill` resolves to in Chrome's service worker (wxt.config.ts): the browser's own
 * `browser` where it has one (Chrome 152 and later for this extension), which is what the polyfill would
 * hand back, and otherwise the polyfill's, from the script the pages load too. Every worker imports the
 * script at install (worker-scripts.ts), so any later start may import it.
 */
export default importOnFirstUse(POLYFILL_SCRIPT, globalBrowser);
