/**
 * The functions of zod/mini that the extension's code calls. Chrome's worker and the pages of both
 * browsers take them from one shared script, `zod.js` (lib/background/worker-scripts.ts), which holds
 * exactly these and zod's English messages; wxt.config.ts builds it from this list and points every
 * `import * as z from 'zod/mini'` of those builds at a stand-in that reads them from it. Bundled, each
 * side carried its own copy (about 10 kB gzip each).
 *
 * A function missing here would be `undefined` in those builds: test/unit/parse/zod-shared.test.ts
 * fails when the code calls one that is not listed. Types (`z.infer`) need nothing here. The scan
 * command runs in Node with zod itself and is not held to this list.
 */
export const ZOD_EXPORTS = [
  '_default',
  'array',
  'boolean',
  'catch',
  'config',
  'discriminatedUnion',
  'email',
  'enum',
  'extend',
  'int',
  'iso',
  'lazy',
  'length',
  'literal',
  'looseObject',
  'maxLength',
  'maximum',
  'minLength',
  'nonnegative',
  'nullable',
  'number',
  'object',
  'optional',
  'partialRecord',
  'pipe',
  'positive',
  'record',
  'refine',
  'regex',
  'strictObject',
  'string',
  'superRefine',
  'transform',
  'trim',
  'union',
  'unknown',
  'url',
  'uuid',
] as const;

/** What `zod.js` defines on its global (lib/background/worker-scripts.ts): the functions above, and zod's English messages. */
export type SharedZod = Pick<typeof import('zod/mini'), (typeof ZOD_EXPORTS)[number]> & { en: typeof import('zod/v4/locales/en.js').default };
