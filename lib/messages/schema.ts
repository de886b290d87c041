import * as z from 'zod';

import { MAX_RESOURCES_PER_MESSAGE, MAX_URL_LENGTH } from './limits';

export { MAX_RESOURCES_PER_MESSAGE, MAX_URL_LENGTH };

export const PageResourceMessage = z.strictObject({
  url: z.string().max(MAX_URL_LENGTH),
  initiatorType: z.string().max(40),
  startTime: z.number().nonnegative().max(1e9),
});

/** Messages a content script on a shop page may send to the background. */
export const ContentMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('page-resources'),
    resources: z.array(PageResourceMessage).max(MAX_RESOURCES_PER_MESSAGE),
  }),
]);
export type ContentMessage = z.infer<typeof ContentMessage>;

/** Messages the extension's own pages (popup, history) may send to the background. */
export const ExtensionPageMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('get-diagnostics') }),
]);
export type ExtensionPageMessage = z.infer<typeof ExtensionPageMessage>;

export const Diagnostics = z.strictObject({
  droppedMessages: z.number().int().nonnegative(),
  lastDropReason: z.string().nullable(),
  startedAt: z.number(),
});
export type Diagnostics = z.infer<typeof Diagnostics>;
