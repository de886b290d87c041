import type { TCString as IabTcString } from '@iabtcf/core';
import { importOnFirstUse, TCF_GLOBAL, TCF_SCRIPT } from '../../background/worker-scripts';

type Library = { TCString: typeof IabTcString };

/**
 * What `@iabtcf/core` resolves to in Chrome's service worker (wxt.config.ts): the IAB's library from its
 * own script, imported the first time a TC string is decoded (lib/background/worker-scripts.ts). Only
 * `TCString.decode` is used (tcf.ts); a build that imported anything else from the library would fail
 * here, not in a customer's browser.
 *
 * The readers take any error of `decode` for a string that is not a TC string, so a script that could not
 * be imported is said here, once per worker, in the worker's console: otherwise every choice a CMP
 * handed over would read as no record, and nobody would know why.
 */
let reported = false;
function library(): Library {
  try {
    return importOnFirstUse(TCF_SCRIPT, () => (globalThis as unknown as Record<string, Library | undefined>)[TCF_GLOBAL]);
  } catch (error) {
    if (!reported) console.error(`privacy-lens: ${TCF_SCRIPT} could not be imported, so TC strings are not read`, error);
    reported = true;
    throw error;
  }
}

export const TCString: Pick<typeof IabTcString, 'decode'> = {
  decode: (encoded, model) => library().TCString.decode(encoded, model),
};
