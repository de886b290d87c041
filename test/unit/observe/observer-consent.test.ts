import { describe, expect, it } from 'vitest';
import { judgeTab } from '@/lib/observe';
import { handleContentMessage } from '@/lib/observe/content-messages';
import { CLOUDFRONT_HEADERS, makeObserver, request } from './fakes';

const SHOP = 'https://www.mijnliefsteboek.nl/';
const COOKIE = 'CookieInformationConsent';
const ALL = ['cookie_cat_necessary', 'cookie_cat_functional', 'cookie_cat_statistic', 'cookie_cat_marketing', 'cookie_cat_unclassified'];

function ciValue(approved: string[], at: number) {
  const denied = ALL.filter((c) => !approved.includes(c));
  return encodeURIComponent(JSON.stringify({ timestamp: new Date(at).toISOString(), consents_approved: approved, consents_denied: denied }));
}

async function visit(startAt = 2_000) {
  const env = makeObserver();
  await env.store.ready;
  const page = request(SHOP, { type: 'main_frame', timeStamp: startAt });
  env.observer.requestStarted(page);
  env.observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
  return { ...env, state: () => env.store.get(7)! };
}

describe('observer and consent', () => {
  it('judges a pixel fired after "reject all" against the choice, and logs the change', async () => {
    const { observer, state, writer, now } = await visit();
    observer.bannerSeen(7, 'cookie-information', true, now());
    observer.cookieChanged({ removed: false, cause: 'explicit', name: COOKIE, domain: '.mijnliefsteboek.nl', value: ciValue(['cookie_cat_necessary'], 2_500) });
    observer.requestStarted(request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image', timeStamp: 2_600 }));
    const judged = judgeTab(state(), null);
    expect(judged.entries['meta-pixel']?.verdict).toBe('against-choice');
    expect(state().consent).toHaveLength(1);
    expect(state().banner?.showing).toBe(false);
    expect([...writer.consentChanges.values()]).toHaveLength(1);
  });

  it('does not let a page backdate its choice past what was seen', async () => {
    const { observer, state, tick, now } = await visit(2_000);
    tick(5_000); // the clock of the observer is now 6_000
    observer.requestStarted(request('https://www.facebook.com/tr/?id=1', { type: 'image', timeStamp: 5_950 }));
    observer.bannerSeen(7, 'cookie-information', true, now());
    tick(1_000);
    // The record claims the choice was made long before the banner was even seen.
    observer.cookieChanged({ removed: false, cause: 'explicit', name: COOKIE, domain: '.mijnliefsteboek.nl', value: ciValue(ALL, 1_000) });
    expect(state().consent[0]).toMatchObject({ at: 6_000, receivedAt: 7_000 });
    expect(judgeTab(state(), null).entries['meta-pixel']?.verdict).toBe('before-choice');
  });

  it('dates "no choice yet" when the banner was seen, when its report comes after the click', async () => {
    // Under load the content script's report can reach the worker after the customer has clicked
    // "accept" and the tracker the click unblocked has fired: that tracker fired after the choice.
    const { observer, state, tick } = await visit(2_000);
    tick(2_000); // the observer's clock is now 3_000
    observer.cookieChanged({ removed: false, cause: 'explicit', name: COOKIE, domain: '.mijnliefsteboek.nl', value: ciValue(ALL, 2_900) });
    observer.requestStarted(request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image', timeStamp: 2_950 }));
    expect(judgeTab(state(), null).entries['meta-pixel']?.verdict).toBe('consented');
    // A late "showing" cannot move the record either: the record is there, so nothing waits any more.
    observer.bannerSeen(7, 'cookie-information', true, 2_300);
    expect(state().noRecordSince).toBeLessThanOrEqual(2_300);
    expect(judgeTab(state(), null).entries['meta-pixel']?.verdict).toBe('consented');
  });

  it('takes a banner report at the moment it was seen, kept within the visit and the present', async () => {
    const { observer, state, tick } = await visit(2_000);
    tick(3_000); // the observer's clock is now 4_000
    observer.bannerSeen(7, 'cookie-information', true, 2_400);
    expect(state().banner).toMatchObject({ showing: true, seenAt: 2_400 });
    expect(state().noRecordSince).toBe(2_400);
    // The click at 2_500 and the pixel right after it: after the choice, not before it.
    observer.cookieChanged({ removed: false, cause: 'explicit', name: COOKIE, domain: '.mijnliefsteboek.nl', value: ciValue(ALL, 2_500) });
    observer.requestStarted(request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image', timeStamp: 2_600 }));
    expect(state().consent[0]).toMatchObject({ at: 2_500 });
    expect(judgeTab(state(), null).entries['meta-pixel']?.verdict).toBe('consented');
    // A time before the visit, or after now, is no time it was seen.
    const other = await visit(2_000);
    other.tick(2_000); // 3_000
    other.observer.bannerSeen(7, 'cookie-information', true, 10);
    expect(other.state().banner?.seenAt).toBe(2_000);
    other.observer.bannerSeen(7, 'cookie-information', false, 99_999);
    expect(other.state().banner?.seenAt).toBe(3_000);
  });

  it('takes a record already there at the start as an earlier visit’s choice', async () => {
    const { observer, state } = await visit();
    observer.cookiesPresent(7, state().visitId, [{ name: COOKIE, domain: 'www.mijnliefsteboek.nl', value: ciValue(ALL, 100) }]);
    observer.requestStarted(request('https://bat.bing.com/action/0?ti=1', { type: 'image', timeStamp: 2_050 }));
    expect(state().consent[0]).toMatchObject({ carriedOver: true, at: 100 });
    expect(judgeTab(state(), null).entries['microsoft-ads']?.verdict).toBe('consented');
  });

  it('ignores an unchanged record written again, and a forged cookie on another domain', async () => {
    const { observer, state } = await visit();
    const value = ciValue(['cookie_cat_necessary'], 2_100);
    observer.cookieChanged({ removed: false, cause: 'explicit', name: COOKIE, domain: '.mijnliefsteboek.nl', value });
    observer.cookieChanged({ removed: false, cause: 'explicit', name: COOKIE, domain: '.mijnliefsteboek.nl', value });
    observer.cookieChanged({ removed: false, cause: 'explicit', name: COOKIE, domain: '.evil.example', value: ciValue(ALL, 2_200) });
    expect(state().consent).toHaveLength(1);
  });

  it('reads Consent Mode and personal data off each Google or Meta request', async () => {
    const { observer, state } = await visit();
    observer.requestStarted(request('https://region1.google-analytics.com/g/collect?v=2&gcs=G100&gcd=13p3p3p3p5', { type: 'ping', timeStamp: 2_010 }));
    observer.requestStarted(request('https://www.facebook.com/tr/?id=1&ud[em]=' + 'a'.repeat(64), { type: 'image', timeStamp: 2_020 }));
    const [ga, meta] = state().requests.filter((r) => r.entryId !== 'aws');
    expect(ga).toMatchObject({ consentMode: { adStorage: 'denied', analyticsStorage: 'denied' } });
    expect(meta).toMatchObject({ consentMode: null, personalData: [{ kind: 'hashed-email', where: 'ud[em]' }] });
  });

  it('takes the page’s TCF answer: a stored choice counts from the start, a new one from its moment', async () => {
    const { observer, state } = await visit(2_000);
    observer.pageConsent(7, { kind: 'record', record: { source: 'tcf', decidedAt: 1_900, granted: ['necessary', 'statistics'], denied: ['marketing'] }, carriedOver: true });
    expect(state().consent[0]).toMatchObject({ carriedOver: true });
    observer.pageConsent(7, { kind: 'pending', cmp: 'tcf', seenAt: 2_100 });
    expect(state().banner).toMatchObject({ cmp: 'tcf', showing: true });
  });

  it('keeps the first and the latest requests when a page never stops', async () => {
    const { observer, state } = await visit();
    for (let i = 0; i < 2_000; i++) observer.requestStarted(request(`https://www.facebook.com/tr/?id=1&n=${i}`, { type: 'image', timeStamp: 3_000 + i }));
    expect(state().requests).toHaveLength(500);
    expect(state().requestsLeftOut).toBe(1_501);
    expect(state().requests[1]!.at).toBe(3_000);
    expect(state().requests.at(-1)!.at).toBe(4_999);
    expect(state().entries['meta-pixel']?.requests).toBe(2_000);
  });
});

/**
 * Firefox under load tells the background of a page's own request late (traced: 102 ms), after the
 * page's content script may have reported its banner. Such a report is not taken (NO_VISIT_YET): the
 * content script sends it again, and it lands in the visit, not nowhere.
 */
describe('a page’s reports that come before its visit began', () => {
  it('are not taken without a visit, and are taken when sent again once it began', async () => {
    const { observer, store, now } = makeObserver();
    await store.ready;
    const pageStart = now() - 50;
    const reports: Parameters<typeof handleContentMessage>[2][] = [
      { type: 'consent-banner', cmp: 'cookie-information', showing: true, at: now(), pageStart },
      { type: 'page-consent', report: { source: 'cookie-information-api', granted: ['necessary'], denied: ['functional', 'statistics', 'marketing', 'unclassified'], at: now() }, pageStart },
      { type: 'page-resources', page: '0123456789abcdef', resources: [{ url: 'https://static.hotjar.com/c/hotjar-1.js', initiatorType: 'script', startTime: 3, seq: 1 }], pageStart },
    ];
    for (const report of reports) expect(handleContentMessage(observer, 7, report, SHOP)).toBe(false);
    expect(store.get(7)).toBeUndefined();

    const page = request(SHOP, { type: 'main_frame', timeStamp: now() - 40 });
    observer.requestStarted(page);
    observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    for (const report of reports) expect(handleContentMessage(observer, 7, report, SHOP)).toBe(true);
    expect(store.get(7)).toMatchObject({ banner: { cmp: 'cookie-information' }, consent: [{ source: 'cookie-information', granted: ['necessary'] }], unlisted: { 'static.hotjar.com': 1 } });
  });

  it('takes a consent report it reads as nothing, with or without a visit: sending it again would change nothing', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    const unreadable = { type: 'page-consent', report: { source: 'tcf', eventStatus: 'useractioncomplete', tcString: 'not a TC string', at: 1 }, pageStart: 1 } as const;
    expect(handleContentMessage(observer, 7, unreadable, SHOP)).toBe(true);
  });
});
