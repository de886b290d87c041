import * as z from 'zod';
import type { Language } from '../i18n';
import { ConsentPlatform } from './schema';

/**
 * Who is behind a host that the privacy policy does not name. The catalog answers first (every
 * processor the policy names); this directory only turns the rest from a bare host name
 * ("script.hotjar.com") into a company, a country and a purpose a customer can act on. It names;
 * it never judges: a host found here is still "not named in the policy".
 */

export const THIRD_PARTY_PURPOSES = [
  'analytics',
  'session-recording',
  'visitor-identification',
  'customer-data',
  'advertising',
  'affiliate',
  'social',
  'email-marketing',
  'push-notifications',
  'customer-service',
  'feedback',
  'reviews',
  'personalisation',
  'search',
  'ab-testing',
  'tag-management',
  'consent',
  'payment',
  'fraud-prevention',
  'bot-protection',
  'shipping',
  'fonts',
  'cdn',
  'video',
  'maps',
  'monitoring',
  'login',
] as const;
export const ThirdPartyPurpose = z.enum(THIRD_PARTY_PURPOSES);
export type ThirdPartyPurpose = z.infer<typeof ThirdPartyPurpose>;

/** Words a customer understands, not the industry's: "bezoekersstatistieken", not "web analytics". */
export const THIRD_PARTY_PURPOSE_LABELS: Record<ThirdPartyPurpose, { nl: string; en: string }> = {
  analytics: { nl: 'bezoekersstatistieken', en: 'visitor statistics' },
  'session-recording': { nl: 'sessie-opnames', en: 'session recording' },
  'visitor-identification': { nl: 'herkennen van het bedrijf van bezoekers', en: "identifying visitors' companies" },
  'customer-data': { nl: 'klantprofielen', en: 'customer profiles' },
  advertising: { nl: 'advertenties', en: 'advertising' },
  affiliate: { nl: 'doorverwijzingen (affiliate)', en: 'referral marketing (affiliate)' },
  social: { nl: 'sociale media', en: 'social media' },
  'email-marketing': { nl: 'e-mailmarketing', en: 'email marketing' },
  'push-notifications': { nl: 'pushberichten', en: 'push notifications' },
  'customer-service': { nl: 'klantenservice en chat', en: 'customer service and chat' },
  feedback: { nl: 'enquêtes en feedback', en: 'surveys and feedback' },
  reviews: { nl: 'reviews en keurmerken', en: 'reviews and trust marks' },
  personalisation: { nl: 'persoonlijke aanbevelingen', en: 'personal recommendations' },
  search: { nl: 'zoeken in de winkel', en: 'shop search' },
  'ab-testing': { nl: 'A/B-tests', en: 'A/B testing' },
  'tag-management': { nl: 'beheer van trackers', en: 'tracker management' },
  consent: { nl: 'cookietoestemming', en: 'cookie consent' },
  payment: { nl: 'betalen', en: 'payment' },
  'fraud-prevention': { nl: 'fraudepreventie', en: 'fraud prevention' },
  'bot-protection': { nl: 'bescherming tegen bots', en: 'bot protection' },
  shipping: { nl: 'verzending', en: 'shipping' },
  fonts: { nl: 'lettertypes', en: 'fonts' },
  cdn: { nl: 'hosting en bestanden', en: 'hosting and file delivery' },
  video: { nl: "video's", en: 'video' },
  maps: { nl: 'kaarten', en: 'maps' },
  monitoring: { nl: 'foutmeldingen en snelheid', en: 'error and speed monitoring' },
  login: { nl: 'inloggen', en: 'sign-in' },
};

// The catalog's own host name rule (lower case, no scheme, port or trailing dot), reached through
// an exported schema that holds it, so that the catalog and this directory cannot drift apart.
const HostSuffix = ConsentPlatform.shape.hosts.element;

export const ThirdParty = z.strictObject({
  /** Stable: reports and tests refer to it. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id'),
  /** The legal entity where known, else the name people know it by (a GDPR request goes to it). */
  company: z.string().min(1),
  product: z.string().min(1).optional(),
  /** ISO 3166-1 alpha-2 code of the company's seat. */
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code'),
  purpose: ThirdPartyPurpose,
  /** The group that owns the company, where that is what people recognise (Alphabet, Meta). */
  parent: z.string().min(1).optional(),
  /** A request host matches a suffix when it equals it or ends with "." + suffix. */
  hosts: z.array(HostSuffix).min(1),
});
export type ThirdParty = z.infer<typeof ThirdParty>;

/**
 * One answer per host: a suffix listed twice would let the Map keep whichever came last, and a
 * longer suffix of the same company inside a shorter one only hides the shorter one's entry.
 */
export const ThirdPartyDirectory = z.array(ThirdParty).superRefine((entries, ctx) => {
  const ids = new Set<string>();
  const owner = new Map<string, ThirdParty>();
  for (const entry of entries) {
    if (ids.has(entry.id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${entry.id}` });
    ids.add(entry.id);
    for (const host of entry.hosts) {
      const other = owner.get(host);
      if (other) ctx.addIssue({ code: 'custom', message: `${host} is listed by both ${other.id} and ${entry.id}` });
      else owner.set(host, entry);
    }
  }
  for (const [host, entry] of owner) {
    for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      const outer = owner.get(host.slice(dot + 1));
      if (outer && outer.company === entry.company) {
        ctx.addIssue({ code: 'custom', message: `${host} (${entry.id}) sits inside ${outer.id}'s ${host.slice(dot + 1)} of the same company` });
      }
    }
  }
});

/**
 * A namer over `entries`. It expects a host as the classifier hands it over: lower case, no
 * trailing dot, no port (see `splitUrl`); it does not normalise, because it runs on every
 * unlisted request. Suffixes are walked label by label through a Map, the classifier's method:
 * one hash look-up per label, never a scan over the entries.
 */
export function createThirdPartyNamer(entries: readonly ThirdParty[]): (host: string) => ThirdParty | null {
  const bySuffix = new Map<string, ThirdParty>();
  for (const entry of entries) {
    for (const host of entry.hosts) {
      if (bySuffix.has(host)) throw new Error(`third-party host ${host} is listed twice`);
      bySuffix.set(host, entry);
    }
  }
  return (host) => {
    let suffix = host;
    for (;;) {
      const hit = bySuffix.get(suffix);
      if (hit) return hit;
      const dot = suffix.indexOf('.');
      if (dot < 0) return null;
      suffix = suffix.slice(dot + 1);
    }
  };
}


const regionNames = new Map<Language, Intl.DisplayNames>();
/**
 * "Malta" / "Malta", "United States" / "Verenigde Staten". Intl.DisplayNames ships with Chromium
 * and Firefox (and Node's full ICU), so no table of country names is kept here.
 */
export function countryName(code: string, language: Language): string {
  let names = regionNames.get(language);
  if (!names) regionNames.set(language, (names = new Intl.DisplayNames([language], { type: 'region', fallback: 'code' })));
  try {
    return names.of(code) ?? code;
  } catch {
    // `of` throws a RangeError on a malformed code; the schema lets none through, a caller might.
    return code;
  }
}

/**
 * One line for a row: "Hotjar Ltd (Malta), session recording". The product leads only when the
 * company's name does not already say it ("YouTube – Google Ireland Limited (Ireland), video").
 */
export function describeThirdParty(party: ThirdParty, language: Language): string {
  const { company, product } = party;
  const who = product && !company.toLowerCase().includes(product.toLowerCase()) ? `${product} – ${company}` : company;
  return `${who} (${countryName(party.country, language)}), ${THIRD_PARTY_PURPOSE_LABELS[party.purpose][language]}`;
}
