import type { TCString as IabTcString } from '@iabtcf/core';
import { importOnFirstUse, TCF_GLOBAL, TCF_SCRIPT } from '../../background/worker-scripts';

/**
 * What `@iabtcf/core` resolves to in Chrome's service worker (wxt.config.ts): the IAB's library from its
 * own script, imported the first time a TC string is decoded (lib/background/worker-scripts.ts). Only
 * `TCString.decode` is used (tcf.ts); a build that imported anything else from the library would fail
 * here, not in a customer's browser.
 */
export const TCString: Pick<typeof IabTcString, 'decode'> = {
  decode: (encoded, model) =>
    importOnFirstUse(TCF_SCRIPT, () => (globalThis as unknown as Record<string, { TCString: typeof IabTcString } | undefined>)[TCF_GLOBAL]?.TCString).decode(encoded, model),
};
