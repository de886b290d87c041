import * as z from 'zod/mini';

import { CONSENT_RECORD_CATEGORIES, PLATFORM_IDS } from './categories';

export { CONSENT_RECORD_CATEGORIES, PLATFORM_IDS, normaliseCategories } from './categories';

export const RecordCategory = z.lazy(() => z.enum(CONSENT_RECORD_CATEGORIES));
export type RecordCategory = z.infer<typeof RecordCategory>;

export const PlatformId = z.lazy(() => z.enum(PLATFORM_IDS));
export type PlatformId = z.infer<typeof PlatformId>;

/**
 * Which reader decided a record: a platform's own record, or one of the standard signals
 * (IAB TCF, IAB GPP's EU section, Google Consent Mode as the page set it).
 */
export const CONSENT_SOURCES = [...PLATFORM_IDS, 'tcf', 'gpp', 'consent-mode', 'uet', 'meta'] as const;

/** The sources that are signals to vendors' tags, never a record of the customer's own choice. */
export const SIGNAL_SOURCES = ['consent-mode', 'uet', 'meta'] as const satisfies readonly ConsentSourceName[];
type ConsentSourceName = (typeof CONSENT_SOURCES)[number];
export const ConsentSource = z.lazy(() => z.enum(CONSENT_SOURCES));
export type ConsentSource = z.infer<typeof ConsentSource>;

/**
 * What a consent banner recorded, reduced to what the judgement needs. Identifiers the records
 * carry (Cookie Information's user_uid, the user agent, Cookiebot's stamp) are left out on purpose.
 */
/**
 * IAB TCF's vendor consents, for the catalog's vendors that are on IAB's Global Vendor List: a TC
 * string grants purposes AND vendors, and a customer may accept the purposes but refuse Google.
 */
export const VendorConsents = z.lazy(() => z.strictObject({
  /** GVL ids (among those the catalog knows) the customer consented to. */
  consents: z.array(z.int().check(z.positive())).check(z.maxLength(50)),
  /** GVL ids (among those the catalog knows) whose legitimate interest the customer objected to. */
  objections: z._default(z.array(z.int().check(z.positive())).check(z.maxLength(50)), []),
}));
export type VendorConsents = z.infer<typeof VendorConsents>;

export const ConsentRecord = z.lazy(() => z.strictObject({
  source: ConsentSource,
  /** When the choice was made, as the record says (ms since epoch); null when it does not say. */
  decidedAt: z.nullable(z.number()),
  granted: z.array(RecordCategory),
  denied: z.array(RecordCategory),
  /** TCF and GPP records only. */
  vendors: z.optional(VendorConsents),
}));
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/**
 * One change of the consent state during a visit, as the log keeps it. Built at once, unlike the other
 * schemas here: the log's reader extends it (`z.extend` takes an object schema, not a lazy one).
 */
export const ConsentChange = z.strictObject({
  /** The moment the choice counts from: the record's own time, kept within what we observed. */
  at: z.number(),
  /** When the extension learnt of it. */
  receivedAt: z.number(),
  source: ConsentSource,
  granted: z.array(RecordCategory),
  denied: z.array(RecordCategory),
  /** true: already there when the visit began (an earlier visit's choice). */
  carriedOver: z.boolean(),
  vendors: z.optional(VendorConsents),
  /**
   * Set for a signal, not a record of the customer's choice: what the shop told a vendor's tags
   * (Google Consent Mode's `default` or `update`, UET's consent command, Meta's `fbq('consent')`).
   * A signal stands in for the choice only where no record can be read, and a signal that
   * contradicts the record is a finding of its own.
   */
  signal: z.optional(z.enum(['default', 'update'])),
});
export type ConsentChange = z.infer<typeof ConsentChange>;

export const BANNERS = [...PLATFORM_IDS, 'tcf'] as const;
export const BannerState = z.lazy(() => z.strictObject({
  cmp: z.enum(BANNERS),
  /** The banner is on screen, waiting for an answer. */
  showing: z.boolean(),
  seenAt: z.number(),
}));
export type BannerState = z.infer<typeof BannerState>;
