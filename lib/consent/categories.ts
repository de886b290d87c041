/**
 * The consent vocabulary without zod: the page's own world and the content script use it, and must
 * stay small (model.ts builds the zod schemas from these lists for everything that parses).
 */

/** The banner's categories: the catalog's four, plus `unclassified` where a banner has it. */
export const CONSENT_RECORD_CATEGORIES = ['necessary', 'functional', 'statistics', 'marketing', 'unclassified'] as const;
export type RecordCategory = (typeof CONSENT_RECORD_CATEGORIES)[number];

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
export type PlatformId = (typeof PLATFORM_IDS)[number];

/** The categories in a stable order, without duplicates. */
export function normaliseCategories(categories: Iterable<RecordCategory>): RecordCategory[] {
  const set = new Set(categories);
  return CONSENT_RECORD_CATEGORIES.filter((c) => set.has(c));
}
