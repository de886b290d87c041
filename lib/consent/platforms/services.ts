import type { RecordCategory } from '../model';

/**
 * Well-known services by the names service-based platforms give them (Usercentrics' service
 * names, Klaro's service names, Axeptio's vendor keys), for when the platform itself does not say
 * which category a service is in. Names are compared normalised: lower case, letters and digits
 * only, so "Google Analytics", "google-analytics", "google_analytics" and "googleAnalytics" are one.
 *
 * Only services whose category is not in doubt are listed: analytics tools are statistics,
 * advertising pixels and ad networks are marketing. Anything that could be either or neither
 * (Google Tag Manager loads both; YouTube, Vimeo and Google Maps embeds; "Facebook" or "LinkedIn"
 * alone, which may be a share button; Cloudflare; chat widgets) is left out on purpose: a service
 * we do not know says nothing about any category.
 */
const EXACT: Record<string, RecordCategory> = {
  // statistics: measuring visits and behaviour
  googleanalytics: 'statistics',
  googleanalytics4: 'statistics',
  ga4: 'statistics',
  universalanalytics: 'statistics',
  matomo: 'statistics',
  piwik: 'statistics',
  piwikpro: 'statistics',
  hotjar: 'statistics',
  microsoftclarity: 'statistics',
  clarity: 'statistics',
  mixpanel: 'statistics',
  amplitude: 'statistics',
  heap: 'statistics',
  heapanalytics: 'statistics',
  mouseflow: 'statistics',
  crazyegg: 'statistics',
  contentsquare: 'statistics',
  adobeanalytics: 'statistics',
  yandexmetrica: 'statistics',
  yandexmetrics: 'statistics',
  plausible: 'statistics',
  plausibleanalytics: 'statistics',
  // marketing: advertising pixels, conversion tracking, ad networks
  facebookpixel: 'marketing',
  metapixel: 'marketing',
  googleads: 'marketing',
  googleadwords: 'marketing',
  adwords: 'marketing',
  googleadsense: 'marketing',
  adsense: 'marketing',
  doubleclick: 'marketing',
  googledoubleclick: 'marketing',
  googleadmanager: 'marketing',
  bing: 'marketing', // Axeptio's vendor key for Microsoft's UET ads tag
  bingads: 'marketing',
  microsoftadvertising: 'marketing',
  microsoftads: 'marketing',
  tiktok: 'marketing',
  tiktokpixel: 'marketing',
  pinterest: 'marketing',
  pinteresttag: 'marketing',
  linkedininsighttag: 'marketing',
  linkedinads: 'marketing',
  snapchatpixel: 'marketing',
  twitterpixel: 'marketing',
  criteo: 'marketing',
  criteoonetag: 'marketing',
  taboola: 'marketing',
  outbrain: 'marketing',
  adroll: 'marketing',
  adform: 'marketing',
  rtbhouse: 'marketing',
  awin: 'marketing',
};

/** Names that start like this are one of the above with a suffix ("Google Ads Conversion Tracking"). */
const PREFIXES: [string, RecordCategory][] = [
  ['googleanalytics', 'statistics'],
  ['hotjar', 'statistics'],
  ['matomo', 'statistics'],
  ['googleads', 'marketing'],
  ['facebookpixel', 'marketing'],
  ['metapixel', 'marketing'],
  ['microsoftadvertising', 'marketing'],
  ['bingads', 'marketing'],
  ['tiktokpixel', 'marketing'],
  ['tiktokads', 'marketing'],
  ['pinteresttag', 'marketing'],
  ['criteo', 'marketing'],
];

export function normaliseServiceName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The category of a well-known service, or undefined when the name is not one we know. */
export function categoryOfService(name: unknown): RecordCategory | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) return undefined;
  const key = normaliseServiceName(name);
  if (Object.hasOwn(EXACT, key)) return EXACT[key];
  return PREFIXES.find(([prefix]) => key.startsWith(prefix))?.[1];
}
