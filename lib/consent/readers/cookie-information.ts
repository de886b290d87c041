import * as z from 'zod/mini';
import { normaliseCategories, type ConsentRecord, type RecordCategory } from '../model';
import { decodeCookieValue, MAX_CONSENT_COOKIE_LENGTH, parseJsonSafely } from './util';

export const COOKIE_INFORMATION_COOKIE = 'CookieInformationConsent';

const CATEGORY: Record<string, RecordCategory> = {
  cookie_cat_necessary: 'necessary',
  cookie_cat_functional: 'functional',
  cookie_cat_statistic: 'statistics',
  cookie_cat_marketing: 'marketing',
  cookie_cat_unclassified: 'unclassified',
};

// Only the fields we use; the real cookie also carries user_uid, user_agent and URLs, which we drop.
// Built on first use: the page's own world imports this module for the cookie's name alone, and must
// not carry zod for it.
const valueSchema = () =>
  (Value ??= z.looseObject({
    timestamp: z.optional(z.string().check(z.maxLength(64))),
    consents_approved: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(32)),
    consents_denied: z._default(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(32)), []),
  }));
let Value: z.ZodMiniType<{ timestamp?: string; consents_approved: string[]; consents_denied: string[] }, unknown> | undefined;

/**
 * Cookie Information's `CookieInformationConsent` cookie: URL-encoded JSON with
 * `consents_approved` / `consents_denied` lists of `cookie_cat_*` and the `timestamp` of the choice.
 * Anything that does not parse is `null` (unknown), never a guess.
 */
export function parseCookieInformation(raw: string): ConsentRecord | null {
  if (raw.length > MAX_CONSENT_COOKIE_LENGTH) return null;
  const json = parseJsonSafely(decodeCookieValue(raw));
  const parsed = valueSchema().safeParse(json);
  if (!parsed.success) return null;
  const granted = parsed.data.consents_approved.map((c) => CATEGORY[c]).filter((c) => c !== undefined);
  const denied = parsed.data.consents_denied.map((c) => CATEGORY[c]).filter((c) => c !== undefined);
  // A category both approved and denied is a broken record: trust neither claim.
  const conflicting = new Set(granted.filter((c) => denied.includes(c)));
  const at = parsed.data.timestamp ? Date.parse(parsed.data.timestamp) : Number.NaN;
  return {
    source: 'cookie-information',
    decidedAt: Number.isFinite(at) ? at : null,
    granted: normaliseCategories(granted.filter((c) => !conflicting.has(c))),
    denied: normaliseCategories([...denied.filter((c) => !conflicting.has(c)), ...conflicting]),
  };
}
