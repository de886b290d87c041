import { globalBrowser, importOnFirstUse, POLYFILL_SCRIPT } from './worker-scripts';

/**
 * What `webextension-polyfill` resolves to in Chrome's service worker (wxt.config.ts): the browser's own
 * `browser` where it has one (Chromium 144 and later), which is what the polyfill would hand back, and
 * otherwise the polyfill's, from the script the pages load too. A browser without its own imports it at
 * every start, the first (the install) included, so such a worker may always import it.
 */
export default importOnFirstUse(POLYFILL_SCRIPT, globalBrowser);
