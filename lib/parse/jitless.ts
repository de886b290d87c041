import * as z from 'zod/mini';

/**
 * Imported first by every extension page (a side effect, kept by wxt.config.ts).
 *
 * zod compiles object parsers with `new Function` where the realm allows it, and finds out by trying
 * once, when its first object schema is built. The extension's pages never allow it (the manifest's
 * content security policy), so each page reported two CSP violations while its modules were
 * evaluated (about 1.7 ms of a profiled popup). Without JIT, zod parses with the same checks through
 * its interpreted path, which is what the pages ran anyway.
 *
 * Not the worker: `new Function` runs there (asked through DevTools), and with this its cold start
 * measured 22 and 23 ms slower in two interleaved A/Bs of 18 and 24 starts, where two identical
 * builds differ by up to 11 ms. It parses the saved tabs' states before its first event.
 */
z.config({ jitless: true });
