import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EntryId } from '@/lib/catalog';
import { createClassifier } from '@/lib/classify';

/**
 * An independent cross-check of the classifier against Ghostery's tracker database
 * (@ghostery/trackerdb, a dev dependency only: its data is CC BY-NC-SA, so nothing of it ships in the
 * extension). Two questions: does every domain and filter of the products the catalog covers classify
 * to the right entry, and does no pattern of another organisation classify into a catalog entry?
 */
interface Pattern {
  organization: string | null;
  domains: string[];
  filters: string[];
}
// The package exports only its engine; its JSON sits beside the entry point.
const require = createRequire(import.meta.url);
const db = JSON.parse(readFileSync(join(dirname(require.resolve('@ghostery/trackerdb')), '../trackerdb.json'), 'utf8')) as { patterns: Record<string, Pattern> };

/** trackerdb's patterns for the products the catalog covers, and the catalog entry each one is. */
const PRODUCTS: Record<string, EntryId> = {
  google_analytics: 'google-analytics',
  google_signals: 'google-analytics',
  google_tag_manager: 'google-tag-manager',
  google_tag: 'google-tag-manager',
  google_tag_telemetry: 'google-tag-manager',
  google_tag_manager_1p: 'google-tag-manager',
  google_adservices: 'google-ads',
  google_adwords_conversion: 'google-ads',
  doubleclick_ad_buyer: 'google-ads',
  google_remarketing: 'google-ads',
  doubleclick_floodlight: 'google-ads',
  google_adwords_user_lists: 'google-ads',
  ga_audiences: 'google-ads',
  doubleclick: 'google-ads',
  bing_ads: 'microsoft-ads',
  facebook_connect: 'meta-pixel',
  facebook_custom_audience: 'meta-pixel',
  facebook_conversion_tracking: 'meta-pixel',
  facebook: 'meta-pixel',
  trustpilot: 'trustpilot',
};

/**
 * Domains and filters of those patterns that are not the product the policy names, with why. trackerdb
 * files by organisation and purpose; the catalog files what the shop's policy names.
 */
const OUTSIDE_THE_PRODUCT: Record<string, string> = {
  'bing.com': 'Bing itself (search, images); UET is bat.bing.com and c.bing.com',
  'bing.net': 'Bing itself; UET is bat.bing.net',
  'bing-int.com': "Bing's internal test domain",
  'ads.microsoft.com': "Microsoft Advertising's own web app, not the UET tag",
  '||ads.msn.com/library/dap.js': 'MSN display ads (Xandr), not UET',
  '||ads1.msn.com/library/dap.js': 'MSN display ads (Xandr), not UET',
  '||adsyndication.msn.com/delivery/getads.js': 'MSN display ads, not UET',
  '||flex.msn.com/mstag/': 'Atlas/MSN tag of 2010, retired',
  'googleanalytics.com': 'a parked Google domain no tag sends to',
  '||googleanalytics.com/analytics.js': 'a parked Google domain no tag sends to',
  '2mdn.net': "DoubleClick's ad creatives (display ads), not Ads' conversion tags",
  '/\\.2mdn\\.net\\/([0-9]+|ads|dot\\.gif|dynamic|viewad)/': "DoubleClick's ad creatives",
  '||s0.2mdn.net/instream/video/client.js': "DoubleClick's video ads",
  'invitemedia.com': 'Invite Media, a Google ad exchange bought in 2010',
  'adservice.google.com': 'AdSense and Ad Manager, not Google Ads conversions',
  'adtrafficquality.google': "Google's invalid-traffic checks for publishers' ads",
  '||google.com/pagead/drt/ui': 'AdSense publisher tooling',
  '||google.com/pagead/lvz': 'AdSense publisher tooling',
  '||www.googletagservices.com/dcm/dcmads.js': 'Campaign Manager display ads',
  '||www.googletagservices.com/dcm/impl_v103.js': 'Campaign Manager display ads',
  '/fbconnect.js': 'a file name on any host, not Meta',
  '||cdn.atlassbx.com^$3p': 'Atlas, retired in 2016',
  '||liverail.com^$3p': 'LiveRail, closed in 2016',
  '||static.ak.connect.facebook.com/*.js.php^$3p': "Facebook Connect's retired loader on facebook.com",
};

/** A URL a filter matches, for the filters that are not a plain `||host/path`. */
const FILTER_SAMPLES: Record<string, string> = {
  '/^https:\\/\\/www\\.googletagmanager\\.com\\/a\\?(?:.+&)?gtm=/$3p': 'https://www.googletagmanager.com/a?id=GTM-MLB7Q2&v=3&gtm=45je5ca1',
  '/^https:\\/\\/www\\.googletagmanager\\.com\\/td\\?(?:.+&)?id=GTM-/$3p': 'https://www.googletagmanager.com/td?v=3&id=GTM-MLB7Q2',
  // First party: Ghostery's own server-side GTM rule, on the shop's host.
  '/gtm.js?id=GTM-*$1p': 'https://sst.mijnliefsteboek.nl/gtm.js?id=GTM-MLB7Q2',
};

/** A URL for a `||host/path^$options` filter, or for a domain. */
function sampleUrl(filter: string): string | null {
  if (filter in FILTER_SAMPLES) return FILTER_SAMPLES[filter]!;
  const plain = /^\|\|([a-z0-9.-]+)([^$^]*)\^?(\$.*)?$/.exec(filter);
  if (!plain) return null;
  const path = plain[2]!.replace(/\*/g, 'x');
  return `https://${plain[1]}${path.startsWith('/') ? path : `/${path}`}`;
}

const { classifyUrl } = createClassifier();
const entryOf = (url: string) => {
  const cls = classifyUrl(url);
  return cls.party === 'listed' ? cls.entryId : null;
};

describe('the classifier against Ghostery’s tracker database (cross-check only, non-commercial data)', () => {
  it('classifies every domain and filter of the products the catalog covers to the right entry', () => {
    const results: { pattern: string; item: string; url: string; expected: EntryId; got: string | null }[] = [];
    const skipped: string[] = [];
    for (const [key, entry] of Object.entries(PRODUCTS)) {
      const pattern = db.patterns[key];
      expect(pattern, key).toBeDefined();
      for (const item of [...pattern!.domains, ...pattern!.filters]) {
        if (item in OUTSIDE_THE_PRODUCT) {
          skipped.push(item);
          continue;
        }
        const url = pattern!.domains.includes(item) ? `https://www.${item}/` : sampleUrl(item);
        if (url === null) throw new Error(`${key}: no sample URL for ${item}`);
        results.push({ pattern: key, item, url, expected: entry, got: entryOf(url) });
      }
    }
    const wrong = results.filter((r) => r.got !== r.expected);
    const total = results.length + skipped.length;
    console.log(
      `trackerdb cross-check: ${results.length - wrong.length} of ${results.length} domains and filters of the catalog's products classify to the right entry; ` +
        `${skipped.length} of ${total} are outside what the policy names (see OUTSIDE_THE_PRODUCT)`,
    );
    expect(wrong).toEqual([]);
  });

  it('files no pattern of another organisation under a catalog entry', () => {
    const ours = new Set(Object.keys(PRODUCTS));
    const intrusions: string[] = [];
    let checked = 0;
    for (const [key, pattern] of Object.entries(db.patterns)) {
      // The catalog's companies' other products share their hosts (DoubleClick's bid manager, Meta's
      // Graph API): filed under the company's catalog entry, they are not another organisation's.
      if (ours.has(key) || CATALOG_ORGANISATIONS.has(pattern.organization ?? '')) continue;
      for (const item of [...pattern.domains, ...pattern.filters]) {
        const url = pattern.domains.includes(item) ? `https://www.${item}/` : sampleUrl(item);
        if (url === null) continue;
        checked++;
        const got = entryOf(url);
        if (got !== null && !SHARED_HOSTS.has(item)) intrusions.push(`${key} (${pattern.organization}): ${item} → ${got}`);
      }
    }
    console.log(`trackerdb cross-check: ${checked} domains and filters of the patterns of organisations other than the catalog's; ${intrusions.length} filed under a catalog entry`);
    expect(intrusions).toEqual([]);
  });
});

/** trackerdb's organisations behind the catalog's entries. */
const CATALOG_ORGANISATIONS = new Set(['google', 'facebook', 'microsoft', 'trustpilot', 'amazon_associates']);

/**
 * Another organisation's hosts the catalog files under an entry on purpose: the policy says Adyen
 * handles PayPal ("Ayden is verantwoordelijk voor de communicatie met PayPal"), so PayPal's hosts are
 * Adyen's, reached through it (`via: PayPal`).
 */
const SHARED_HOSTS = new Set<string>(['paypal.com', 'paypalobjects.com']);
