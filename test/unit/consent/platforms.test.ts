import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsentRecord, CONSENT_RECORD_CATEGORIES, PLATFORM_IDS, type PlatformId } from '@/lib/consent/model';
import * as axeptio from '@/lib/consent/platforms/axeptio';
import * as complianz from '@/lib/consent/platforms/complianz';
import * as cookieInformation from '@/lib/consent/platforms/cookie-information';
import * as cookiebot from '@/lib/consent/platforms/cookiebot';
import * as cookiefirst from '@/lib/consent/platforms/cookiefirst';
import { COOKIE_READERS, isPlatformCookie, readPlatformCookies } from '@/lib/consent/platforms/cookies';
import * as cookieyes from '@/lib/consent/platforms/cookieyes';
import * as didomi from '@/lib/consent/platforms/didomi';
import * as iubenda from '@/lib/consent/platforms/iubenda';
import * as klaro from '@/lib/consent/platforms/klaro';
import * as onetrust from '@/lib/consent/platforms/onetrust';
import { PAGE_READERS } from '@/lib/consent/platforms/page';
import * as shopify from '@/lib/consent/platforms/shopify';
import { PLATFORM_SIGNATURES, platformOfHost } from '@/lib/consent/platforms/signatures';
import type { CookieReader, PageReader, PageReading } from '@/lib/consent/platforms/types';
import * as usercentrics from '@/lib/consent/platforms/usercentrics';

const enc = encodeURIComponent;
const json = (value: unknown) => enc(JSON.stringify(value));
const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const cookies = (entries: Record<string, string>) => new Map(Object.entries(entries));
const win = (value: object) => value as unknown as Window;

// ---------------------------------------------------------------------------------------------
// Real-format cookie values (structure from public captures and the platforms' own code; ids made up)
// ---------------------------------------------------------------------------------------------

const CI_ALL = ['cookie_cat_necessary', 'cookie_cat_functional', 'cookie_cat_statistic', 'cookie_cat_marketing', 'cookie_cat_unclassified'];
const ci = (approved: string[], denied: string[]) =>
  json({ website_uuid: '84b86b51-f2fc-40c7-b909-1ebccc8888c7', timestamp: '2026-11-20T13:57:13.949Z', consent_url: 'https://www.mijnliefsteboek.nl/', user_uid: 'd8f66916-0c77', consents_approved: approved, consents_denied: denied });

const cb = (p: boolean, s: boolean, m: boolean, extra = "method:'explicit'") => enc(`{stamp:'iL9j4mMZ0hb3WeA==',necessary:true,preferences:${p},statistics:${s},marketing:${m},${extra},ver:7,utc:1731969341591,region:'nl'}`);

const OT = (groups: string, interactions = 1) =>
  `isGpcEnabled=0&datestamp=Wed+Jan+29+2025+10%3A05%3A33+GMT%2B0400&version=202409.1.0&interactionCount=${interactions}&isAnonUser=1&landingPath=NotLandingPage&groups=${enc(groups)}`;

const cky = (fields: string) => `consentid:bFl2eFJBN05VS21WNWk5enpRNTNEZ3hxR0dDc3VmcFM,${fields},lastRenewedDate:1734509533000`;

const DIDOMI_BEFORE = 'eyJ1c2VyX2lkIjoiMTljOGVjZDYtNGMyNS02NTQzLWJkMmMtZjcyNDdjY2FlODQ1IiwiY3JlYXRlZCI6IjIwMjYtMDItMjRUMDg6Mzk6MTEuMjk4WiIsInVwZGF0ZWQiOiIyMDI2LTAyLTI0VDA4OjM5OjExLjI5OFoiLCJ2ZXJzaW9uIjpudWxsfQ==';
const didomiToken = (enabled: string[], disabled: string[]) =>
  base64({ user_id: '17f4b2fa-f14d-6ded-a29d-a39be2b45568', created: '2026-03-02T15:11:33.133Z', updated: '2026-03-02T15:11:40.000Z', vendors: { enabled: ['google', 'c:hotjar'] }, purposes: { enabled, disabled }, version: 2, ac: 'AFmACAFk.AAAA' });
// Encoded with @iabtcf/core (purposes 1, 7, 8, 9, 10), and the TCF 2.3 specification's example (no purpose).
const TC_STATISTICS_ONLY = 'CQuPXIAQuPXIAAKACAENCWFgAIPAAAAAAAZQAAAAAAAA.YAAAAAAAAAAA';
const TC_NOTHING = 'CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA.YAAAAAAAAAAA';

const shop = (cmp: object, extra: object = {}) => json({ con: { CMP: cmp }, v: '2.1', region: 'NLNH', reg: 'GDPR', ...extra });

const iub = (body: object) => json({ timestamp: '2025-02-05T15:40:00.391Z', version: '1.75.1', ...body, id: 50053366, cons: { rand: '157518' } });

const cf = (p: boolean, f: boolean, a: boolean) => json({ necessary: true, performance: p, functional: f, advertising: a, timestamp: 1726706511, type: 'category', version: '286ec2df-e5c4-4a7c-bcf5-9ef6ebc050df' });

const ax = (vendors: Record<string, boolean>, meta: object = {}) =>
  // Axeptio leaves braces and colons unencoded, as in captures: {%22$$token%22:…}
  JSON.stringify({ $$token: 'tzuxh86xw3gvlc672faa', $$date: '2025-03-23T15:23:36.290Z', $$cookiesVersion: { name: 'nl-NL', identifier: '66f423a89a161582c3a9cf03' }, $$completed: true, ...vendors, ...meta })
    .replace(/"/g, '%22')
    .replace(/,/g, '%2C');

type Expected = { granted: string[]; denied: string[]; decidedAt?: number | null } | null;

interface CookieCase {
  label: string;
  cookies: Map<string, string>;
  expected: Expected;
}

const HOSTILE = ['x'.repeat(9000), '%E0%A4%A', '{"__proto__":{"granted":["marketing"]}}', 'null', '[]', '42', '{{{{', ''];

const COOKIE_CASES: [CookieReader, CookieCase[]][] = [
  [
    cookieInformation.cookieReader,
    [
      { label: 'accepted all', cookies: cookies({ CookieInformationConsent: ci(CI_ALL, []) }), expected: { granted: ['necessary', 'functional', 'statistics', 'marketing', 'unclassified'], denied: [], decidedAt: Date.parse('2026-11-20T13:57:13.949Z') } },
      { label: 'refused all', cookies: cookies({ CookieInformationConsent: ci(['cookie_cat_necessary'], CI_ALL.slice(1)) }), expected: { granted: ['necessary'], denied: ['functional', 'statistics', 'marketing', 'unclassified'] } },
      { label: 'mixed', cookies: cookies({ CookieInformationConsent: ci(['cookie_cat_necessary', 'cookie_cat_statistic'], ['cookie_cat_marketing']) }), expected: { granted: ['necessary', 'statistics'], denied: ['marketing'] } },
      { label: 'before any choice (no cookie)', cookies: cookies({}), expected: null },
    ],
  ],
  [
    cookiebot.cookieReader,
    [
      { label: 'accepted all', cookies: cookies({ CookieConsent: cb(true, true, true) }), expected: { granted: ['necessary', 'functional', 'statistics', 'marketing'], denied: [], decidedAt: 1731969341591 } },
      { label: 'refused all', cookies: cookies({ CookieConsent: cb(false, false, false) }), expected: { granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'] } },
      { label: 'mixed', cookies: cookies({ CookieConsent: cb(true, true, false) }), expected: { granted: ['necessary', 'functional', 'statistics'], denied: ['marketing'] } },
      { label: 'region needing no consent', cookies: cookies({ CookieConsent: "{stamp:'-1',necessary:true,preferences:true,statistics:true,marketing:true,method:'implied',ver:1,utc:1741007185215,region:'GB'}" }), expected: null },
      { label: 'implied consent', cookies: cookies({ CookieConsent: cb(true, true, true, "method:'implied'") }), expected: null },
      { label: 'bare -1', cookies: cookies({ CookieConsent: '-1' }), expected: null },
    ],
  ],
  [
    onetrust.cookieReader,
    [
      { label: 'accepted all', cookies: cookies({ OptanonConsent: OT('C0001:1,C0002:1,C0003:1,C0004:1'), OptanonAlertBoxClosed: '2025-01-29T06:05:33.000Z' }), expected: { granted: ['necessary', 'functional', 'statistics', 'marketing'], denied: [], decidedAt: Date.parse('2025-01-29T06:05:33.000Z') } },
      { label: 'refused all', cookies: cookies({ OptanonConsent: OT('C0001:1,C0002:0,C0003:0,C0004:0') }), expected: { granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'], decidedAt: null } },
      { label: 'mixed', cookies: cookies({ OptanonConsent: OT('C0001:1,C0002:1,C0003:0,C0004:0') }), expected: { granted: ['necessary', 'statistics'], denied: ['functional', 'marketing'] } },
      { label: 'before any choice', cookies: cookies({ OptanonConsent: OT('C0001:1,C0002:0', 0) }), expected: null },
    ],
  ],
  [
    cookieyes.cookieReader,
    [
      { label: 'accepted all (hosted script, unencoded)', cookies: cookies({ 'cookieyes-consent': cky('consent:yes,action:yes,necessary:yes,functional:yes,analytics:yes,performance:yes,advertisement:yes,other:yes') }), expected: { granted: ['necessary', 'functional', 'statistics', 'marketing', 'unclassified'], denied: [], decidedAt: null } },
      { label: 'refused all', cookies: cookies({ 'cookieyes-consent': cky('consent:no,action:yes,necessary:yes,functional:no,analytics:no,performance:no,advertisement:no') }), expected: { granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'] } },
      { label: 'mixed: analytics yes, performance no refuses statistics', cookies: cookies({ 'cookieyes-consent': cky('consent:yes,action:yes,necessary:yes,functional:yes,analytics:yes,performance:no,advertisement:no') }), expected: { granted: ['necessary', 'functional'], denied: ['statistics', 'marketing'] } },
      { label: 'before any choice', cookies: cookies({ 'cookieyes-consent': cky('consent:,action:,necessary:,functional:,analytics:,performance:,advertisement:') }), expected: null },
      { label: 'closed with the X (action, no categories)', cookies: cookies({ 'cookieyes-consent': cky('consent:,action:yes,necessary:,functional:,analytics:,performance:,advertisement:') }), expected: null },
      { label: 'SDK cookie, URL-encoded, with its time', cookies: cookies({ 'cookieyes-consent': enc('consentid:abc,consent:yes,action:yes,tax:1k2j3,necessary:yes,functional:no,analytics:yes,performance:yes,advertisement:no,lastRenewedDate:1767225600000') }), expected: { granted: ['necessary', 'statistics'], denied: ['functional', 'marketing'], decidedAt: 1767225600000 } },
      { label: 'legacy plugin, accepted all', cookies: cookies({ viewed_cookie_policy: 'yes', 'cookielawinfo-checkbox-necessary': 'yes', 'cookielawinfo-checkbox-functional': 'yes', 'cookielawinfo-checkbox-performance': 'yes', 'cookielawinfo-checkbox-analytics': 'yes', 'cookielawinfo-checkbox-advertisement': 'yes', 'cookielawinfo-checkbox-others': 'yes' }), expected: { granted: ['necessary', 'functional', 'statistics', 'marketing', 'unclassified'], denied: [] } },
      { label: 'legacy plugin, rejected (checkboxes still yes)', cookies: cookies({ viewed_cookie_policy: 'no', 'cookielawinfo-checkbox-necessary': 'yes', 'cookielawinfo-checkbox-analytics': 'yes', 'cookielawinfo-checkbox-advertisement': 'yes' }), expected: { granted: [], denied: ['statistics', 'marketing'] } },
      { label: 'legacy 1.x single switch', cookies: cookies({ viewed_cookie_policy: 'yes', 'cookielawinfo-checkbox-necessary': 'yes', 'cookielawinfo-checkbox-non-necessary': 'no' }), expected: { granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'] } },
      { label: 'legacy checkboxes without an answer', cookies: cookies({ 'cookielawinfo-checkbox-analytics': 'yes' }), expected: null },
    ],
  ],
  [
    didomi.cookieReader,
    [
      { label: 'accepted custom purposes, TCF string without ads purposes: a refusal in either refuses', cookies: cookies({ didomi_token: didomiToken(['analytics-HpBJrrK7', 'marketing-V4U6naXQ', 'geolocation_data'], []), 'euconsent-v2': TC_STATISTICS_ONLY }), expected: { granted: ['necessary', 'functional', 'statistics'], denied: ['marketing'], decidedAt: Date.parse('2026-03-02T15:11:40.000Z') } },
      { label: 'refused all', cookies: cookies({ didomi_token: didomiToken([], ['analytics-HpBJrrK7', 'marketing-V4U6naXQ']), 'euconsent-v2': TC_NOTHING }), expected: { granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'] } },
      { label: 'mixed, Didomi names for IAB purposes (no TCF)', cookies: cookies({ didomi_token: didomiToken(['cookies', 'measure_content_performance'], ['create_ads_profile', 'select_personalized_ads']) }), expected: { granted: ['functional', 'statistics'], denied: ['marketing'] } },
      { label: 'before any choice (real token)', cookies: cookies({ didomi_token: DIDOMI_BEFORE, 'euconsent-v2': TC_STATISTICS_ONLY }), expected: null },
      { label: 'euconsent-v2 alone belongs to the TCF reader', cookies: cookies({ 'euconsent-v2': TC_STATISTICS_ONLY }), expected: null },
      { label: 'base64url token', cookies: cookies({ didomi_token: didomiToken(['audiencem-inzPHGWn'], []).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }), expected: { granted: ['statistics'], denied: [] } },
    ],
  ],
  [
    complianz.cookieReader,
    [
      { label: 'accepted all', cookies: cookies({ 'cmplz_banner-status': 'dismissed', cmplz_functional: 'allow', cmplz_preferences: 'allow', cmplz_statistics: 'allow', cmplz_marketing: 'allow' }), expected: { granted: ['necessary', 'functional', 'statistics', 'marketing'], denied: [], decidedAt: null } },
      { label: 'refused all', cookies: cookies({ 'cmplz_banner-status': 'dismissed', cmplz_functional: 'allow', cmplz_preferences: 'deny', cmplz_statistics: 'deny', cmplz_marketing: 'deny' }), expected: { granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'] } },
      { label: 'mixed, multisite prefix', cookies: cookies({ 'cmplz_rt_banner-status': 'dismissed', cmplz_rt_functional: 'allow', cmplz_rt_statistics: 'allow', cmplz_rt_marketing: 'deny' }), expected: { granted: ['necessary', 'statistics'], denied: ['marketing'] } },
      { label: 'region without banner: allow written, never dismissed', cookies: cookies({ cmplz_functional: 'allow', cmplz_preferences: 'allow', cmplz_statistics: 'allow', cmplz_marketing: 'allow' }), expected: null },
      { label: 'banner still showing', cookies: cookies({ 'cmplz_banner-status': 'show', cmplz_statistics: 'allow' }), expected: null },
      { label: 'dismissed on scroll, nothing chosen', cookies: cookies({ 'cmplz_banner-status': 'dismissed', cmplz_functional: 'allow' }), expected: null },
    ],
  ],
  [
    shopify.cookieReader,
    [
      { label: 'accepted all', cookies: cookies({ _tracking_consent: shop({ a: '1', m: '1', p: '1', s: '' }) }), expected: { granted: ['functional', 'statistics', 'marketing'], denied: [], decidedAt: null } },
      { label: 'refused all (real capture)', cookies: cookies({ _tracking_consent: '%7B%22con%22%3A%7B%22CMP%22%3A%7B%22a%22%3A%220%22%2C%22m%22%3A%220%22%2C%22p%22%3A%220%22%2C%22s%22%3A%22%22%7D%7D%2C%22v%22%3A%222.1%22%2C%22region%22%3A%22DE%22%2C%22reg%22%3A%22GDPR%22%7D' }), expected: { granted: [], denied: ['functional', 'statistics', 'marketing'] } },
      { label: 'mixed', cookies: cookies({ _tracking_consent: shop({ a: '1', m: '0', p: '1', s: '0' }) }), expected: { granted: ['functional', 'statistics'], denied: ['marketing'] } },
      { label: 'before any choice: purposes are region defaults', cookies: cookies({ _tracking_consent: shop({ a: '', m: '', p: '', s: '' }, { purposes: { a: true, p: true, m: true, t: true }, display_banner: false, sale_of_data_region: false }) }), expected: null },
      { label: 'v2.0 single answer', cookies: cookies({ _tracking_consent: '%7B%22con%22%3A%7B%22GDPR%22%3A%221%22%7D%2C%22v%22%3A%222.0%22%2C%22reg%22%3A%22GDPR%22%2C%22lim%22%3A%5B%22GDPR%22%5D%7D' }), expected: { granted: ['statistics', 'marketing'], denied: [] } },
      { label: 'v2.0 before any choice', cookies: cookies({ _tracking_consent: '%7B%22con%22%3A%7B%22GDPR%22%3A%22%22%7D%2C%22v%22%3A%222.0%22%2C%22reg%22%3A%22%22%7D' }), expected: null },
    ],
  ],
  [
    iubenda.cookieReader,
    [
      { label: 'accepted (real capture: the site uses purposes 1, 3, 4)', cookies: cookies({ '_iub_cs-50053366': iub({ purposes: { 1: true, 3: true, 4: true } }) }), expected: { granted: ['necessary', 'functional', 'statistics'], denied: [], decidedAt: Date.parse('2025-02-05T15:40:00.391Z') } },
      { label: 'refused all', cookies: cookies({ '_iub_cs-50053366': iub({ purposes: { 1: true, 2: false, 3: false, 4: false, 5: false } }) }), expected: { granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'] } },
      { label: 'mixed: 2 yes, 3 no refuses functional', cookies: cookies({ '_iub_cs-50053366': iub({ purposes: { 1: true, 2: true, 3: false, 4: true, 5: false } }) }), expected: { granted: ['necessary', 'statistics'], denied: ['functional', 'marketing'] } },
      { label: 'simple consent', cookies: cookies({ '_iub_cs-71185313': iub({ consent: true }) }), expected: { granted: ['functional', 'statistics', 'marketing'], denied: [] } },
      { label: 'before any choice, US record beside it', cookies: cookies({ '_iub_cs-90483436': json({ id: 90483436 }), '_iub_cs-90483436-uspr': json({ s: true, sh: true, adv: true }) }), expected: null },
    ],
  ],
  [
    cookiefirst.cookieReader,
    [
      { label: 'accepted all', cookies: cookies({ 'cookiefirst-consent': cf(true, true, true) }), expected: { granted: ['necessary', 'functional', 'statistics', 'marketing'], denied: [], decidedAt: 1726706511000 } },
      { label: 'refused all', cookies: cookies({ 'cookiefirst-consent': cf(false, false, false) }), expected: { granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'] } },
      { label: 'mixed', cookies: cookies({ 'cookiefirst-consent': cf(true, false, false) }), expected: { granted: ['necessary', 'statistics'], denied: ['functional', 'marketing'] } },
      { label: 'no timestamp', cookies: cookies({ 'cookiefirst-consent': json({ necessary: true, performance: true, advertising: true, functional: true }) }), expected: { granted: ['necessary', 'functional', 'statistics', 'marketing'], denied: [], decidedAt: null } },
    ],
  ],
  [
    klaro.cookieReader,
    [
      { label: 'accepted all', cookies: cookies({ klaro: json({ 'google-analytics': true, facebookPixel: true, youtube: true, 'klaro-cookie': true }) }), expected: { granted: ['statistics', 'marketing'], denied: [], decidedAt: null } },
      { label: 'refused all', cookies: cookies({ klaro: json({ 'google-analytics': false, facebookPixel: false, youtube: false }) }), expected: { granted: [], denied: ['statistics', 'marketing'] } },
      { label: 'mixed within statistics leaves it unknown', cookies: cookies({ klaro: json({ googleAnalytics: true, hotjar: false, 'facebook-pixel': false }) }), expected: { granted: [], denied: ['marketing'] } },
      { label: 'only services we do not know', cookies: cookies({ klaro: json({ youtube: true, 'my-chat': false }) }), expected: null },
    ],
  ],
  [
    axeptio.cookieReader,
    [
      { label: 'accepted all, with Consent Mode', cookies: cookies({ axeptio_cookies: ax({ google_analytics: true, hotjar: true, facebook_pixel: true, google_ads: true, Google_Ads: true, vimeo: true }, { $$googleConsentMode: { version: 2, analytics_storage: 'granted', ad_storage: 'granted' } }) }), expected: { granted: ['statistics', 'marketing'], denied: [], decidedAt: Date.parse('2025-03-23T15:23:36.290Z') } },
      { label: 'refused all', cookies: cookies({ axeptio_cookies: ax({ facebook_pixel: false, cloudflare: false, vimeo: false, google_analytics: false, adsense: false }) }), expected: { granted: [], denied: ['statistics', 'marketing'] } },
      { label: 'mixed', cookies: cookies({ axeptio_cookies: ax({ google_analytics: true, facebook_pixel: false, bing: false }) }), expected: { granted: ['statistics'], denied: ['marketing'] } },
      { label: 'vendors disagree within marketing', cookies: cookies({ axeptio_cookies: ax({ google_analytics: true, facebook_pixel: true, bing: false }) }), expected: { granted: ['statistics'], denied: [] } },
      { label: 'before completion', cookies: cookies({ axeptio_cookies: ax({ google_analytics: true }, { $$completed: false }) }), expected: null },
      { label: 'vendor lists only (autoconsent\'s refusal test)', cookies: cookies({ axeptio_authorized_vendors: '%2C%2C', axeptio_all_vendors: '%2Cgoogle_ads%2Cgoogle_analytics%2Cgetquanty%2C' }), expected: { granted: [], denied: ['statistics', 'marketing'] } },
    ],
  ],
];

function check(record: ConsentRecord | null, expected: Expected, platform: PlatformId) {
  if (expected === null) {
    expect(record).toBeNull();
    return;
  }
  expect(record).not.toBeNull();
  expect(ConsentRecord.safeParse(record).success).toBe(true);
  expect(record!.source).toBe(platform);
  expect(record!.granted).toEqual(expected.granted);
  expect(record!.denied).toEqual(expected.denied);
  if (expected.decidedAt !== undefined) expect(record!.decidedAt).toBe(expected.decidedAt);
}

describe('platform cookie readers', () => {
  for (const [reader, cases] of COOKIE_CASES) {
    describe(reader.platform, () => {
      it.each(cases.map((c) => [c.label, c] as const))('%s', (_label, c) => {
        check(reader.read(c.cookies), c.expected, reader.platform);
      });

      it.each(HOSTILE)('gives null for a hostile value in every cookie (%#)', (value) => {
        const map = new Map(reader.cookies.map((name) => [name.replace('*', '123'), value]));
        expect(reader.read(map)).toBeNull();
        expect(({} as Record<string, unknown>).granted).toBeUndefined();
      });
    });
  }

  it('covers every platform that keeps a cookie, Usercentrics being the one that does not', () => {
    const covered = new Set(COOKIE_CASES.map(([reader]) => reader.platform));
    expect(PLATFORM_IDS.filter((id) => !covered.has(id))).toEqual(['usercentrics']);
    expect(new Set(COOKIE_READERS.map((r) => r.platform))).toEqual(covered);
    expect('cookieReader' in usercentrics).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Page readers, on fake windows
// ---------------------------------------------------------------------------------------------

/** A window whose every property getter throws. */
const THROWING_WINDOW = win(
  new Proxy(
    {},
    {
      get() {
        throw new Error('boom');
      },
      has: () => true,
    },
  ),
);

const thrower = () => {
  throw new Error('boom');
};

/** An object whose every property is a getter that throws. */
const booby = () => new Proxy({}, { get: thrower, ownKeys: thrower, getOwnPropertyDescriptor: thrower });

interface PageCase {
  label: string;
  window: Window;
  expected: PageReading | null;
}

const answered = (granted: string[], denied: string[]) => ({ state: 'answered', granted, denied }) as PageReading;
const UNANSWERED: PageReading = { state: 'unanswered' };

const ucServicesV2 = (type: string, marketing: boolean) => [
  { id: 'H1Vl5NidjWX', name: 'Usercentrics Consent Management Platform', categorySlug: 'essential', isEssential: true, consent: { status: true, history: [{ action: 'onInitialPageLoad', status: true, timestamp: 1767225600000, type: 'implicit' }] } },
  { id: 'HkocEodjb7', name: 'Google Analytics', categorySlug: 'customCategory-8e9f0a1b', isEssential: false, consent: { status: true, history: [{ action: 'onInitialPageLoad', status: false, timestamp: 1, type: 'implicit' }, { action: 'onUpdateServices', status: true, timestamp: 2, type }] } },
  { id: 'ryDQcVoOoZQ', name: 'Facebook Pixel', categorySlug: 'marketing', isEssential: false, consent: { status: marketing, history: [{ action: 'onUpdateServices', status: marketing, timestamp: 2, type }] } },
];

const ucDetails = (type: string) => ({
  consent: { status: 'SOME_ACCEPTED', required: false, version: 3, controllerId: 'abc', language: 'nl', createdAt: 1767225600000, updatedAt: 1767225700000, updatedBy: 'onUpdateServices', type, hash: 'x', setting: { id: 'x', type: 'GDPR', version: '1' } },
  services: {
    H1Vl5NidjWX: { name: 'Usercentrics Consent Management Platform', version: '1', category: 'essential', essential: true, consent: { given: true, type } },
    HkocEodjb7: { name: 'Google Analytics', version: '1', category: 'customCategory-8e9f0a1b', essential: false, consent: { given: true, type } },
    BJz7qNsdj: { name: 'YouTube Video', version: '1', category: 'functional', essential: false, consent: { given: false, type } },
    ryDQcVoOoZQ: { name: 'Facebook Pixel', version: '1', category: 'marketing', essential: false, consent: { given: false, type } },
    S1pcEj_jZX: { name: 'Google Ads Remarketing', version: '1', category: 'marketing', essential: false, consent: { given: true, type } },
  },
  categories: {},
});

const didomiWindow = (collect: boolean, enabled: string[], disabled: string[]) =>
  win({ Didomi: { shouldUserStatusBeCollected: () => collect, getUserStatus: () => ({ purposes: { consent: { enabled, disabled } }, vendors: {} }), getCurrentUserStatus: () => ({}) } });

const klaroWindow = (confirmed: boolean, saved: Record<string, boolean>) =>
  win({
    klaro: {
      getManager: () => ({
        confirmed,
        consents: { ...saved, matomo: true },
        savedConsents: saved,
        config: { services: [{ name: 'matomo', purposes: ['analytics'] }, { name: 'ads', purposes: ['advertising'] }, { name: 'cms', required: true }, { name: 'chat', purposes: ['livechat'] }] },
      }),
    },
  });

const PAGE_CASES: [PageReader, PageCase[]][] = [
  [
    cookieInformation.pageReader,
    [
      { label: 'answered', window: win({ document: { cookie: '_ga=1; CookieInformationConsent=%7B%7D' }, CookieInformation: { getConsentGivenFor: (c: string) => c !== 'cookie_cat_marketing' } }), expected: answered(['necessary', 'functional', 'statistics', 'unclassified'], ['marketing']) },
      { label: 'unanswered: no consent cookie yet', window: win({ document: { cookie: '_ga=1' }, CookieInformation: { getConsentGivenFor: () => false } }), expected: UNANSWERED },
      { label: 'throwing API', window: win({ document: { cookie: 'CookieInformationConsent=x' }, CookieInformation: { getConsentGivenFor: thrower } }), expected: null },
      { label: 'hostile: not booleans', window: win({ document: { cookie: 'CookieInformationConsent=x' }, CookieInformation: { getConsentGivenFor: () => 'yes' } }), expected: null },
    ],
  ],
  [
    cookiebot.pageReader,
    [
      { label: 'answered', window: win({ Cookiebot: { hasResponse: true, consent: { stamp: 'abc', necessary: true, preferences: false, statistics: true, marketing: false, method: 'explicit' } } }), expected: answered(['necessary', 'statistics'], ['functional', 'marketing']) },
      { label: 'unanswered', window: win({ Cookiebot: { hasResponse: false, consent: { stamp: '0', necessary: true, preferences: false, statistics: false, marketing: false } } }), expected: UNANSWERED },
      { label: 'implied consent is no answer', window: win({ Cookiebot: { hasResponse: true, consent: { stamp: 'abc', necessary: true, preferences: true, statistics: true, marketing: true, method: 'implied' } } }), expected: UNANSWERED },
      { label: 'region needing no consent', window: win({ Cookiebot: { hasResponse: true, consent: { stamp: '-1', necessary: true, preferences: true, statistics: true, marketing: true } } }), expected: null },
      { label: 'throwing getters', window: win({ Cookiebot: { hasResponse: true, consent: booby() } }), expected: null },
    ],
  ],
  [
    onetrust.pageReader,
    [
      { label: 'answered, refusals from GetDomainData', window: win({ OnetrustActiveGroups: ',C0001,C0003,', OneTrust: { IsAlertBoxClosed: () => true, GetDomainData: () => ({ Groups: [{ CustomGroupId: 'C0001' }, { CustomGroupId: 'C0002' }, { CustomGroupId: 'C0003' }, { CustomGroupId: 'C0004' }] }) } }), expected: answered(['necessary', 'functional'], ['statistics', 'marketing']) },
      { label: 'answered, no group list', window: win({ OnetrustActiveGroups: ',C0001,C0002,', OneTrust: { IsAlertBoxClosed: () => true } }), expected: answered(['necessary', 'statistics'], []) },
      { label: 'unanswered', window: win({ OnetrustActiveGroups: ',C0001,', OneTrust: { IsAlertBoxClosed: () => false } }), expected: UNANSWERED },
      { label: 'throwing', window: win({ OnetrustActiveGroups: ',C0001,', OneTrust: { IsAlertBoxClosed: thrower } }), expected: null },
      { label: 'hostile groups', window: win({ OnetrustActiveGroups: { toString: thrower }, OneTrust: { IsAlertBoxClosed: () => true, GetDomainData: () => ({ Groups: booby() }) } }), expected: null },
    ],
  ],
  [
    cookieyes.pageReader,
    [
      { label: 'answered', window: win({ getCkyConsent: () => ({ activeLaw: 'gdpr', categories: { necessary: true, functional: false, analytics: true, performance: true, advertisement: false }, isUserActionCompleted: true, consentID: 'x', languageCode: 'nl' }) }), expected: answered(['necessary', 'statistics'], ['functional', 'marketing']) },
      { label: 'unanswered', window: win({ getCkyConsent: () => ({ activeLaw: 'gdpr', categories: { necessary: true, functional: false }, isUserActionCompleted: false }) }), expected: UNANSWERED },
      { label: 'throwing', window: win({ getCkyConsent: thrower }), expected: null },
      { label: 'hostile result', window: win({ getCkyConsent: () => booby() }), expected: null },
    ],
  ],
  [
    usercentrics.pageReader,
    [
      { label: 'v3 answered (service names where the slug is custom; mixed marketing stays unknown)', window: win({ __ucCmp: { getConsentDetails: async () => ucDetails('EXPLICIT') } }), expected: answered(['necessary', 'statistics'], ['functional']) },
      { label: 'v3 unanswered', window: win({ __ucCmp: { getConsentDetails: async () => ucDetails('IMPLICIT') } }), expected: UNANSWERED },
      { label: 'v3 rejecting promise', window: win({ __ucCmp: { getConsentDetails: () => Promise.reject(new Error('boom')) } }), expected: null },
      { label: 'v3 thenable whose then throws', window: win({ __ucCmp: { getConsentDetails: () => ({ then: thrower }) } }), expected: null },
      { label: 'v2 answered', window: win({ UC_UI: { getServicesBaseInfo: () => ucServicesV2('explicit', false) } }), expected: answered(['necessary', 'statistics'], ['marketing']) },
      { label: 'v2 unanswered', window: win({ UC_UI: { getServicesBaseInfo: () => ucServicesV2('implicit', true) } }), expected: UNANSWERED },
      { label: 'v2 throwing', window: win({ UC_UI: { getServicesBaseInfo: thrower } }), expected: null },
      { label: 'v2 hostile list', window: win({ UC_UI: { getServicesBaseInfo: () => ({ length: 1e9 }) } }), expected: UNANSWERED },
    ],
  ],
  [
    didomi.pageReader,
    [
      { label: 'answered', window: didomiWindow(false, ['cookies', 'measure_content_performance', 'analytics-HpBJrrK7'], ['create_ads_profile', 'select_personalized_ads']), expected: answered(['functional', 'statistics'], ['marketing']) },
      { label: 'unanswered', window: didomiWindow(true, [], []), expected: UNANSWERED },
      { label: 'getCurrentUserStatus fallback once collected', window: win({ Didomi: { shouldUserStatusBeCollected: () => false, getCurrentUserStatus: () => ({ purposes: { cookies: { id: 'cookies', enabled: true }, 'marketing-V4U6naXQ': { id: 'marketing-V4U6naXQ', enabled: false } } }) } }), expected: answered(['functional'], ['marketing']) },
      { label: 'getCurrentUserStatus is not trusted without knowing it was collected', window: win({ Didomi: { getCurrentUserStatus: () => ({ purposes: { cookies: { enabled: false } } }) } }), expected: null },
      { label: 'throwing', window: win({ Didomi: { shouldUserStatusBeCollected: thrower, getUserStatus: thrower, getCurrentUserStatus: thrower } }), expected: null },
    ],
  ],
  [
    complianz.pageReader,
    [
      { label: 'answered', window: win({ complianz: { consenttype: 'optin' }, cmplz_has_consent: () => true, cmplz_get_cookie: (n: string) => ({ 'banner-status': 'dismissed', functional: 'allow', preferences: 'deny', statistics: 'allow', marketing: 'deny' })[n] ?? '' }), expected: answered(['necessary', 'statistics'], ['functional', 'marketing']) },
      { label: 'unanswered', window: win({ complianz: { consenttype: 'optin' }, cmplz_has_consent: () => false, cmplz_get_cookie: () => '' }), expected: UNANSWERED },
      { label: 'no banner in this region', window: win({ complianz: { consenttype: 'other' }, cmplz_has_consent: () => true, cmplz_get_cookie: () => 'allow' }), expected: null },
      { label: 'throwing', window: win({ cmplz_has_consent: thrower, cmplz_get_cookie: thrower }), expected: null },
    ],
  ],
  [
    shopify.pageReader,
    [
      { label: 'answered', window: win({ Shopify: { customerPrivacy: { currentVisitorConsent: () => ({ marketing: 'no', analytics: 'yes', preferences: 'yes', sale_of_data: 'no' }) } } }), expected: answered(['functional', 'statistics'], ['marketing']) },
      { label: 'unanswered', window: win({ Shopify: { customerPrivacy: { currentVisitorConsent: () => ({ marketing: '', analytics: '', preferences: '', sale_of_data: '' }), shouldShowBanner: () => true } } }), expected: UNANSWERED },
      { label: 'region without a banner', window: win({ Shopify: { customerPrivacy: { currentVisitorConsent: () => ({ marketing: '', analytics: '', preferences: '', sale_of_data: '' }), shouldShowBanner: () => false } } }), expected: null },
      { label: 'throwing', window: win({ Shopify: { customerPrivacy: { currentVisitorConsent: thrower } } }), expected: null },
    ],
  ],
  [
    iubenda.pageReader,
    [
      { label: 'answered', window: win({ _iub: { cs: { api: { getPreferences: () => ({ id: 'abcd1234', timestamp: '2023-10-15T10:30:25.123Z', purposes: { 1: true, 3: false, 4: true, 5: false } }) } } } }), expected: answered(['necessary', 'statistics'], ['functional', 'marketing']) },
      { label: 'unanswered', window: win({ _iub: { cs: { api: { getPreferences: () => ({ id: 90483436 }) } } } }), expected: UNANSWERED },
      { label: 'throwing', window: win({ _iub: { cs: { api: { getPreferences: thrower } } } }), expected: null },
      { label: 'hostile', window: win({ _iub: { cs: { api: { getPreferences: () => 'purposes' } } } }), expected: null },
    ],
  ],
  [
    klaro.pageReader,
    [
      { label: 'answered (purposes from the config, saved consents only)', window: klaroWindow(true, { matomo: false, ads: false, cms: true, chat: true }), expected: answered(['necessary'], ['statistics', 'marketing']) },
      { label: 'unanswered', window: klaroWindow(false, {}), expected: UNANSWERED },
      { label: 'throwing', window: win({ klaro: { getManager: thrower } }), expected: null },
      { label: 'hostile manager', window: win({ klaro: { getManager: () => booby() } }), expected: null },
    ],
  ],
  [
    cookiefirst.pageReader,
    [
      { label: 'answered', window: win({ CookieFirst: { consent: { necessary: true, performance: true, functional: false, advertising: false } } }), expected: answered(['necessary', 'statistics'], ['functional', 'marketing']) },
      { label: 'unanswered', window: win({ CookieFirst: { consent: null } }), expected: UNANSWERED },
      { label: 'throwing', window: win({ CookieFirst: booby() }), expected: null },
      { label: 'hostile', window: win({ CookieFirst: { consent: ['advertising'] } }), expected: null },
    ],
  ],
  [
    axeptio.pageReader,
    [
      { label: 'answered', window: win({ axeptioSDK: { userPreferencesManager: { choices: { $$completed: true, google_analytics: true, facebook_pixel: false } } } }), expected: answered(['statistics'], ['marketing']) },
      { label: 'answered, from the cookie', window: win({ document: { cookie: `axeptio_cookies=${ax({ google_analytics: false })}` }, axeptioSDK: { userPreferencesManager: { choices: {} } } }), expected: answered([], ['statistics']) },
      { label: 'unanswered', window: win({ document: { cookie: '' }, axeptioSDK: { userPreferencesManager: { choices: {} } } }), expected: UNANSWERED },
      { label: 'throwing', window: win({ axeptioSDK: { userPreferencesManager: booby() } }), expected: UNANSWERED },
    ],
  ],
];

describe('platform page readers', () => {
  for (const [reader, cases] of PAGE_CASES) {
    describe(reader.platform, () => {
      it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
        // Every case has the platform's API on the page, broken or not.
        expect(reader.present(c.window)).toBe(true);
        expect(await reader.read(c.window)).toEqual(c.expected);
      });

      it('is absent and silent on a window whose every getter throws', async () => {
        expect(reader.present(THROWING_WINDOW)).toBe(false);
        expect(await reader.read(THROWING_WINDOW)).toBeNull();
        expect(() => reader.subscribe(THROWING_WINDOW, () => {})).not.toThrow();
      });

      it('is absent on an empty window', async () => {
        expect(reader.present(win({}))).toBe(false);
        expect(await reader.read(win({}))).toBeNull();
      });
    });
  }

  it('covers every platform', () => {
    expect(PAGE_CASES.map(([reader]) => reader.platform).sort()).toEqual([...PLATFORM_IDS].sort());
    expect(PAGE_READERS.map((reader) => reader.platform).sort()).toEqual([...PLATFORM_IDS].sort());
  });
});

/** A fake EventTarget: remembers listeners and lets the test fire them. */
function target() {
  const listeners = new Map<string, (() => void)[]>();
  return {
    addEventListener(name: string, fn: () => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), fn]);
    },
    fire(name: string) {
      for (const fn of listeners.get(name) ?? []) fn();
    },
  };
}

describe('platform subscriptions', () => {
  const cases: [PageReader, string, (onChange: () => void) => void][] = [
    [cookieInformation.pageReader, 'CookieInformationConsentGiven', (onChange) => {
      const w = target();
      cookieInformation.pageReader.subscribe(win(w), onChange);
      w.fire('CookieInformationConsentGiven');
    }],
    [cookiebot.pageReader, 'CookiebotOnDecline', (onChange) => {
      const w = target();
      cookiebot.pageReader.subscribe(win(w), onChange);
      w.fire('CookiebotOnDecline');
    }],
    [onetrust.pageReader, 'OneTrust.OnConsentChanged', (onChange) => {
      let callback: () => void = () => {};
      onetrust.pageReader.subscribe(win({ OneTrust: { OnConsentChanged: (cb: () => void) => (callback = cb) } }), onChange);
      callback();
    }],
    [onetrust.pageReader, 'OneTrustGroupsUpdated', (onChange) => {
      const w = target();
      onetrust.pageReader.subscribe(win(w), onChange);
      w.fire('OneTrustGroupsUpdated');
    }],
    [cookieyes.pageReader, 'cookieyes_consent_update on document', (onChange) => {
      const document = target();
      cookieyes.pageReader.subscribe(win({ document }), onChange);
      document.fire('cookieyes_consent_update');
    }],
    [usercentrics.pageReader, 'UC_CONSENT', (onChange) => {
      const w = target();
      usercentrics.pageReader.subscribe(win(w), onChange);
      w.fire('UC_CONSENT');
    }],
    [usercentrics.pageReader, 'UC_UI_CMP_EVENT', (onChange) => {
      const w = target();
      usercentrics.pageReader.subscribe(win(w), onChange);
      w.fire('UC_UI_CMP_EVENT');
    }],
    [didomi.pageReader, 'didomiEventListeners consent.changed (array created when missing)', (onChange) => {
      const w: { didomiEventListeners?: { event: string; listener: () => void }[] } = {};
      didomi.pageReader.subscribe(win(w), onChange);
      expect(w.didomiEventListeners?.[0]?.event).toBe('consent.changed');
      w.didomiEventListeners?.[0]?.listener();
    }],
    [complianz.pageReader, 'cmplz_status_change on document', (onChange) => {
      const document = target();
      complianz.pageReader.subscribe(win({ document }), onChange);
      document.fire('cmplz_status_change');
    }],
    [shopify.pageReader, 'visitorConsentCollected on document', (onChange) => {
      const document = target();
      shopify.pageReader.subscribe(win({ document }), onChange);
      document.fire('visitorConsentCollected');
    }],
    [iubenda.pageReader, 'csConfiguration.callback.onPreferenceExpressed, keeping the shop\'s callback', (onChange) => {
      let shopCalled = 0;
      const config = { callback: { onPreferenceExpressed: () => shopCalled++ } };
      iubenda.pageReader.subscribe(win({ _iub: { csConfiguration: config } }), onChange);
      (config.callback.onPreferenceExpressed as () => void)();
      expect(shopCalled).toBe(1);
    }],
    [klaro.pageReader, 'manager.watch saveConsents', (onChange) => {
      let watcher: { update(m: unknown, name: string): void } | undefined;
      klaro.pageReader.subscribe(win({ klaro: { getManager: () => ({ watch: (w: typeof watcher) => (watcher = w) }) } }), onChange);
      watcher?.update({}, 'consents'); // a toggle, not saved: no change yet
      watcher?.update({}, 'saveConsents');
    }],
    [cookiefirst.pageReader, 'cf_consent', (onChange) => {
      const w = target();
      cookiefirst.pageReader.subscribe(win(w), onChange);
      w.fire('cf_consent');
    }],
    [axeptio.pageReader, '_axcb cookies:complete', (onChange) => {
      const w: { _axcb?: ((sdk: unknown) => void)[] } = {};
      axeptio.pageReader.subscribe(win(w), onChange);
      let complete: () => void = () => {};
      w._axcb?.[0]?.({ on: (name: string, cb: () => void) => name === 'cookies:complete' && (complete = cb) });
      complete();
    }],
  ];

  it.each(cases.map(([reader, label, run]) => [reader.platform, label, run] as const))('%s: %s', (_platform, _label, run) => {
    let calls = 0;
    run(() => calls++);
    expect(calls).toBe(1);
  });

  it('an onChange that throws does not reach the platform', () => {
    const w = target();
    cookiebot.pageReader.subscribe(win(w), thrower);
    expect(() => w.fire('CookiebotOnAccept')).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// The indexes
// ---------------------------------------------------------------------------------------------

describe('readPlatformCookies', () => {
  it('reads the first platform in the Danish/Dutch order', () => {
    const both = cookies({ CookieConsent: cb(true, true, true), CookieInformationConsent: ci(['cookie_cat_necessary'], ['cookie_cat_marketing']) });
    expect(readPlatformCookies(both)?.source).toBe('cookie-information');
  });

  it('prefers a dedicated banner to Shopify\'s own record', () => {
    const both = cookies({ _tracking_consent: shop({ a: '1', m: '1', p: '1', s: '' }), 'cookiefirst-consent': cf(false, false, false) });
    expect(readPlatformCookies(both)?.source).toBe('cookiefirst');
  });

  it('passes over a platform whose cookie holds no choice', () => {
    const stale = cookies({ CookieConsent: "{stamp:'-1',necessary:true,preferences:true,statistics:true,marketing:true,method:'implied',ver:1,utc:1,region:'NL'}", 'cmplz_banner-status': 'dismissed', cmplz_marketing: 'deny' });
    expect(readPlatformCookies(stale)).toEqual({ source: 'complianz', decidedAt: null, granted: [], denied: ['marketing'] });
  });

  it('reads prefix-named cookies', () => {
    expect(readPlatformCookies(cookies({ '_iub_cs-71185313': iub({ consent: false }) }))?.source).toBe('iubenda');
  });

  it('gives null without a readable record', () => {
    expect(readPlatformCookies(new Map())).toBeNull();
    expect(readPlatformCookies(cookies({ _ga: 'GA1.1.1', 'euconsent-v2': TC_STATISTICS_ONLY }))).toBeNull();
  });

  it.each([
    ['CookieInformationConsent', true],
    ['OptanonAlertBoxClosed', true],
    ['_iub_cs-50053366', true],
    ['cookielawinfo-checkbox-analytics', true],
    ['cmplz_rt_marketing', true],
    ['didomi_token', true],
    ['_ga', false],
    ['_iub_cs', false],
    ['cookieyes-consent-x', false],
  ] as const)('isPlatformCookie(%s) is %s', (name, expected) => {
    expect(isPlatformCookie(name)).toBe(expected);
  });
});

describe('PLATFORM_SIGNATURES and platformOfHost', () => {
  it('has one signature per platform, each with its sources', async () => {
    expect(PLATFORM_SIGNATURES.map((s) => s.platform).sort()).toEqual([...PLATFORM_IDS].sort());
    for (const signature of PLATFORM_SIGNATURES) {
      const { sources } = (await import(`@/lib/consent/platforms/${signature.platform}.ts`)) as { sources: readonly string[] };
      expect(sources.length, signature.platform).toBeGreaterThan(0);
      expect(signature.selectors.length).toBeGreaterThan(0);
      for (const host of signature.hosts) expect(host).toMatch(/^[a-z0-9.-]+$/);
    }
  });

  it.each([
    ['consent.cookiebot.com', 'cookiebot'],
    ['consent.cookiebot.eu', 'cookiebot'],
    ['CDN.COOKIELAW.ORG.', 'onetrust'],
    ['geolocation.onetrust.com', 'onetrust'],
    ['policy.app.cookieinformation.com', 'cookie-information'],
    ['cdn-cookieyes.com', 'cookieyes'],
    ['web.cmp.usercentrics.eu', 'usercentrics'],
    ['sdk.privacy-center.org', 'didomi'],
    ['cdn.iubenda.com', 'iubenda'],
    ['cdn.kiprotect.com', 'klaro'],
    ['consent.cookiefirst.com', 'cookiefirst'],
    ['static.axept.io', 'axeptio'],
    ['notcookielaw.org', null],
    ['cookielaw.org.evil.example', null],
    ['cdn.shopify.com', null],
    ['', null],
  ] as const)('%s → %s', (host, platform) => {
    expect(platformOfHost(host)?.platform ?? null).toBe(platform);
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzzing: nothing throws, every record is valid and never both grants and refuses a category
// ---------------------------------------------------------------------------------------------

function valid(record: ConsentRecord | null) {
  if (record === null) return;
  expect(ConsentRecord.safeParse(record).success).toBe(true);
  expect(record.granted.filter((c) => record.denied.includes(c))).toEqual([]);
}

const VOCABULARY = [
  'action', 'consent', 'necessary', 'functional', 'analytics', 'performance', 'advertisement', 'other', 'tax', 'lastRenewedDate',
  'purposes', 'vendors', 'enabled', 'disabled', 'updated', 'timestamp', 'con', 'CMP', 'GDPR', 'a', 'm', 'p', 's', '1', '2', '3', '4', '5',
  '$$completed', '$$date', '$$googleConsentMode', 'analytics_storage', 'ad_storage', 'google_analytics', 'facebook_pixel', 'hotjar',
  'advertising', 'marketing', 'statistics', 'preferences', 'cookies', 'create_ads_profile', '__proto__', 'constructor',
];
const VALUES = ['yes', 'no', '', 'allow', 'deny', 'dismissed', '1', '0', 'granted', 'denied', 'EXPLICIT', 'explicit'];

const vocabularyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.boolean(),
    fc.constantFrom(...VALUES),
    fc.integer(),
    fc.string({ maxLength: 20 }),
    fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 6 }),
    fc.dictionary(fc.constantFrom(...VOCABULARY), tie('value'), { maxKeys: 8 }),
  ),
})).value;

const cookieValue = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.constantFrom(...VALUES),
  fc.json().map(enc),
  vocabularyJson.map((v) => json(v)),
  vocabularyJson.map((v) => base64(v)),
  fc.array(fc.tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(...VALUES)), { maxLength: 12 }).map((pairs) => pairs.map(([k, v]) => `${k}:${v}`).join(',')),
);

const COOKIE_NAMES = [...new Set(COOKIE_READERS.flatMap((r) => r.cookies.map((n) => n.replace('*', '4242'))))];

// Well-formed records with random answers, so that the folding (several answers for one category)
// is exercised, not only the parsing.
const yesNo = fc.constantFrom('yes', 'no', '');
const bool = fc.boolean();
const SERVICE_NAMES = ['google_analytics', 'Google Analytics', 'hotjar', 'matomo', 'facebook_pixel', 'google_ads', 'Google_Ads', 'bing', 'criteo', 'youtube'];
const services = fc.dictionary(fc.constantFrom(...SERVICE_NAMES), bool, { maxKeys: 8 });
const subset = (items: string[]) => fc.subarray(items);
const STRUCTURED: [CookieReader, fc.Arbitrary<Map<string, string>>][] = [
  [cookieInformation.cookieReader, fc.tuple(subset(CI_ALL), subset(CI_ALL)).map(([a, d]) => cookies({ CookieInformationConsent: ci(a, d) }))],
  [cookiebot.cookieReader, fc.tuple(bool, bool, bool).map(([p, s, m]) => cookies({ CookieConsent: cb(p, s, m) }))],
  [onetrust.cookieReader, fc.array(fc.tuple(fc.constantFrom('C0001', 'C0002', 'C0003', 'C0004', 'C0005'), fc.constantFrom('0', '1')), { maxLength: 6 }).map((g) => cookies({ OptanonConsent: OT(g.map(([id, v]) => `${id}:${v}`).join(',')) }))],
  [cookieyes.cookieReader, fc.array(fc.tuple(fc.constantFrom('necessary', 'functional', 'analytics', 'performance', 'advertisement', 'other'), yesNo), { maxLength: 8 }).map((p) => cookies({ 'cookieyes-consent': cky(['consent:yes', 'action:yes', ...p.map(([k, v]) => `${k}:${v}`)].join(',')) }))],
  [didomi.cookieReader, fc.tuple(subset(['cookies', 'create_ads_profile', 'select_personalized_ads', 'measure_content_performance', 'market_research', 'analytics-HpBJrrK7', 'marketing-V4U6naXQ']), subset(['cookies', 'create_ads_profile', 'measure_content_performance', 'analytics-HpBJrrK7', 'marketing-V4U6naXQ']), fc.constantFrom(TC_STATISTICS_ONLY, TC_NOTHING, '')).map(([e, d, tc]) => cookies({ didomi_token: didomiToken(e, d), ...(tc ? { 'euconsent-v2': tc } : {}) }))],
  [complianz.cookieReader, fc.tuple(fc.constantFrom('allow', 'deny'), fc.constantFrom('allow', 'deny'), fc.constantFrom('allow', 'deny')).map(([p, s, m]) => cookies({ 'cmplz_banner-status': 'dismissed', cmplz_functional: 'allow', cmplz_preferences: p, cmplz_statistics: s, cmplz_marketing: m }))],
  [shopify.cookieReader, fc.record({ a: fc.constantFrom('1', '0', ''), m: fc.constantFrom('1', '0', ''), p: fc.constantFrom('1', '0', ''), s: fc.constantFrom('1', '0', '') }).map((cmp) => cookies({ _tracking_consent: shop(cmp) }))],
  [iubenda.cookieReader, fc.dictionary(fc.constantFrom('1', '2', '3', '4', '5'), bool).map((purposes) => cookies({ '_iub_cs-50053366': iub({ purposes }) }))],
  [cookiefirst.cookieReader, fc.tuple(bool, bool, bool).map(([p, f, a]) => cookies({ 'cookiefirst-consent': cf(p, f, a) }))],
  [klaro.cookieReader, services.map((s) => cookies({ klaro: json(s) }))],
  [axeptio.cookieReader, fc.tuple(services, fc.constantFrom('granted', 'denied'), fc.constantFrom('granted', 'denied')).map(([s, a, ad]) => cookies({ axeptio_cookies: ax(s, { $$googleConsentMode: { analytics_storage: a, ad_storage: ad } }) }))],
];

describe('fuzzing', () => {
  it('no cookie reader throws, and every record is valid and disjoint', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...COOKIE_NAMES), cookieValue, { maxKeys: 6 }), (entries) => {
        const map = new Map(Object.entries(entries));
        for (const reader of COOKIE_READERS) valid(reader.read(map));
        valid(readPlatformCookies(map));
      }),
      { numRuns: 300 },
    );
  }, 10_000);

  it.each(STRUCTURED.map(([reader, arbitrary]) => [reader.platform, reader, arbitrary] as const))('%s: well-formed records with random answers are valid and disjoint', (_platform, reader, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (map) => {
        valid(reader.read(map));
        valid(readPlatformCookies(map));
      }),
      { numRuns: 300 },
    );
  }, 10_000);

  const WINDOW_KEYS = [
    'CookieInformation', 'Cookiebot', 'OneTrust', 'OnetrustActiveGroups', 'getCkyConsent', '__ucCmp', 'UC_UI', 'Didomi', 'didomiEventListeners',
    'cmplz_get_cookie', 'cmplz_has_consent', 'complianz', 'Shopify', '_iub', 'klaro', 'klaroConfig', 'CookieFirst', 'axeptioSDK', '_axcb', 'document',
  ];
  const API_KEYS = [
    'getConsentGivenFor', 'consent', 'hasResponse', 'IsAlertBoxClosed', 'GetDomainData', 'Groups', 'CustomGroupId', 'OnConsentChanged', 'getConsentDetails',
    'getServicesBaseInfo', 'shouldUserStatusBeCollected', 'getUserStatus', 'getCurrentUserStatus', 'customerPrivacy', 'currentVisitorConsent',
    'shouldShowBanner', 'cs', 'api', 'getPreferences', 'csConfiguration', 'callback', 'getManager', 'confirmed', 'savedConsents', 'config', 'services',
    'userPreferencesManager', 'choices', 'cookie', 'categories', 'isUserActionCompleted', 'type', 'given', 'status', 'history', 'length', 'name',
    'category', 'essential', 'isEssential', 'categorySlug', 'consenttype', 'push', 'on', 'watch', 'addEventListener', ...VOCABULARY,
  ];
  const pageValue = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.anything({ maxDepth: 2 }),
      fc.constantFrom(...VALUES, true, false, null),
      fc.func(tie('node')),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...API_KEYS), tie('node'), { maxKeys: 6 }),
    ),
  })).node;

  const settle = <T,>(value: T | Promise<T>) => Promise.race([Promise.resolve(value), new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 50))]);

  it('no page reader throws on arbitrary windows, and every answer is valid and disjoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...WINDOW_KEYS), pageValue, { maxKeys: 5 }), async (fake) => {
        const w = win(fake);
        for (const reader of PAGE_READERS) {
          reader.present(w);
          const reading = await settle(reader.read(w));
          reader.subscribe(w, () => {});
          if (reading === null || reading === 'hung') continue;
          if (reading.state === 'unanswered') {
            expect(reading).toEqual({ state: 'unanswered' });
            continue;
          }
          expect(reading.state).toBe('answered');
          for (const c of [...reading.granted, ...reading.denied]) expect(CONSENT_RECORD_CATEGORIES).toContain(c);
          expect(reading.granted.filter((c) => reading.denied.includes(c))).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  }, 10_000);
});
