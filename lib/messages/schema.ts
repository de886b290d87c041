import * as z from 'zod';

import { BANNERS, CONSENT_RECORD_CATEGORIES, RecordCategory } from '../consent/model';
import { MAX_RESOURCES_PER_MESSAGE, MAX_URL_LENGTH } from './limits';

export { MAX_RESOURCES_PER_MESSAGE, MAX_URL_LENGTH };

export const PageResourceMessage = z.strictObject({
  url: z.string().max(MAX_URL_LENGTH),
  initiatorType: z.string().max(40),
  startTime: z.number().nonnegative().max(1e9),
  /** The entry's place in the page's report, from 1: a report delivered twice is counted once. */
  seq: z.number().int().positive().max(1e9),
});

const Categories = z.array(RecordCategory).max(CONSENT_RECORD_CATEGORIES.length);

/** What the page's own CMP API said, relayed from the main world: data, never trusted further. */
export const PageConsentMessage = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('tcf'),
    eventStatus: z.enum(['tcloaded', 'cmpuishown', 'useractioncomplete']),
    tcString: z.string().max(16_384),
    /** When the page's API answered (the page's clock); kept within what the background saw. */
    at: z.number().finite(),
  }),
  z.strictObject({
    source: z.literal('cookie-information-api'),
    granted: Categories,
    denied: Categories,
    at: z.number().finite(),
  }),
]);
export type PageConsentMessage = z.infer<typeof PageConsentMessage>;

/** Messages a content script on a shop page may send to the background. */
export const ContentMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('page-resources'),
    /** Which page load reports (random, per content script): `seq` counts within it. */
    page: z.string().regex(/^[0-9a-f]{16}$/),
    resources: z.array(PageResourceMessage).max(MAX_RESOURCES_PER_MESSAGE),
  }),
  z.strictObject({
    type: z.literal('consent-banner'),
    cmp: z.enum(BANNERS),
    showing: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('page-consent'),
    report: PageConsentMessage,
  }),
  /** The shop's data-request form is on the page: is there an e-mail address to fill in? */
  z.strictObject({ type: z.literal('data-request-form-ready') }),
]);
export type ContentMessage = z.infer<typeof ContentMessage>;

/** Messages the extension's own pages (popup, history) may send to the background. */
export const ExtensionPageMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('get-diagnostics') }),
  /** A rights request was recorded or changed: check the deadlines again. */
  z.strictObject({ type: z.literal('requests-changed') }),
  /** Open the shop's own data-request form and fill in this address (never submit it). */
  z.strictObject({ type: z.literal('open-data-request-form'), email: z.email().max(254) }),
]);
export type ExtensionPageMessage = z.infer<typeof ExtensionPageMessage>;

export const Diagnostics = z.strictObject({
  droppedMessages: z.number().int().nonnegative(),
  lastDropReason: z.string().nullable(),
  startedAt: z.number(),
});
export type Diagnostics = z.infer<typeof Diagnostics>;
