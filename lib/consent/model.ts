import * as z from 'zod';

/** The banner's categories: the catalog's four, plus `unclassified` where a banner has it. */
export const CONSENT_RECORD_CATEGORIES = ['necessary', 'functional', 'statistics', 'marketing', 'unclassified'] as const;
export const RecordCategory = z.enum(CONSENT_RECORD_CATEGORIES);
export type RecordCategory = z.infer<typeof RecordCategory>;

/**
 * Consent management platforms whose record the extension reads (their cookie, their page API or
 * both): one module each in `lib/consent/platforms/`.
 */
export const PLATFORM_IDS = [
  'cookie-information',
  'cookiebot',
  'onetrust',
  'cookieyes',
  'usercentrics',
  'didomi',
  'complianz',
  'shopify',
  'iubenda',
  'klaro',
  'cookiefirst',
  'axeptio',
] as const;
export const PlatformId = z.enum(PLATFORM_IDS);
export type PlatformId = z.infer<typeof PlatformId>;

/**
 * Which reader decided a record: a platform's own record, or one of the standard signals
 * (IAB TCF, IAB GPP's EU section, Google Consent Mode as the page set it).
 */
export const CONSENT_SOURCES = [...PLATFORM_IDS, 'tcf', 'gpp', 'consent-mode'] as const;
export const ConsentSource = z.enum(CONSENT_SOURCES);
export type ConsentSource = z.infer<typeof ConsentSource>;

/**
 * What a consent banner recorded, reduced to what the judgement needs. Identifiers the records
 * carry (Cookie Information's user_uid, the user agent, Cookiebot's stamp) are left out on purpose.
 */
export const ConsentRecord = z.strictObject({
  source: ConsentSource,
  /** When the choice was made, as the record says (ms since epoch); null when it does not say. */
  decidedAt: z.number().nullable(),
  granted: z.array(RecordCategory),
  denied: z.array(RecordCategory),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** One change of the consent state during a visit, as the log keeps it. */
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
});
export type ConsentChange = z.infer<typeof ConsentChange>;

export const BANNERS = [...PLATFORM_IDS, 'tcf'] as const;
export const BannerState = z.strictObject({
  cmp: z.enum(BANNERS),
  /** The banner is on screen, waiting for an answer. */
  showing: z.boolean(),
  seenAt: z.number(),
});
export type BannerState = z.infer<typeof BannerState>;

/** The categories in a stable order, without duplicates. */
export function normaliseCategories(categories: Iterable<RecordCategory>): RecordCategory[] {
  const set = new Set(categories);
  return CONSENT_RECORD_CATEGORIES.filter((c) => set.has(c));
}
