import type { Language } from '../i18n';
import type { ThirdParty } from './schema';

export type { ThirdParty } from './schema';

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
export type ThirdPartyPurpose = (typeof THIRD_PARTY_PURPOSES)[number];

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
