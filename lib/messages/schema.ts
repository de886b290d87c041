import * as z from 'zod/mini';

import { CONSENT_TYPES } from '../consent/consent-mode-commands';
import { BANNERS, CONSENT_RECORD_CATEGORIES, PlatformId, RecordCategory } from '../consent/model';
import { MAX_RESOURCES_PER_MESSAGE, MAX_URL_LENGTH } from './limits';

export { MAX_RESOURCES_PER_MESSAGE, MAX_URL_LENGTH };

// Every schema here, as in each module's schemas, is built on its first use (`z.lazy`): a woken worker
// evaluates all its modules before it can take its first event (test/unit/background/schemas-at-start.test.ts).

export const PageResourceMessage = z.lazy(() => z.strictObject({
  url: z.string().check(z.maxLength(MAX_URL_LENGTH)),
  initiatorType: z.string().check(z.maxLength(40)),
  startTime: z.number().check(z.nonnegative(), z.maximum(1e9)),
  /** The entry's place in the page's report, from 1: a report delivered twice is counted once. */
  seq: z.int().check(z.positive(), z.maximum(1e9)),
}));

const Categories = z.lazy(() => z.array(RecordCategory).check(z.maxLength(CONSENT_RECORD_CATEGORIES.length)));

/** What the page's own CMP API said, relayed from the main world: data, never trusted further. */
// Every `at` is finite: z.number() refuses NaN and ±Infinity (classic's `.finite()` changed nothing).
export const PageConsentMessage = z.lazy(() => z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('tcf'),
    eventStatus: z.enum(['tcloaded', 'cmpuishown', 'useractioncomplete']),
    tcString: z.string().check(z.maxLength(16_384)),
    /** When the page's API answered (the page's clock); kept within what the background saw. */
    at: z.number(),
  }),
  z.strictObject({
    source: z.literal('cookie-information-api'),
    granted: Categories,
    denied: Categories,
    at: z.number(),
  }),
  /** A consent platform's page API (lib/consent/platforms), already in the catalog's categories. */
  z.discriminatedUnion('state', [
    z.strictObject({ source: z.literal('platform'), platform: PlatformId, state: z.literal('answered'), granted: Categories, denied: Categories, at: z.number() }),
    z.strictObject({ source: z.literal('platform'), platform: PlatformId, state: z.literal('unanswered'), at: z.number() }),
  ]),
  /** A platform's API is on the page, whether or not its record can be read. */
  z.strictObject({ source: z.literal('banner'), platform: PlatformId, at: z.number() }),
  /** IAB GPP's string once its CMP said 'ready'; decoded in the background. */
  z.strictObject({ source: z.literal('gpp'), gppString: z.string().check(z.maxLength(16_384)), at: z.number() }),
  /** Google Consent Mode as the page set it, resolved for the shop's customers' region. */
  z.strictObject({
    source: z.literal('consent-mode'),
    command: z.enum(['default', 'update']),
    values: z.partialRecord(z.enum(CONSENT_TYPES), z.enum(['granted', 'denied'])),
    origin: z.enum(['dataLayer', 'ics']),
    waitForUpdate: z.optional(z.number().check(z.nonnegative())),
    at: z.number(),
  }),
  /** Another vendor's own consent command (UET's ad_storage, Meta's grant / revoke). */
  z.strictObject({
    source: z.literal('vendor-consent'),
    vendor: z.enum(['uet', 'meta']),
    command: z.enum(['default', 'update']),
    granted: z.boolean(),
    at: z.number(),
  }),
]));
export type PageConsentMessage = z.infer<typeof PageConsentMessage>;

/**
 * When the reporting page began, by the machine's clock (lib/observe/page-start.ts): the background
 * tells by it a page whose own request it never saw from the page the tab's visit began with. Only
 * ever compared with the visit's start, within a margin: a page that lies about it moves itself, no
 * other page.
 */
const pageStart = z.lazy(() => z.number());
/**
 * When the back/forward cache last showed the reporting page again, if it did (the machine's clock): the
 * page's new visit begins then. Compared with the visit's start as `pageStart` is.
 */
const shownAgainAt = z.lazy(() => z.optional(z.number()));
/**
 * When a prerendered page was shown, if it was (the machine's clock): its visit begins then, with what
 * it loaded unseen. Compared with the visit's start as `pageStart` is.
 */
const shownAt = z.lazy(() => z.optional(z.number()));
/** The id of a message's sending document (`MessageSender.documentId`: 32 hex digits in Chromium, a UUID in Firefox). */
export const DocumentId = z.lazy(() => z.string().check(z.minLength(1), z.maxLength(64)));

/** Messages a content script on a shop page may send to the background. */
export const ContentMessage = z.lazy(() => z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('page-resources'),
    /** Which page load reports (random, per content script): `seq` counts within it. */
    page: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
    resources: z.array(PageResourceMessage).check(z.maxLength(MAX_RESOURCES_PER_MESSAGE)),
    pageStart,
    shownAgainAt,
    shownAt,
  }),
  z.strictObject({
    type: z.literal('consent-banner'),
    cmp: z.enum(BANNERS),
    showing: z.boolean(),
    /** When the content script saw it (the machine's clock); kept within what the background saw. */
    at: z.number(),
    pageStart,
    shownAgainAt,
    shownAt,
  }),
  z.strictObject({
    type: z.literal('page-consent'),
    report: PageConsentMessage,
    /** Told again to the visit of a page shown again (lib/consent/page-relay.ts): the page said it before that visit. */
    again: z.optional(z.literal(true)),
    pageStart,
    shownAgainAt,
    shownAt,
  }),
  /** The shop's data-request form is on the page: is there an e-mail address to fill in? */
  z.strictObject({ type: z.literal('data-request-form-ready') }),
]));
export type ContentMessage = z.infer<typeof ContentMessage>;
/** A page's report, as the content script's parts write it: the page's start is added as it is sent (lib/observe/page-start.ts). */
export type UnstampedReport = ContentMessage extends infer M ? (M extends { pageStart: number } ? Omit<M, 'pageStart' | 'shownAgainAt' | 'shownAt'> : never) : never;

/** Messages the extension's own pages (popup, history) may send to the background. */
export const ExtensionPageMessage = z.lazy(() => z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('get-diagnostics') }),
  /** A rights request was recorded or changed: check the deadlines again. */
  z.strictObject({ type: z.literal('requests-changed') }),
  /** Open the shop's own data-request form and fill in this address (never submit it). */
  z.strictObject({ type: z.literal('open-data-request-form'), email: z.email().check(z.maxLength(254)) }),
  /** The history page put a HAR file in the inbox (lib/har/inbox.ts): judge it and answer with the report. */
  z.strictObject({ type: z.literal('judge-har'), id: z.uuid() }),
  /** A page is about to read the log: write what is queued first (lib/db/written.ts). */
  z.strictObject({ type: z.literal('flush-log') }),
  /** "Delete all my local data": the background, which writes the log, erases everything (lib/background/erase.ts). */
  z.strictObject({ type: z.literal('erase-everything') }),
]));
export type ExtensionPageMessage = z.infer<typeof ExtensionPageMessage>;

export const Diagnostics = z.lazy(() => z.strictObject({
  droppedMessages: z.int().check(z.nonnegative()),
  lastDropReason: z.nullable(z.string()),
  startedAt: z.number(),
}));
export type Diagnostics = z.infer<typeof Diagnostics>;
