import { describe, expect, it } from 'vitest';
import { judgeHar, parseHar } from '@/lib/har';
import type { PageReport } from '@/lib/report';
import { ACCEPTED, CI_SCRIPT, CLOUDFRONT, GA_HIT, META_HIT, REFUSED, SHOP, T0, entry, harOf } from './build';

function judge(text: string) {
  const parsed = parseHar(text);
  if (!parsed.ok) throw new Error(`not a HAR: ${JSON.stringify(parsed.problem)}`);
  const judged = judgeHar(parsed.har);
  if (!judged.ok) throw new Error(judged.problem.code);
  return judged;
}
const verdicts = (page: PageReport) => Object.fromEntries(page.trackers.map((t) => [t.id, t.verdict]));
const limits = (page: PageReport) => Object.fromEntries(page.trackers.filter((t) => t.harLimits).map((t) => [t.id, t.harLimits]));

/** A page with the banner: CloudFront, Cookie Information's script, a cookieless GA ping, then Meta fires at 5 s. */
function bannerPage(at: number, cookies: Record<string, string> = {}) {
  return [
    entry(`${SHOP}/`, { at, dest: 'document', cookies, responseHeaders: CLOUDFRONT }),
    entry(CI_SCRIPT, { at: at + 100, type: 'script', dest: 'script' }),
    entry(GA_HIT('gcs=G100&gcd=13p3p3p3p5'), { at: at + 200, type: 'ping', dest: 'empty' }),
    entry(META_HIT, { at: at + 5_000, type: 'image', dest: 'image' }),
  ];
}

describe('judging a HAR file with the extension’s own pipeline', () => {
  it('counts a refusal from the moment its record gives, though only the next page’s request carried it', () => {
    // The customer refused at 3 s (the record's timestamp); Meta fired at 5 s; the next page at 9 s carried the cookie.
    const judged = judge(harOf([...bannerPage(0), entry(`${SHOP}/checkout`, { at: 9_000, dest: 'document', cookies: { CookieInformationConsent: REFUSED } })]));
    const [home, checkout] = judged.pages;
    expect(home!.url).toBe(`${SHOP}/`);
    expect(home!.consent).toMatchObject({ source: 'cookie-information', decidedAt: new Date(T0 + 3_000).toISOString(), from: 'record', banner: 'cookie-information' });
    expect(verdicts(home!)).toEqual({ aws: 'necessary', 'google-analytics': 'denied-ping', 'meta-pixel': 'against-choice' });
    expect(limits(home!)).toEqual({});
    expect(home!.capture).toEqual({ from: 'har', creator: 'Chromium DevTools', cookies: true });
    // The next page began with the choice already made: carried over, as the live extension sees it.
    expect(checkout!.consent).toMatchObject({ source: 'cookie-information', decidedAt: new Date(T0 + 3_000).toISOString() });
  });

  it('keeps the record’s own moment within the requests that bound it: it cannot be backdated past one that carried none', () => {
    const early = encodeURIComponent(decodeURIComponent(REFUSED).replace(new Date(T0 + 3_000).toISOString(), new Date(T0 - 60_000).toISOString()));
    const judged = judge(harOf([...bannerPage(0), entry(`${SHOP}/img.png`, { at: 6_000, dest: 'image' }), entry(`${SHOP}/next`, { at: 9_000, dest: 'document', cookies: { CookieInformationConsent: early } })]));
    // The record says a minute before the page; the image request at 6 s carried none: it counts from 6 s, after Meta.
    expect(judged.pages[0]!.consent.decidedAt).toBe(new Date(T0 + 6_000).toISOString());
    expect(verdicts(judged.pages[0]!)['meta-pixel']).toBe('before-choice');
  });

  it('marks a violation as resting on the page’s own world when no later request could show a choice', () => {
    const judged = judge(harOf(bannerPage(0)));
    const [home] = judged.pages;
    expect(verdicts(home!)).toMatchObject({ 'meta-pixel': 'before-choice' });
    expect(limits(home!)).toEqual({ 'meta-pixel': ['page-world'] });
  });

  it('marks every unsure verdict when the file holds no cookies (Chrome’s sanitized export)', () => {
    const judged = judge(harOf([...bannerPage(0), entry(`${SHOP}/next`, { at: 9_000, dest: 'document' })]));
    expect(judged.cookies).toBe(false);
    expect(judged.pages[0]!.capture?.cookies).toBe(false);
    expect(limits(judged.pages[0]!)).toEqual({ 'meta-pixel': ['page-world'] });
  });

  it('counts a record with no moment of its own from the request that carried it, and marks what came between', () => {
    const klaro = encodeURIComponent(JSON.stringify({ 'google-analytics': false, 'meta-pixel': false }));
    const judged = judge(harOf([...bannerPage(0, {}), entry(`${SHOP}/next`, { at: 9_000, dest: 'document', cookies: { klaro } })]));
    const home = judged.pages[0]!;
    expect(home.consent).toMatchObject({ source: 'klaro', decidedAt: new Date(T0 + 9_000).toISOString() });
    // Live, Klaro's own API would have told the moment; here Meta's hit may have come after the refusal.
    expect(verdicts(home)['meta-pixel']).toBe('before-choice');
    expect(limits(home)).toEqual({ 'meta-pixel': ['page-world'] });
  });

  it('reads a record the shop’s server wrote (Set-Cookie) from the response, between its request and its answer', () => {
    // Shopify's _tracking_consent as its Customer Privacy API writes it after "refuse all" (a real capture).
    const refused = '%7B%22con%22%3A%7B%22CMP%22%3A%7B%22a%22%3A%220%22%2C%22m%22%3A%220%22%2C%22p%22%3A%220%22%2C%22s%22%3A%22%22%7D%7D%2C%22v%22%3A%222.1%22%2C%22region%22%3A%22DE%22%2C%22reg%22%3A%22GDPR%22%7D';
    const judged = judge(
      harOf([
        entry(`${SHOP}/`, { at: 0, dest: 'document' }),
        entry(`${SHOP}/api/unstable/graphql.json`, { at: 3_000, time: 100, method: 'POST', type: 'fetch', setCookie: [`_tracking_consent=${refused}; Domain=mijnliefsteboek.nl; Path=/; Max-Age=31536000; SameSite=Lax`] }),
        entry(META_HIT, { at: 5_000, type: 'image' }),
        entry(`${SHOP}/next`, { at: 9_000, dest: 'document', cookies: { _tracking_consent: refused } }),
      ]),
    );
    const home = judged.pages[0]!;
    expect(home.consent).toMatchObject({ source: 'shopify', decidedAt: new Date(T0 + 3_100).toISOString(), denied: ['functional', 'statistics', 'marketing'] });
    expect(verdicts(home)).toEqual({ 'meta-pixel': 'against-choice' });
  });

  it('reads a choice made before the capture from the first page’s own request', () => {
    const judged = judge(harOf(bannerPage(0, { CookieInformationConsent: ACCEPTED })));
    const home = judged.pages[0]!;
    expect(home.consent).toMatchObject({ source: 'cookie-information', granted: expect.arrayContaining(['marketing', 'statistics']) });
    expect(verdicts(home)).toMatchObject({ 'meta-pixel': 'consented' });
  });

  it('finds the pages in Firefox’s shape: titles are document titles, times carry an offset, no resource types', () => {
    const entries = [
      entry(`${SHOP}/`, { at: 0, offset: '+01:00', pageref: 'page_1', responseHeaders: CLOUDFRONT }),
      entry(CI_SCRIPT, { at: 100, offset: '+01:00', pageref: 'page_1' }),
      entry(META_HIT, { at: 5_000, offset: '+01:00', pageref: 'page_1' }),
      entry(`${SHOP}/checkout`, { at: 9_000, offset: '+01:00', pageref: 'page_2', cookies: { CookieInformationConsent: REFUSED } }),
    ];
    const judged = judge(
      harOf(entries, {
        creator: { name: 'Firefox', version: '128.0' },
        browser: { name: 'Firefox', version: '128.0' },
        pages: [
          { id: 'page_1', startedDateTime: '2026-11-30T11:00:00.000+01:00', title: 'Mijn Liefste Boek' },
          { id: 'page_2', startedDateTime: '2026-11-30T11:00:09.000+01:00', title: 'Afrekenen' },
        ],
      }),
    );
    expect(judged.pages.map((p) => p.url)).toEqual([`${SHOP}/`, `${SHOP}/checkout`]);
    expect(judged.creator).toBe('Firefox 128.0');
    expect(verdicts(judged.pages[0]!)).toEqual({ aws: 'necessary', 'meta-pixel': 'against-choice' });
  });

  it('reads Consent Mode from Google’s hits: an update is a change between two hits of the page', () => {
    const judged = judge(
      harOf([
        entry(`${SHOP}/`, { at: 0, dest: 'document' }),
        entry(GA_HIT('gcs=G100&gcd=13p3p3p3p5'), { at: 200, type: 'ping' }),
        entry(GA_HIT('gcs=G111&gcd=13r3r3r3r5', '&gcu=1'), { at: 3_000, type: 'ping' }),
        entry(META_HIT, { at: 3_100, type: 'image' }),
      ]),
    );
    const home = judged.pages[0]!;
    // No record could be read: Consent Mode's update stands in, as it does live, and the verdicts say so.
    expect(home.consent).toMatchObject({ source: 'consent-mode', from: 'consent-mode' });
    expect(verdicts(home)).toEqual({ 'google-analytics': 'denied-ping', 'meta-pixel': 'consented' });
    expect(limits(home)).toEqual({ 'google-analytics': ['consent-mode-hits'], 'meta-pixel': ['consent-mode-hits'] });
  });

  it('reads UET’s asc=D as a cookieless hit', () => {
    const judged = judge(
      harOf([
        entry(`${SHOP}/`, { at: 0, dest: 'document' }),
        entry(CI_SCRIPT, { at: 100, type: 'script' }),
        entry('https://bat.bing.com/action/0?ti=187654321&Ver=2&mid=8f2c&evt=pageLoad&asc=D', { at: 300, type: 'image' }),
        entry(`${SHOP}/next`, { at: 9_000, dest: 'document' }),
      ]),
    );
    expect(verdicts(judged.pages[0]!)).toEqual({ 'microsoft-ads': 'denied-ping' });
  });

  it('judges a cookie the shop’s server set by its Set-Cookie, and a cookie a script wrote by the next request that carried it', () => {
    const judged = judge(
      harOf([
        entry(`${SHOP}/`, { at: 0, dest: 'document' }),
        entry(CI_SCRIPT, { at: 100, type: 'script' }),
        entry('https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&en=page_view', { at: 500, type: 'ping', setCookie: ['FPID=FPID2.2.abc; Domain=.mijnliefsteboek.nl; Path=/; HttpOnly; Secure'] }),
        entry('https://connect.facebook.net/en_US/fbevents.js', { at: 600, type: 'script' }),
        entry(`${SHOP}/next`, { at: 9_000, dest: 'document', cookies: { FPID: 'FPID2.2.abc', _fbp: 'fb.1.1796101128305.6667881781' } }),
      ]),
    );
    const home = judged.pages[0]!;
    const ga = home.trackers.find((t) => t.id === 'google-analytics')!;
    expect(ga).toMatchObject({ verdict: 'before-choice', cookies: ['FPID'], relays: [{ host: 'sst.mijnliefsteboek.nl', party: 'shop' }] });
    const meta = home.trackers.find((t) => t.id === 'meta-pixel')!;
    // Written by Meta's script at a moment the HAR cannot show: placed with its last request before the next page.
    expect(meta.cookies).toEqual(['_fbp']);
    expect(meta.verdict).toBe('before-choice');
  });

  it('names a third party the policy does not, from every request (the live extension sees them in Resource Timing)', () => {
    const judged = judge(harOf([entry(`${SHOP}/`, { at: 0, dest: 'document' }), entry('https://www.clarity.ms/tag/abc', { at: 100, type: 'script' }), entry('data:image/png;base64,AAAA', { at: 120, type: 'image' })]));
    expect(judged.pages[0]!.unlisted).toEqual([{ host: 'www.clarity.ms', requests: 1, company: 'Microsoft Corporation', country: 'US', purpose: 'session-recording' }]);
  });

  it('leaves out what is no page of the shop, and says so when nothing is', () => {
    const judged = judge(harOf([entry('https://www.example.org/', { at: 0, dest: 'document' }), entry(GA_HIT('gcs=G111'), { at: 100 }), entry(`${SHOP}/`, { at: 1_000, dest: 'document' })]));
    expect(judged.pages.map((p) => p.url)).toEqual([`${SHOP}/`]);
    const parsed = parseHar(harOf([entry('https://www.example.org/', { at: 0, dest: 'document' })]));
    expect(parsed.ok && judgeHar(parsed.har)).toEqual({ ok: false, problem: { code: 'no-shop-pages' } });
  });

  it('takes no page the shop’s speculation rules had the browser fetch ahead for a page of its own', () => {
    const ahead = (url: string, at: number, purpose: string) => entry(url, { at, type: 'document', dest: 'document', headers: [{ name: 'Sec-Purpose', value: purpose }], responseHeaders: CLOUDFRONT });
    const judged = judge(harOf([...bannerPage(0).slice(0, 3), ahead(`${SHOP}/boeken`, 1_000, 'prefetch'), ahead(`${SHOP}/over-ons`, 1_100, 'prefetch;prerender'), entry(META_HIT, { at: 5_000, type: 'image', dest: 'image' })]));
    expect(judged.pages.map((p) => p.url)).toEqual([`${SHOP}/`]);
    // The Meta pixel that fired after them is the page's.
    expect(verdicts(judged.pages[0]!)['meta-pixel']).toBeDefined();
  });

  it('takes a redirect to the shop’s page as one page', () => {
    const judged = judge(harOf([entry('https://mijnliefsteboek.nl/', { at: 0, dest: 'document', status: 301, headers: [] }), entry(`${SHOP}/`, { at: 50, dest: 'document' })]));
    expect(judged.pages.map((p) => p.url)).toEqual([`${SHOP}/`]);
  });
});
