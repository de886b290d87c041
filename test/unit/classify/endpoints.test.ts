import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '@/lib/classify';

const { classifyUrl } = createClassifier();

/**
 * The endpoints the catalog's products use in 2026 (shared/reference/endpoints-consent-2026.md, and
 * the sources in each catalog entry), on the vendors' own hosts.
 */
describe('every current endpoint, on the vendor’s own host', () => {
  it.each([
    // Google tag and Tag Manager
    ['https://www.googletagmanager.com/gtag/destination?id=AW-987654321&l=dataLayer', 'google-tag-manager', 'script'],
    ['https://www.googletagmanager.com/td?id=GTM-MLB7Q2&v=3&t=t&pid=1', 'google-tag-manager', 'other'],
    ['https://www.googletagmanager.com/static/service_worker/5c70/sw_iframe.html?origin=https%3A%2F%2Fwww.mijnliefsteboek.nl', 'google-tag-manager', 'other'],
    // GA4
    ['https://region1.analytics.google.com/g/collect?v=2&tid=G-MLB1234567&gcs=G111&cid=1.2', 'google-analytics', 'hit'],
    ['https://analytics.google.com/g/collect?v=2&tid=G-MLB1234567', 'google-analytics', 'hit'],
    ['https://stats.g.doubleclick.net/g/collect?v=2&tid=G-MLB1234567&cid=1.2', 'google-analytics', 'hit'],
    ['https://www.google.com/g/collect?v=2&tid=G-MLB1234567', 'google-analytics', 'hit'],
    ['https://www.google.nl/g/collect?v=2&tid=G-MLB1234567', 'google-analytics', 'hit'],
    // Google Ads, conversion and remarketing
    ['https://www.google.com/ccm/collect?tid=AW-987654321&en=page_view&auid=1.2&dl=x', 'google-ads', 'hit'],
    ['https://www.google.nl/ccm/collect?tid=AW-987654321&en=conversion', 'google-ads', 'hit'],
    ['https://www.google.com/rmkt/collect/987654321/?random=1&cv=11&fst=1', 'google-ads', 'hit'],
    ['https://www.google.dk/pagead/1p-conversion/987654321/?random=1', 'google-ads', 'hit'],
    ['https://www.google.be/pagead/1p-user-list/987654321/?random=1', 'google-ads', 'hit'],
    ['https://www.google.com/ccm/form-data/987654321?ec_mode=a&em=tv.1', 'google-ads', 'hit'],
    ['https://www.google.com/pagead/form-data/987654321?em=tv.1', 'google-ads', 'hit'],
    ['https://td.doubleclick.net/td/rul/987654321?random=1&gtm=45be&gcd=13l3l3l3l1', 'google-ads', 'hit'],
    ['https://td.doubleclick.net/td/ga/rul?tid=G-MLB1234567&gacid=1.2&fledge=1', 'google-ads', 'hit'],
    ['https://ad.doubleclick.net/ccm/s/collect?tid=AW-987654321', 'google-ads', 'hit'],
    ['https://pagead2.googlesyndication.com/ccm/collect?tid=AW-987654321&en=page_view', 'google-ads', 'hit'],
    ['https://www.googleadservices.com/pagead/set_partitioned_cookie?random=1', 'google-ads', 'hit'],
    // Microsoft UET: both hosts, the tag-specific loader, the consent beacon
    ['https://bat.bing.net/bat.js', 'microsoft-ads', 'script'],
    ['https://bat.bing.com/p/action/187654321.js', 'microsoft-ads', 'script'],
    ['https://bat.bing.net/action/0?ti=187654321&Ver=2&mid=8f2c&evt=pageLoad&asc=D', 'microsoft-ads', 'hit'],
    ['https://bat.bing.com/actionp/0?ti=187654321&Ver=2&evt=consent&src=update&asc=G', 'microsoft-ads', 'hit'],
    ['https://c.bing.com/c.gif?Red3=CTOMS_pd&cbid=k', 'microsoft-ads', 'hit'],
    // Meta: the Privacy Sandbox twin of every /tr hit
    ['https://www.facebook.com/privacy_sandbox/pixel/register/trigger/?id=1234567890123456&ev=PageView&dl=x', 'meta-pixel', 'hit'],
    // Trustpilot
    ['https://widget.trustpilot.com/trustboxes/53aa8807dec7e10d38f59f32/index.html?templateId=53aa&businessunitId=5c1b', 'trustpilot', 'widget'],
    ['https://widget.trustpilot.com/trustbox-data/53aa8807dec7e10d38f59f32?businessUnitId=5c1b&locale=nl-NL', 'trustpilot', 'config'],
    // Adyen: regions, the CDN, SDK telemetry, card fields, the device-fingerprint frame
    ['https://checkoutshopper-live-us.adyen.com/checkoutshopper/v1/sessions/CS1/setup?clientKey=live_X', 'adyen', 'payment'],
    ['https://checkoutshopper-live-nea.adyen.com/checkoutshopper/v3/bin/binLookup?clientKey=live_X', 'adyen', 'payment'],
    ['https://checkoutshopper-live.cdn.adyen.com/checkoutshopper/sdk/6.45.2/adyen.js', 'adyen', 'script'],
    ['https://checkoutanalytics-live.adyen.com/checkoutanalytics/v3/analytics?clientKey=live_X', 'adyen', 'hit'],
    ['https://checkoutshopper-live.adyen.com/checkoutshopper/securedfields/live_X/6.45.2/securedFields.html', 'adyen', 'payment'],
    ['https://checkoutshopper-live.adyen.com/checkoutshopper/assets/html/live_X/dfp.1.0.0.html', 'adyen', 'other'],
    // Click to Pay in Adyen's checkout: the card schemes' own SDKs and the calls they make.
    ['https://assets.secure.checkout.visa.com/checkout-widget/resources/js/src-i-adapter/visa-sdk.js?v2', 'adyen', 'script'],
    ['https://secure.checkout.visa.com/checkout-widget/v1/dpa/init', 'adyen', 'payment'],
    ['https://src.mastercard.com/sdk/srcsdk.mastercard.js', 'adyen', 'script'],
    ['https://src.mastercard.com/srci/api/checkout', 'adyen', 'payment'],
  ])('%s → %s (%s)', (url, entryId, kind) => {
    expect(classifyUrl(url)).toMatchObject({ party: 'listed', entryId, kind });
    expect(classifyUrl(url)).not.toHaveProperty('relay');
  });
});

/** Server-side Google Tag Manager, Google's tag gateway and Meta's gateway: the vendors' protocols on any host. */
describe('recognised by protocol on the shop’s own hosts and elsewhere', () => {
  it.each([
    // Server-side GTM on a shop subdomain
    ['https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&gcs=G100&gcd=13p3p3p3p5&en=page_view', 'google-analytics', 'hit', 'shop'],
    ['https://sst.mijnliefsteboek.nl/gtm.js?id=GTM-MLB7Q2', 'google-tag-manager', 'script', 'shop'],
    ['https://sst.mijnliefsteboek.nl/gtag/js?id=G-MLB1234567', 'google-tag-manager', 'script', 'shop'],
    // Google's tag gateway on the shop's own www host, under a reserved path
    ['https://www.mijnliefsteboek.nl/metrics/gtag/js?id=G-MLB1234567', 'google-tag-manager', 'script', 'shop'],
    ['https://www.mijnliefsteboek.nl/metrics/g/collect?v=2&tid=G-MLB1234567&cid=123.456', 'google-analytics', 'hit', 'shop'],
    ['https://www.mijnliefsteboek.nl/3ggx71/gtm.js?id=GTM-MLB7Q2', 'google-tag-manager', 'script', 'shop'],
    // Ads, UET and Meta through a tagging server
    ['https://sst.mijnliefsteboek.nl/pagead/viewthroughconversion/987654321/?random=1', 'google-ads', 'hit', 'shop'],
    ['https://sst.mijnliefsteboek.nl/ccm/collect?tid=AW-987654321&en=conversion', 'google-ads', 'hit', 'shop'],
    ['https://sst.mijnliefsteboek.nl/rmkt/collect/987654321/', 'google-ads', 'hit', 'shop'],
    ['https://data.mijnliefsteboek.nl/action/0?ti=187654321&Ver=2&evt=pageLoad', 'microsoft-ads', 'hit', 'shop'],
    ['https://capig.mijnliefsteboek.nl/tr/?id=1234567890123456&ev=AddToCart', 'meta-pixel', 'hit', 'shop'],
    ['https://capig.mijnliefsteboek.nl/capi/1234567890123456/events', 'meta-pixel', 'hit', 'other-or-shop'],
    // A tagging server on another registrable domain (Stape, an agency), and Google's country domains
    ['https://gtm.tagserver.example/g/collect?v=2&tid=G-MLB1234567', 'google-analytics', 'hit', 'other'],
    ['https://capig.stape.vip/tr?id=1234567890123456&ev=Purchase', 'meta-pixel', 'hit', 'other'],
    ['https://www.google.com.br/pagead/1p-conversion/987654321/', 'google-ads', 'hit', 'other'],
  ])('%s → %s (%s) through %s', (url, entryId, kind, relay) => {
    const cls = classifyUrl(url);
    expect(cls).toMatchObject({ party: 'listed', entryId, kind });
    if (relay !== 'other-or-shop') expect(cls).toMatchObject({ relay, observeBy: relay === 'shop' ? 'network' : 'page' });
  });

  it('reads GA4’s shared parameters from the first line of a POST body', () => {
    const url = 'https://sst.mijnliefsteboek.nl/g/collect';
    expect(classifyUrl(url).party).toBe('shop');
    expect(classifyUrl(url, 'v=2&tid=G-MLB1234567&cid=1.2\nen=page_view&_et=12\nen=scroll')).toMatchObject({ entryId: 'google-analytics', relay: 'shop' });
    expect(classifyUrl(url, 'en=page_view\nv=2&tid=G-MLB1234567')).toMatchObject({ party: 'shop' });
  });

  it.each([
    // The shop's own look-alikes: no parameters, the wrong ids, the wrong place in the path
    'https://www.mijnliefsteboek.nl/g/collect',
    'https://www.mijnliefsteboek.nl/g/collect?v=1&tid=UA-1-1',
    'https://www.mijnliefsteboek.nl/g/collect?v=2&tid=MLB1234567',
    'https://www.mijnliefsteboek.nl/g/collect/more?v=2&tid=G-MLB1234567',
    'https://www.mijnliefsteboek.nl/blog/g/collections?v=2&tid=G-MLB1234567',
    'https://www.mijnliefsteboek.nl/gtm.js',
    'https://www.mijnliefsteboek.nl/gtm.js?id=12345',
    'https://www.mijnliefsteboek.nl/assets/gtag/js/app.js?id=G-MLB1234567',
    'https://www.mijnliefsteboek.nl/tr?lang=nl',
    'https://www.mijnliefsteboek.nl/tr/?id=abc&ev=PageView',
    'https://www.mijnliefsteboek.nl/tr/?id=1234567890123456',
    'https://www.mijnliefsteboek.nl/boeken/tr?id=1234567890123456',
    'https://www.mijnliefsteboek.nl/action/0',
    'https://www.mijnliefsteboek.nl/action/0?ti=187654321',
    'https://www.mijnliefsteboek.nl/account/action/01?ti=187654321&Ver=2',
    'https://www.mijnliefsteboek.nl/pagead/conversion/abc/',
    'https://www.mijnliefsteboek.nl/ccm/collect?tid=G-MLB1234567',
    'https://www.mijnliefsteboek.nl/capi/abc/events',
  ])('%s stays the shop', (url) => {
    expect(classifyUrl(url).party).toBe('shop');
  });

  it('keeps hundreds of ordinary shop URLs the shop', () => {
    const segment = fc.constantFrom('boeken', 'kinderboeken', 'cadeau', 'account', 'winkelwagen', 'checkout', 'api', 'v1', 'img', 'covers', 'static', 'js', 'css', 'fonts', 'zoeken', 'over', 'privacybeleid', 'g', 'tr', 'action', 'collect', 'pagead', 'events', 'gtm', 'metrics', 'noor', 'sinterklaas');
    const file = fc.constantFrom('', 'index.html', 'app.4f2c1a.js', 'style.css', 'cover-noor.webp', 'logo.svg', 'cart.json', 'collect', 'gtm', 'js', 'events', '0', 'inter.woff2');
    const param = fc.tuple(fc.constantFrom('id', 'q', 'page', 'lang', 'v', 'tid', 'ev', 'ti', 'utm_source', 'gclid', 'fbclid', 'ref'), fc.constantFrom('1', '2', 'nl', 'noor', 'G', 'AW', 'google', 'newsletter', '12345'));
    const host = fc.constantFrom('www.mijnliefsteboek.nl', 'mijnliefsteboek.nl', 'static.mijnliefsteboek.nl', 'api.mijnliefsteboek.nl', 'img.mijnliefsteboek.nl');
    const url = fc
      .tuple(host, fc.array(segment, { minLength: 0, maxLength: 4 }), file, fc.array(param, { maxLength: 4 }))
      .map(([h, segments, f, params]) => `https://${h}/${[...segments, f].filter(Boolean).join('/')}${params.length ? `?${params.map(([k, v]) => `${k}=${v}`).join('&')}` : ''}`);
    fc.assert(fc.property(url, (u) => classifyUrl(u).party === 'shop'), { numRuns: 500 });
  }, 20_000);
});
