import { describe, expect, it } from 'vitest';
import { activeEntries, MAX_UNLISTED_HOSTS } from '@/lib/observe';
import { MAX_KEPT_ADDRESS, MAX_OVERFLOW_HOSTS, MAX_RECONCILED_URLS, MAX_UNLISTED_REQUESTS, keptAddress, newTabState, overflowHostSeen, readStoredTabState, storedTabState, type TabState } from '@/lib/observe/tab-state';
import { handleContentMessage } from '@/lib/observe/content-messages';
import type { ContentMessage } from '@/lib/messages/schema';
import { CLOUDFRONT_HEADERS, makeObserver, memoryArea, request } from './fakes';

const SHOP = 'https://www.mijnliefsteboek.nl/';
/** One page load's Resource Timing report. */
const PAGE = '0123456789abcdef';

/** Resource Timing entries numbered in report order, as the content script sends them. */
function reported(entries: { url: string; initiatorType: string; startTime: number }[], from = 1) {
  return entries.map((entry, i) => ({ ...entry, seq: from + i }));
}

function openShopPage(observer: ReturnType<typeof makeObserver>['observer'], tabId = 7, url = SHOP) {
  const page = request(url, { tabId, type: 'main_frame' });
  observer.requestStarted(page);
  observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
}

describe('observer', () => {
  it('starts a visit on a shop page and counts each catalog request once', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const hit = request('https://region1.google-analytics.com/g/collect?v=2&tid=G-1', { type: 'ping', method: 'POST' });
    observer.requestStarted(hit);
    observer.requestEnded({ ...hit, statusCode: 204 });
    const state = store.get(7)!;
    expect(state.url).toBe(SHOP);
    expect(state.entries['google-analytics']?.requests).toBe(1);
    expect(state.entries.aws?.requests).toBe(1);
    expect(activeEntries(state).sort()).toEqual(['aws', 'google-analytics']);
    expect(writer.visits).toHaveLength(1);
    const row = writer.observations.get(`${state.visitId}:r${hit.requestId}`)!;
    expect(row).toMatchObject({ entryId: 'google-analytics', kind: 'hit', method: 'POST', status: 204, type: 'ping', source: 'network' });
  });

  it('counts a request once when its start arrives twice (the worker was stopped while handling it)', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const hit = request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image' });
    observer.requestStarted(hit);
    observer.requestStarted(hit);
    observer.requestEnded({ ...hit, statusCode: 200 });
    const state = store.get(7)!;
    expect(state.entries['meta-pixel']?.requests).toBe(1);
    expect(state.requests.filter((r) => r.entryId === 'meta-pixel')).toHaveLength(1);
    expect([...writer.observations.keys()].filter((id) => id.endsWith(`:r${hit.requestId}`))).toHaveLength(1);
  });

  it('collects nothing on a tab that is not showing the shop', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    observer.requestStarted(request('https://www.example.org/', { type: 'main_frame' }));
    observer.requestStarted(request('https://region1.google-analytics.com/g/collect'));
    observer.pageResources(7, reported([{ url: 'https://static.hotjar.com/c/hotjar-1.js', initiatorType: 'script', startTime: 3 }]), PAGE);
    expect(store.all()).toEqual([]);
    expect(writer.observations.size).toBe(0);
  });

  it('ends the visit when the tab leaves the shop, and starts a new one on the next shop page', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const first = store.get(7)!.visitId;
    observer.tabNavigated(7, undefined, 5_000); // a site we hold no permission for: no URL
    expect(store.get(7)).toBeUndefined();
    openShopPage(observer, 7, `${SHOP}checkout`);
    expect(store.get(7)!.visitId).not.toBe(first);
    observer.tabNavigated(7, `${SHOP}checkout`, 6_000);
    expect(store.get(7)!.url).toBe(`${SHOP}checkout`);
  });

  it('keeps a visit when a new tab reports its stale about:blank after the shop page started loading', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    observer.tabNavigated(7, 'about:blank', 5_000);
    expect(store.get(7)?.entries.aws?.requests).toBe(1);
  });

  it('keeps a visit when the hidden address was a new tab’s placeholder, looked at again after the shop page started', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    // Chromium: "loading" for the new tab's about:blank (address hidden) at 900, the shop page's request at
    // 1,000; on a slow first load the address is still hidden when the background looks again.
    openShopPage(observer);
    const started = store.get(7)!.startedAt;
    observer.tabNavigated(7, undefined, started - 100);
    expect(store.get(7)?.entries.aws?.requests).toBe(1);
    // A hidden address after the visit began is a page the extension may not see: the visit ends.
    observer.tabNavigated(7, undefined, started + 100);
    expect(store.get(7)).toBeUndefined();
  });

  it('keeps a visit whose page is still on its way when the tab’s address is hidden (Firefox’s second "loading" of a new tab)', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    // Firefox under load, as traced: "loading" with no address at 937 and at 1,101, the page's request at
    // 1,085; looked at again 500 ms later the address is still hidden, the page not yet arrived.
    const page = request(`${SHOP}test/meta-pixel`, { type: 'main_frame', timeStamp: 1_085 });
    observer.requestStarted(page);
    const visit = store.get(7)!.visitId;
    observer.tabNavigated(7, undefined, 937);
    observer.tabNavigated(7, undefined, 1_101);
    expect(store.get(7)?.visitId).toBe(visit);
    // The page commits: its address shows, and it is the same visit.
    observer.tabNavigated(7, `${SHOP}test/meta-pixel`, 1_682);
    observer.requestEnded({ ...page, timeStamp: 1_604, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    const pixel = request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image', timeStamp: 1_900 });
    observer.requestStarted(pixel);
    expect(store.get(7)).toMatchObject({ visitId: visit, entries: { aws: { requests: 1 }, 'meta-pixel': { requests: 1 } } });
    expect(new Set(writer.visits.map((v) => v.id))).toEqual(new Set([visit]));
    // Once the page has arrived, a hidden address is a page the extension may not see: the visit ends.
    observer.tabNavigated(7, undefined, 2_000);
    expect(store.get(7)).toBeUndefined();
  });

  it('keeps one visit when Firefox tells the page’s request after the tab’s navigation and the page’s cookie writes', async () => {
    const { observer, store, writer, tick } = makeObserver();
    await store.ready;
    // As traced in Firefox under load (times from the trace, less 1,796,501,877,000): the page's request
    // began at 1,379 and its response at 1,427 set AWSALB; the background heard the jar's AWSALB at
    // 1,418, the tab's shop address at 1,453, the page's own _ga and _fbp at 1,473 and 1,478, and only
    // then the request (at 1,481) and its end.
    const url = `${SHOP}test/cookies-only`;
    const jar = (name: string, value: string, domain = '.mijnliefsteboek.nl') => observer.cookieChanged({ removed: false, cause: 'explicit', name, domain, value });
    tick(418);
    jar('AWSALB', 'alb', 'www.mijnliefsteboek.nl');
    tick(35);
    observer.tabNavigated(7, url, 1_453);
    const visit = store.get(7)!.visitId;
    tick(20);
    jar('_ga', 'GA1.1.1.1');
    tick(5);
    jar('_fbp', 'fb.1.1.2');
    const page = request(url, { type: 'main_frame', timeStamp: 1_379 });
    observer.requestStarted(page);
    observer.requestEnded({ ...page, timeStamp: 1_427, statusCode: 200, responseHeaders: [...CLOUDFRONT_HEADERS, { name: 'set-cookie', value: 'AWSALB=alb; Path=/; Max-Age=604800; SameSite=None; Secure' }] });
    const state = store.get(7)!;
    expect(state).toMatchObject({ visitId: visit, startedAt: 1_379 });
    expect(state.cookieWrites.map((w) => [w.name, w.at, w.by ?? 'page'])).toEqual([
      ['AWSALB', 1_418, 'server'],
      ['_ga', 1_473, 'page'],
      ['_fbp', 1_478, 'page'],
    ]);
    expect(activeEntries(state).sort()).toEqual(['aws', 'google-analytics', 'meta-pixel']);
    // One visit in the history, starting when its request did.
    expect(new Set(writer.visits.map((v) => v.id))).toEqual(new Set([visit]));
    expect(writer.visits.at(-1)).toMatchObject({ id: visit, startedAt: 1_379 });
  });

  it('gives a visit the cookie writes told before its page’s request, and none from before that request began', async () => {
    const { observer, store, tick } = makeObserver();
    await store.ready;
    const jar = (name: string, value: string) => observer.cookieChanged({ removed: false, cause: 'explicit', name, domain: '.mijnliefsteboek.nl', value });
    tick(300);
    jar('_gcl_au', '1.1.1'); // 1,300: the page before
    tick(173);
    jar('_ga', 'GA1.1.1.1'); // 1,473: this page's, told before its request
    openShopPage(observer, 7, `${SHOP}test/cookies-only`);
    // `request` dates the page at 2,000 and more: told late, it began before the write.
    const late = request(`${SHOP}test/cookies-only`, { tabId: 8, type: 'main_frame', timeStamp: 1_379 });
    observer.requestStarted(late);
    expect(store.get(8)!.cookieWrites.map((w) => w.name)).toEqual(['_ga']);
    expect(store.get(8)!.entries['google-ads']).toBeUndefined();
    // A request that began after the write: the write was the page before's.
    expect(store.get(7)!.cookieWrites.map((w) => w.name)).toEqual([]);
  });

  it('starts a new visit for a request begun after the visit the tab’s navigation started, or for another page', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    // A page from the back/forward cache (no request), then reloaded.
    observer.tabNavigated(7, `${SHOP}checkout#betalen`, 5_000);
    const restored = store.get(7)!.visitId;
    observer.requestStarted(request(`${SHOP}checkout`, { type: 'main_frame', timeStamp: 5_200 }));
    expect(store.get(7)!.visitId).not.toBe(restored);
    // Another page's request, though begun before the navigation was told.
    observer.tabNavigated(9, `${SHOP}checkout`, 6_000);
    const other = store.get(9)!.visitId;
    observer.requestStarted(request(`${SHOP}over/privacybeleid`, { tabId: 9, type: 'main_frame', timeStamp: 5_900 }));
    expect(store.get(9)!.visitId).not.toBe(other);
    // The tab's address carries a fragment, the request's never does: told late, it is the same page.
    observer.tabNavigated(10, `${SHOP}checkout#betalen`, 7_000);
    const same = store.get(10)!.visitId;
    observer.requestStarted(request(`${SHOP}checkout`, { tabId: 10, type: 'main_frame', timeStamp: 6_950 }));
    expect(store.get(10)).toMatchObject({ visitId: same, startedAt: 6_950 });
    expect(writer.visits.filter((v) => v.tabId === 10).map((v) => v.id)).toEqual([same, same]);
  });

  it('records a write the shop’s server told of once when the late request brings in the jar’s copy', async () => {
    const { observer, store, writer, tick } = makeObserver();
    await store.ready;
    const url = `${SHOP}test/server-side`;
    tick(440);
    observer.cookieChanged({ removed: false, cause: 'explicit', name: 'FPID', domain: '.mijnliefsteboek.nl', value: 'FPID2.2.abc' }); // 1,440
    tick(13);
    observer.tabNavigated(7, url, 1_453);
    // The tagging server's response that set it, heard after the navigation.
    const hit = request('https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-1&cid=1.2', { type: 'ping', method: 'POST', timeStamp: 1_438 });
    observer.requestEnded({ ...hit, statusCode: 204, responseHeaders: [{ name: 'set-cookie', value: 'FPID=FPID2.2.abc; Domain=.mijnliefsteboek.nl; Path=/; Max-Age=63072000; Secure; HttpOnly' }] });
    observer.requestStarted(request(url, { type: 'main_frame', timeStamp: 1_379 }));
    const fpid = store.get(7)!.cookieWrites.filter((w) => w.name === 'FPID');
    expect(fpid).toEqual([expect.objectContaining({ by: 'server' })]);
    expect(writer.cookies.filter((c) => c.name === 'FPID').map((c) => c.by)).toEqual(['server']);
  });

  it('logs a write the late request brings in under the consent state it was told in', async () => {
    const { observer, store, writer, tick, now } = makeObserver();
    await store.ready;
    const url = `${SHOP}test/cookies-only`;
    const ga = (value: string) => observer.cookieChanged({ removed: false, cause: 'explicit', name: '_ga', domain: '.mijnliefsteboek.nl', value });
    tick(420);
    ga('GA1.1.before'); // 1,420: before the navigation was told, so only kept
    tick(33);
    observer.tabNavigated(7, url, now());
    tick(7);
    const refusal = encodeURIComponent(JSON.stringify({ timestamp: new Date(1_460).toISOString(), consents_approved: ['cookie_cat_necessary'], consents_denied: ['cookie_cat_statistic', 'cookie_cat_marketing'] }));
    observer.cookieChanged({ removed: false, cause: 'explicit', name: 'CookieInformationConsent', domain: '.mijnliefsteboek.nl', value: refusal });
    tick(10);
    ga('GA1.1.after'); // 1,470: after the refusal
    observer.requestStarted(request(url, { type: 'main_frame', timeStamp: 1_379 }));
    const visit = store.get(7)!.visitId;
    expect(writer.cookies.filter((c) => c.name === '_ga').map((c) => [c.id, c.value])).toEqual([
      [`${visit}|_ga|mijnliefsteboek.nl|set|1`, 'GA1.1.after'],
      [`${visit}|_ga|mijnliefsteboek.nl|set|0`, 'GA1.1.before'],
    ]);
  });

  it('starts a visit of its own for a late request that was redirected, with the cookie writes told before it', async () => {
    const { observer, store, tick } = makeObserver();
    await store.ready;
    // The tab shows where the redirect ended (/nl/); the late request names its first address (/nl).
    observer.tabNavigated(7, `${SHOP}nl/`, 1_453);
    const shown = store.get(7)!.visitId;
    tick(473);
    observer.cookieChanged({ removed: false, cause: 'explicit', name: '_ga', domain: '.mijnliefsteboek.nl', value: 'GA1.1.1' });
    const page = request(`${SHOP}nl`, { type: 'main_frame', timeStamp: 1_379 });
    observer.requestStarted(page);
    observer.requestStarted({ ...page, url: `${SHOP}nl/`, timeStamp: 1_390 });
    expect(store.get(7)).toMatchObject({ url: `${SHOP}nl/`, startedAt: 1_379 });
    expect(store.get(7)!.visitId).not.toBe(shown);
    expect(store.get(7)!.cookieWrites.map((w) => w.name)).toEqual(['_ga']);
  });

  describe('a page whose own request the background was not told of', () => {
    // Chromium's webRequest does not show a navigation the shop's service worker served (tagging.e2e.ts),
    // and Firefox under load tells a page's request after the page has begun to report.
    const CHECKOUT = `${SHOP}checkout`;
    const announce = (observer: ReturnType<typeof makeObserver>['observer'], pageStart: number, url: string) =>
      handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, resources: [], pageStart }, url);

    async function onHomePage() {
      const env = makeObserver();
      await env.store.ready;
      env.observer.requestStarted(request(SHOP, { type: 'main_frame', timeStamp: 1_000 }));
      return { ...env, home: env.store.get(7)!.visitId };
    }

    it('begins its visit with its first report, dated when the page began, and what follows is the new visit’s', async () => {
      const { observer, store, writer, tick, now, home } = await onHomePage();
      tick(9_000); // the observer's clock is now 10,000
      expect(announce(observer, 9_800, CHECKOUT)).toBe(true);
      const checkout = store.get(7)!;
      expect(checkout).toMatchObject({ url: CHECKOUT, startedAt: 9_800 });
      expect(checkout.visitId).not.toBe(home);
      expect(writer.visits.at(-1)).toMatchObject({ id: checkout.visitId, url: CHECKOUT, startedAt: 9_800 });
      observer.requestStarted(request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image', timeStamp: now() }));
      expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(1);
      // Its banner, reported next, is its own.
      observer.bannerSeen(7, 'cookie-information', true, now(), { start: 9_800, url: CHECKOUT });
      expect(store.get(7)).toMatchObject({ visitId: checkout.visitId, banner: { cmp: 'cookie-information', showing: true } });
    });

    it('dates what a page loaded from the page’s start, which Resource Timing counts from', async () => {
      const { observer, store, tick } = await onHomePage();
      tick(60_000);
      // A page the back/forward cache showed again, its visit begun when it came back (the tab said so).
      observer.tabRemoved(7);
      observer.tabNavigated(7, CHECKOUT, 61_000);
      const pixel = { url: 'https://www.facebook.com/tr/?id=1&ev=PageView', initiatorType: 'img', startTime: 60_100, seq: 1 };
      observer.pageResources(7, [pixel], PAGE, { start: 950, url: CHECKOUT });
      expect(store.get(7)!.requests.map((r) => r.at)).toEqual([61_050]);
    });

    it('keeps the reports of the page the visit began with, and of a page that began within a second of it', async () => {
      const { observer, store, tick, home } = await onHomePage();
      tick(5_000);
      // The page's navigation began before its request; a page's clock read against the machine's may be rounded.
      expect(announce(observer, 990, SHOP)).toBe(true);
      expect(announce(observer, 1_900, CHECKOUT)).toBe(true);
      expect(store.get(7)).toMatchObject({ visitId: home, url: SHOP, startedAt: 1_000 });
    });

    it('takes in the page’s request told late, and the next page’s request starts a visit of its own', async () => {
      const { observer, store, tick, now } = await onHomePage();
      tick(9_000);
      announce(observer, 9_800, CHECKOUT);
      const checkout = store.get(7)!.visitId;
      tick(100);
      observer.requestStarted(request(CHECKOUT, { type: 'main_frame', timeStamp: 9_830 }));
      expect(store.get(7)).toMatchObject({ visitId: checkout, startedAt: 9_800 });
      // A request for the same address begun after the page's report came: the page loaded again.
      observer.requestStarted(request(CHECKOUT, { type: 'main_frame', timeStamp: now() + 500 }));
      expect(store.get(7)!.visitId).not.toBe(checkout);
    });

    it('takes in the page’s request told late when it was redirected, and follows it to the page’s address', async () => {
      const { observer, store, writer, tick } = await onHomePage();
      tick(9_000);
      // The page's report names where the redirect ended; its request, told late, names where it began.
      announce(observer, 9_800, `${SHOP}nl/`);
      const page = store.get(7)!.visitId;
      const first = request(`${SHOP}nl`, { type: 'main_frame', timeStamp: 9_810 });
      observer.requestStarted(first);
      observer.requestStarted({ ...first, url: `${SHOP}nl/`, timeStamp: 9_840 });
      expect(store.get(7)).toMatchObject({ visitId: page, url: `${SHOP}nl/`, startedAt: 9_800 });
      // No visit left behind for the redirect's first address.
      expect(new Set(writer.visits.map((v) => v.id)).size).toBe(2);
    });
  });

  describe('a page the back/forward cache showed again', () => {
    // It makes no request at all: within the shop, the tab's visit is still the page it left.
    const NEXT = `${SHOP}checkout`;
    const shown = (observer: ReturnType<typeof makeObserver>['observer'], message: Omit<Extract<ContentMessage, { type: 'page-resources' }>, 'type' | 'page'>, url = SHOP) =>
      handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, ...message }, url);

    async function backFromNextPage() {
      const env = makeObserver();
      await env.store.ready;
      env.observer.requestStarted(request(SHOP, { type: 'main_frame', timeStamp: 1_000 }));
      const home = env.store.get(7)!.visitId;
      env.tick(4_000); // 5,000
      env.observer.requestStarted(request(NEXT, { type: 'main_frame', timeStamp: 5_000 }));
      const next = env.store.get(7)!.visitId;
      env.tick(20_000); // 25,000: back
      return { ...env, home, next };
    }

    it('begins a visit of its own when it says so, marked, dated when it was shown, and logged so', async () => {
      const { observer, store, writer, tick, home, next } = await backFromNextPage();
      expect(shown(observer, { resources: [], pageStart: 950, shownAgainAt: 24_990 })).toBe(true);
      const again = store.get(7)!;
      expect(again.visitId).not.toBe(home);
      expect(again.visitId).not.toBe(next);
      expect(again).toMatchObject({ url: SHOP, startedAt: 24_990, shownAgain: true });
      expect(writer.visits.at(-1)).toMatchObject({ id: again.visitId, url: SHOP, startedAt: 24_990, shownAgain: true });
      // What it loads since counts from the page's own start, as Resource Timing does, and is the new visit's.
      tick(300);
      const pixel = { url: 'https://www.facebook.com/tr/?id=1&ev=PageView', initiatorType: 'img', startTime: 24_100, seq: 7 };
      shown(observer, { resources: [pixel], pageStart: 950, shownAgainAt: 24_990 });
      expect(store.get(7)).toMatchObject({ visitId: again.visitId });
      expect(store.get(7)!.requests.map((r) => r.at)).toEqual([25_050]);
      // Its next report is the same visit's: no visit per report.
      expect(store.get(7)!.visitId).toBe(again.visitId);
    });

    it('without the mark, a page that began before the tab’s visit is still that visit’s', async () => {
      const { observer, store, next } = await backFromNextPage();
      // A report the page queued before it was hidden (the page before's, late): as ever, the tab's visit.
      expect(shown(observer, { resources: [], pageStart: 950 })).toBe(true);
      expect(store.get(7)).toMatchObject({ visitId: next, url: NEXT });
      expect(store.get(7)!.shownAgain).toBeUndefined();
    });

    it('marks the visit the tab’s report began when the page comes back from another site', async () => {
      const { observer, store, tick } = await backFromNextPage();
      observer.tabNavigated(7, 'https://www.example.com/', 25_000);
      expect(store.get(7)).toBeUndefined();
      tick(10_000);
      observer.tabNavigated(7, NEXT, 35_000);
      const back = store.get(7)!.visitId;
      expect(store.get(7)!.shownAgain).toBeUndefined();
      expect(shown(observer, { resources: [], pageStart: 4_990, shownAgainAt: 34_995 }, NEXT)).toBe(true);
      expect(store.get(7)).toMatchObject({ visitId: back, shownAgain: true, startedAt: 35_000 });
    });

    it('takes a report the page made before it was shown again, sent again since, as nothing', async () => {
      const { observer, store } = await backFromNextPage();
      shown(observer, { resources: [], pageStart: 950, shownAgainAt: 24_990 });
      const again = store.get(7)!.visitId;
      // Made before the page left (no showing on it), sent again after: taken, so not sent again, and not counted.
      const pixel = { url: 'https://www.facebook.com/tr/?id=1&ev=PageView', initiatorType: 'img', startTime: 3_000, seq: 3 };
      expect(handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, resources: [pixel], pageStart: 950 }, SHOP)).toBe(true);
      expect(handleContentMessage(observer, 7, { type: 'consent-banner', cmp: 'cookie-information', showing: true, at: 3_100, pageStart: 950 }, SHOP)).toBe(true);
      expect(store.get(7)).toMatchObject({ visitId: again, banner: null });
      expect(store.get(7)!.entries['meta-pixel']).toBeUndefined();
    });

    it('takes no page request told late into the visit of a page shown again: it made none', async () => {
      const { observer, store, tick } = await backFromNextPage();
      shown(observer, { resources: [], pageStart: 950, shownAgainAt: 24_990 });
      const again = store.get(7)!.visitId;
      tick(300);
      // The customer went on within the moment before the page's report came: that request is the next page's.
      observer.requestStarted(request(NEXT, { type: 'main_frame', timeStamp: 25_100 }));
      expect(store.get(7)!.visitId).not.toBe(again);
      expect(store.get(7)).toMatchObject({ url: NEXT, startedAt: 25_100 });
      expect(store.get(7)!.shownAgain).toBeUndefined();
    });

    describe('told first by its own request (Chromium names a request’s document)', () => {
      const HOME_DOCUMENT = 'A1B2C3D4E5F60718293A4B5C6D7E8F90';
      const NEXT_DOCUMENT = '0F9E8D7C6B5A49382716F5E4D3C2B1A0';
      const pixel = (at: number, overrides: Partial<Parameters<typeof request>[1]> = {}) =>
        request(`https://www.facebook.com/tr/?id=1&ev=PageView&ts=${at}`, { type: 'image', timeStamp: at, documentId: HOME_DOCUMENT, documentLifecycle: 'active', ...overrides });

      /** Home, then the next page, each having reported from its document; then back. */
      async function backWithDocuments() {
        const env = await backFromNextPage();
        // Each page's reports, made while it was shown (5 s and 20 s ago): the first from home, at 1,200.
        expect(handleContentMessage(env.observer, 7, { type: 'page-resources', page: PAGE, resources: [], pageStart: 950 }, SHOP, HOME_DOCUMENT)).toBe(true);
        expect(handleContentMessage(env.observer, 7, { type: 'page-resources', page: 'fedcba9876543210', resources: [], pageStart: 4_990 }, NEXT, NEXT_DOCUMENT)).toBe(true);
        return env;
      }

      it('begins the page’s visit at that request, and its report, which lost the race, joins it', async () => {
        const { observer, store, writer, next } = await backWithDocuments();
        const hit = pixel(24_995);
        observer.requestStarted(hit);
        const again = store.get(7)!;
        expect(again.visitId).not.toBe(next);
        expect(again).toMatchObject({ url: SHOP, startedAt: 24_995, shownAgain: true });
        expect(again.entries['meta-pixel']?.requests).toBe(1);
        // Not counted in the visit of the page left as well: its row is the new visit's.
        expect([...writer.observations.values()].filter((row) => row.entryId === 'meta-pixel').map((row) => row.visitId)).toEqual([again.visitId]);
        // The page's report of its showing, and of the same pixel from Resource Timing: the same visit, counted once.
        const seen = { url: hit.url, initiatorType: 'img', startTime: 24_040, seq: 1 };
        expect(handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, resources: [seen], pageStart: 950, shownAgainAt: 24_990 }, SHOP, HOME_DOCUMENT)).toBe(true);
        expect(store.get(7)).toMatchObject({ visitId: again.visitId, shownAgain: true });
        expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(1);
      });

      it('goes back and forth: each page’s first request begins its visit', async () => {
        const { observer, store } = await backWithDocuments();
        observer.requestStarted(pixel(24_995));
        const home = store.get(7)!.visitId;
        observer.requestStarted(pixel(30_000, { documentId: NEXT_DOCUMENT }));
        expect(store.get(7)).toMatchObject({ url: NEXT, startedAt: 30_000, shownAgain: true });
        expect(store.get(7)!.visitId).not.toBe(home);
      });

      it('keeps in the tab’s visit a request of the page left while it goes, of a frame, or of a document no report came from', async () => {
        const { observer, store, next } = await backWithDocuments();
        observer.requestStarted(pixel(24_995, { documentLifecycle: 'pending_deletion' }));
        observer.requestStarted(pixel(24_996, { frameId: 3 }));
        observer.requestStarted(pixel(24_997, { documentId: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF' }));
        // Firefox names no document.
        observer.requestStarted(pixel(24_998, { documentId: undefined, documentLifecycle: undefined }));
        expect(store.get(7)).toMatchObject({ visitId: next, url: NEXT });
        expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(4);
      });

      it('keeps the document of the page that began last when the page left within a second reports after it', async () => {
        const { observer, store, tick } = await backFromNextPage();
        tick(600);
        // Home, begun at 25,000 and left within a second for the next page (its request at 25,600)...
        observer.requestStarted(request(NEXT, { type: 'main_frame', timeStamp: 25_600 }));
        const visit = store.get(7)!.visitId;
        // ...whose first report comes before home's last one, sent as home went.
        handleContentMessage(observer, 7, { type: 'page-resources', page: 'fedcba9876543210', resources: [], pageStart: 25_590 }, NEXT, NEXT_DOCUMENT);
        handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, resources: [], pageStart: 25_000 }, SHOP, HOME_DOCUMENT);
        observer.requestStarted(pixel(25_900, { documentId: NEXT_DOCUMENT }));
        expect(store.get(7)).toMatchObject({ visitId: visit, url: NEXT });
        expect(store.get(7)!.shownAgain).toBeUndefined();
      });

      it('keeps in a visit its page’s request began a request of the page before, not yet gone', async () => {
        const { observer, store, tick } = await backWithDocuments();
        observer.requestStarted(pixel(24_995));
        tick(5_000);
        // The customer goes on to the next page; until it arrives, home is still the tab's active document.
        observer.requestStarted(request(NEXT, { type: 'main_frame', timeStamp: 30_000 }));
        const next = store.get(7)!.visitId;
        observer.requestStarted(pixel(30_010));
        expect(store.get(7)).toMatchObject({ visitId: next, url: NEXT });
        expect(store.get(7)!.shownAgain).toBeUndefined();
      });

      it('forgets the tab’s documents with everything else', async () => {
        const { observer, store } = await backWithDocuments();
        observer.forgetEverything();
        observer.requestStarted(request(NEXT, { type: 'main_frame', timeStamp: 25_100 }));
        handleContentMessage(observer, 7, { type: 'page-resources', page: 'fedcba9876543210', resources: [], pageStart: 25_090 }, NEXT, 'D0D0D0D0D0D0D0D0D0D0D0D0D0D0D0D0');
        const visit = store.get(7)!.visitId;
        // Home's document was reported before the erase: its request is no page shown again any more.
        observer.requestStarted(pixel(25_300));
        expect(store.get(7)!.visitId).toBe(visit);
      });

      it('does not take the document of a page that began before the visit for the visit’s page', async () => {
        const { observer, store, tick } = await backWithDocuments();
        tick(100);
        // The customer reloads the next page; meanwhile a report of home, sent again (its first answer was
        // lost), comes in. The tab's visit takes it, but its page is not home's document.
        observer.requestStarted(request(NEXT, { type: 'main_frame', timeStamp: 25_100 }));
        const reload = store.get(7)!.visitId;
        handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, resources: [], pageStart: 950 }, SHOP, HOME_DOCUMENT);
        // The page being reloaded is still the tab's document until the new one arrives: no page shown again.
        observer.requestStarted(pixel(25_150, { documentId: NEXT_DOCUMENT }));
        expect(store.get(7)!.visitId).toBe(reload);
        expect(store.get(7)!.shownAgain).toBeUndefined();
      });

      it('holds the document of its page when the page’s navigation began long before the shop’s request (an ad click’s redirects)', async () => {
        const { observer, store, writer } = makeObserver();
        await store.ready;
        // The customer clicked an ad at 1,000; the ad network's redirects took 1.5 s before the shop's own hop.
        const click = request('https://www.googleadservices.com/pagead/aclk?sa=L&ai=1', { type: 'main_frame', timeStamp: 1_000 });
        observer.requestStarted(click);
        observer.requestStarted({ ...click, url: `${SHOP}?gclid=Cj0KCQ`, timeStamp: 2_500 });
        const visit = store.get(7)!.visitId;
        // The page's clock starts at the click: its report says it began 1.5 s before the visit did, from
        // the address the page left itself at (without the click's id).
        expect(handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, resources: [], pageStart: 1_000 }, SHOP, HOME_DOCUMENT)).toBe(true);
        observer.requestStarted(pixel(2_900));
        observer.requestStarted(pixel(3_400));
        expect(store.get(7)).toMatchObject({ visitId: visit, url: `${SHOP}?gclid=Cj0KCQ` });
        expect(store.get(7)!.shownAgain).toBeUndefined();
        expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(2);
        expect(new Set(writer.visits.map((v) => v.id))).toEqual(new Set([visit]));
      });

      describe('a page the shop’s speculation rules fetch or prerender (as Chromium 156 tells them)', () => {
        const BOOKS = `${SHOP}boeken`;
        const PRERENDERED = 'B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0';

        /** Home, reported from its document; then the browser prefetches one page and prerenders another. */
        async function homeWithSpeculation() {
          const env = makeObserver();
          const { observer, store } = env;
          await store.ready;
          observer.requestStarted(request(SHOP, { type: 'main_frame', timeStamp: 1_000 }));
          handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, resources: [], pageStart: 990 }, SHOP, HOME_DOCUMENT);
          const home = store.get(7)!.visitId;
          env.tick(2_000);
          // A prefetch is made by the page shown, and names its document; a prerender first fetches so too.
          const prefetch = request(`${SHOP}over-ons`, { type: 'main_frame', timeStamp: 3_000, documentId: HOME_DOCUMENT, documentLifecycle: 'active' });
          observer.requestStarted(prefetch);
          observer.requestEnded({ ...prefetch, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
          observer.requestStarted(request(BOOKS, { type: 'main_frame', timeStamp: 3_010, documentId: HOME_DOCUMENT, documentLifecycle: 'active' }));
          // Then the prerender loads in a frame of its own, and its page's requests name its document.
          const page = request(BOOKS, { type: 'main_frame', timeStamp: 3_050, frameId: 5, documentLifecycle: 'prerender' });
          observer.requestStarted(page);
          observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
          const unseen = pixel(3_200, { frameId: 5, documentId: PRERENDERED, documentLifecycle: 'prerender' });
          observer.requestStarted(unseen);
          observer.requestEnded({ ...unseen, statusCode: 200 });
          return { ...env, home, unseen };
        }

        /** The prerendered page's visit, as it must be once the page is shown: its own, a first showing, with its pixel and its own response. */
        function expectFirstShowing(shown: TabState, home: string, startedAt: number) {
          expect(shown.visitId).not.toBe(home);
          expect(shown).toMatchObject({ url: BOOKS, startedAt });
          expect(shown.shownAgain).toBeUndefined();
          expect(shown.entries['meta-pixel']?.requests).toBe(1);
          // The page's own response came while it was unseen: where the shop hosts it is the visit's.
          expect(shown.entries.aws?.requests).toBe(1);
        }

        it('begins and ends no visit, and counts nothing of them in the visit of the page shown', async () => {
          const { store, writer, home } = await homeWithSpeculation();
          expect(store.get(7)).toMatchObject({ visitId: home, url: SHOP });
          expect(store.get(7)!.entries['meta-pixel']).toBeUndefined();
          expect(store.get(7)!.entries.aws?.requests ?? 0).toBe(0);
          expect(new Set(writer.visits.map((v) => v.id))).toEqual(new Set([home]));
        });

        it('begins the prerendered page’s visit at its first request once shown: a first showing, not a showing again', async () => {
          const { observer, store, tick, home } = await homeWithSpeculation();
          tick(5_000);
          // Shown (the customer followed the link): the page's document is the tab's, in frame 0.
          observer.requestStarted(pixel(8_100, { documentId: PRERENDERED }));
          const shown = store.get(7)!;
          expectFirstShowing(shown, home, 8_100);
          // Its report, held while unseen, comes with the moment it was shown: the same visit.
          const report = { type: 'page-resources' as const, page: 'fedcba9876543210', resources: [], pageStart: 3_040, shownAt: 8_050 };
          expect(handleContentMessage(observer, 7, report, BOOKS, PRERENDERED)).toBe(true);
          expect(store.get(7)!.visitId).toBe(shown.visitId);
        });

        it('begins the prerendered page’s visit when it was shown, by its report, with what it loaded unseen', async () => {
          const { observer, store, tick, home, unseen } = await homeWithSpeculation();
          tick(5_000);
          const loadedUnseen = { url: unseen.url, initiatorType: 'img', startTime: 150, seq: 1 };
          expect(handleContentMessage(observer, 7, { type: 'page-resources', page: 'fedcba9876543210', resources: [loadedUnseen], pageStart: 3_040, shownAt: 8_000 }, BOOKS, PRERENDERED)).toBe(true);
          const shown = store.get(7)!;
          // Loaded before the customer saw the page: the visit's from its first moment.
          expectFirstShowing(shown, home, 8_000);
          expect(shown.requests.map((r) => [r.entryId, r.at])).toEqual([['aws', 8_000], ['meta-pixel', 8_000]]);
          // Its document is the visit's page: its next request stays in it.
          observer.requestStarted(pixel(8_400, { documentId: PRERENDERED }));
          expect(store.get(7)!.visitId).toBe(shown.visitId);
          expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(2);
        });
      });

      it('begins the visit of a page shown again while the next page’s request was on its way', async () => {
        const { observer, store, tick } = await backWithDocuments();
        tick(1_000);
        observer.requestStarted(request(`${SHOP}boeken`, { type: 'main_frame', timeStamp: 26_000 }));
        const abandoned = store.get(7)!.visitId;
        // Back before the new page arrived: home, from the cache, sends its page view.
        observer.requestStarted(pixel(26_100));
        expect(store.get(7)!.visitId).not.toBe(abandoned);
        expect(store.get(7)).toMatchObject({ url: SHOP, startedAt: 26_100, shownAgain: true });
      });
    });

    it('takes what the page said before as said before this visit: a stored choice, not a new one', async () => {
      const { observer, store } = await backFromNextPage();
      shown(observer, { resources: [], pageStart: 950, shownAgainAt: 24_990 });
      // Cookie Information's page API: a live choice when told once, a stored one when told again.
      const report = { source: 'cookie-information-api' as const, granted: ['necessary' as const, 'statistics' as const], denied: ['marketing' as const], at: 3_000 };
      expect(handleContentMessage(observer, 7, { type: 'page-consent', report, again: true, pageStart: 950, shownAgainAt: 24_990 }, SHOP)).toBe(true);
      const record = store.get(7)!.consent.find((c) => c.signal === undefined)!;
      expect(record).toMatchObject({ source: 'cookie-information', carriedOver: true, at: 3_000 });
      // So is the Consent Mode state the page had set: in force from before the visit.
      const update = { source: 'consent-mode' as const, command: 'update' as const, values: { ad_storage: 'granted' as const }, origin: 'dataLayer' as const, at: 2_000 };
      handleContentMessage(observer, 7, { type: 'page-consent', report: update, again: true, pageStart: 950, shownAgainAt: 24_990 }, SHOP);
      expect(store.get(7)!.consent.find((c) => c.source === 'consent-mode')).toMatchObject({ signal: 'update', carriedOver: true, at: 2_000 });
    });
  });

  it('takes no late request into a visit its own request started, and nothing the user erased', async () => {
    const { observer, store, tick } = makeObserver();
    await store.ready;
    const url = `${SHOP}checkout`;
    observer.requestStarted(request(url, { type: 'main_frame', timeStamp: 1_000 }));
    const own = store.get(7)!.visitId;
    observer.requestStarted(request(url, { type: 'main_frame', timeStamp: 990 }));
    expect(store.get(7)!.visitId).not.toBe(own);
    tick(473);
    observer.cookieChanged({ removed: false, cause: 'explicit', name: '_ga', domain: '.mijnliefsteboek.nl', value: 'GA1.1.1' });
    observer.forgetEverything();
    observer.requestStarted(request(url, { tabId: 8, type: 'main_frame', timeStamp: 1_379 }));
    expect(store.get(8)!.cookieWrites).toEqual([]);
  });

  it('keeps the jar’s last 32 writes, none older than 10 s when one is added', async () => {
    const { observer, store, tick } = makeObserver();
    await store.ready;
    const jar = (name: string, value: string) => observer.cookieChanged({ removed: false, cause: 'explicit', name, domain: '.mijnliefsteboek.nl', value });
    jar('_gcl_au', '1.1.old'); // 1,000
    tick(10_001);
    jar('_ga', 'GA1.1.new'); // 11,001: the one at 1,000 is more than 10 s older
    observer.requestStarted(request(SHOP, { type: 'main_frame', timeStamp: 900 }));
    expect(store.get(7)!.cookieWrites.map((w) => w.name)).toEqual(['_ga']);
    for (let i = 0; i < 40; i++) {
      tick(1);
      jar('_fbp', `fb.1.${i}`); // 11,002 to 11,041
    }
    observer.requestStarted(request(SHOP, { tabId: 8, type: 'main_frame', timeStamp: 900 }));
    const writes = store.get(8)!.cookieWrites;
    expect(writes).toHaveLength(32);
    expect(writes.map((w) => w.at)).toEqual(Array.from({ length: 32 }, (_, i) => 11_010 + i));
  });

  it('ends a visit whose page never arrived because the tab went to an address it hides', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    const page = request(SHOP, { type: 'main_frame', timeStamp: 1_000 });
    observer.requestStarted(page);
    observer.tabNavigated(7, undefined, 1_200);
    expect(store.get(7)).toBeDefined();
    observer.requestEnded({ ...page, timeStamp: 1_250, error: 'NS_BINDING_ABORTED' });
    expect(store.get(7)).toBeUndefined();
    // What the other site loads is not the shop's.
    observer.requestStarted(request('https://region1.google-analytics.com/g/collect?v=2&tid=G-9', { type: 'ping', timeStamp: 1_300 }));
    expect(store.all()).toEqual([]);
    expect(writer.visits).toHaveLength(1);
    expect(writer.observations.size).toBe(0);
  });

  it('keeps a visit whose page failed to load while the tab stayed on it', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    const page = request(SHOP, { type: 'main_frame', timeStamp: 1_000 });
    observer.requestStarted(page);
    const visit = store.get(7)!.visitId;
    observer.requestEnded({ ...page, timeStamp: 1_250, error: 'net::ERR_CONNECTION_RESET' });
    expect(store.get(7)?.visitId).toBe(visit);
  });

  it('follows a page’s redirects within one visit, at its final address', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    // webRequest reports each hop as a new start of the same request.
    const first = request('https://mijnliefsteboek.nl/', { type: 'main_frame', timeStamp: 1_000 });
    observer.requestStarted(first);
    const visit = store.get(7)!.visitId;
    observer.requestStarted({ ...first, url: SHOP, timeStamp: 1_040 });
    observer.requestEnded({ ...first, url: SHOP, timeStamp: 1_090, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    expect(store.get(7)).toMatchObject({ visitId: visit, url: SHOP, startedAt: 1_000 });
    expect(writer.visits.map((v) => [v.id, v.url])).toEqual([
      [visit, 'https://mijnliefsteboek.nl/'],
      [visit, SHOP],
    ]);
    // The next page load is a visit of its own, even from the same address.
    observer.requestStarted(request(SHOP, { type: 'main_frame', timeStamp: 2_000 }));
    expect(store.get(7)!.visitId).not.toBe(visit);
  });

  it('ignores service-worker requests (no tab) and tabs without a visit', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    observer.requestStarted(request('https://bat.bing.com/action/0', { tabId: -1 }));
    observer.requestEnded(request('https://bat.bing.com/action/0', { tabId: 99 }));
    expect(writer.observations.size).toBe(0);
  });

  it('reports third parties the policy does not name, from the page, bounded per tab', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const batJs = request('https://bat.bing.com/bat.js', { type: 'script' });
    observer.requestStarted(batJs);
    observer.requestEnded({ ...batJs, statusCode: 200 });
    observer.pageResources(7, reported([
      { url: 'https://static.hotjar.com/c/hotjar-3456789.js?sv=6', initiatorType: 'script', startTime: 12.5 },
      { url: 'https://script.hotjar.com/modules.8c2b1e4f.js', initiatorType: 'script', startTime: 40 },
      { url: 'https://static.hotjar.com/c/other.js', initiatorType: 'script', startTime: 41 },
      // webRequest already counts hosts we hold permission for
      { url: 'https://bat.bing.com/bat.js', initiatorType: 'script', startTime: 50 },
      { url: 'https://www.mijnliefsteboek.nl/app.js', initiatorType: 'script', startTime: 1 },
      { url: 'https://www.google.com/pagead/1p-conversion/1/', initiatorType: 'img', startTime: 60 },
    ]), PAGE);
    const state = store.get(7)!;
    expect(state.unlisted).toEqual({ 'static.hotjar.com': 2, 'script.hotjar.com': 1 });
    expect(state.entries['microsoft-ads']?.requests).toBe(1);
    expect(state.entries['google-ads']?.requests).toBe(1);

    const flood = Array.from({ length: MAX_UNLISTED_HOSTS + 50 }, (_, i) => ({ url: `https://t${i}.example/x`, initiatorType: 'img', startTime: 100 + i }));
    observer.pageResources(7, reported(flood, 7), PAGE);
    expect(Object.keys(store.get(7)!.unlisted)).toHaveLength(MAX_UNLISTED_HOSTS);
    expect(store.get(7)!.unlistedOverflow).toBe(52);
    // The same hosts asked again, named or not: more requests, no more hosts.
    observer.pageResources(7, reported(flood.map((r) => ({ ...r, startTime: r.startTime + 1_000 })), 7 + flood.length), PAGE);
    expect(Object.keys(store.get(7)!.unlisted)).toHaveLength(MAX_UNLISTED_HOSTS);
    expect(store.get(7)!.unlistedOverflow).toBe(52);
    expect(store.get(7)!.unlisted['t0.example']).toBe(2);
  });

  it('counts each host past the named ones once, up to a bound, and keeps that count across a save', () => {
    const state = newTabState(7, 'v', SHOP, 0);
    const hosts = Array.from({ length: MAX_OVERFLOW_HOSTS + 100 }, (_, i) => `b${i}.flood-beacons.example`);
    for (const host of [...hosts.slice(0, 300), ...hosts.slice(0, 300)]) overflowHostSeen(state, host);
    expect(state.unlistedOverflow).toBe(300);
    for (const host of hosts) overflowHostSeen(state, host);
    expect(state.unlistedOverflow).toBe(MAX_OVERFLOW_HOSTS);
    const saved = readStoredTabState(storedTabState(state))!;
    expect(saved.unlistedOverflow).toBe(MAX_OVERFLOW_HOSTS);
    overflowHostSeen(saved, hosts[0]!);
    expect(saved.unlistedOverflow).toBe(MAX_OVERFLOW_HOSTS);
    // A state saved by the version before (no hashes) still reads.
    const { unlistedOverflowHashes: _, ...older } = newTabState(7, 'v', SHOP, 0);
    expect(readStoredTabState(JSON.stringify(older))?.unlistedOverflowHashes).toEqual([]);
  });

  it('recovers a catalog request from the page’s report when webRequest never showed it (a stopped worker), once', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const seen = request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image' });
    observer.requestStarted(seen);
    observer.requestEnded({ ...seen, statusCode: 200 });
    const timing = reported([
      { url: seen.url, initiatorType: 'img', startTime: 20 },
      // Its webRequest events went to a worker stopped before it handled them: only the page saw it.
      { url: 'https://www.facebook.com/tr/?id=1&ev=AddToCart', initiatorType: 'img', startTime: 30 },
      // The same URL twice, seen once by webRequest: one of the two is recovered.
      { url: seen.url, initiatorType: 'img', startTime: 40 },
    ]);
    observer.pageResources(7, timing, PAGE);
    // The worker stopped before it could answer: the content script sends the same report again.
    observer.pageResources(7, timing, PAGE);
    const state = store.get(7)!;
    expect(state.entries['meta-pixel']?.requests).toBe(3);
    const rows = [...writer.observations.values()].filter((o) => o.entryId === 'meta-pixel');
    expect(rows.map((o) => o.source).sort()).toEqual(['network', 'page', 'page']);
    expect(rows.filter((o) => o.source === 'page').map((o) => o.url).sort()).toEqual(['https://www.facebook.com/tr/?id=1&ev=AddToCart', seen.url]);

    // The next page load numbers its report from 1 again.
    observer.pageResources(7, reported([{ url: 'https://www.facebook.com/tr/?id=1&ev=Purchase', initiatorType: 'img', startTime: 50 }]), 'fedcba9876543210');
    expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(4);
  });

  it('counts a request once when the page’s report reaches the worker before its webRequest events', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    // Firefox under load: the report of two images comes first, and is taken for a stopped worker's loss.
    const pixel = request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image' });
    const twin = request('https://www.facebook.com/privacy_sandbox/pixel/register/trigger/?id=1', { type: 'image', requestId: 'twin' });
    observer.pageResources(7, reported([
      { url: pixel.url, initiatorType: 'img', startTime: 20 },
      { url: twin.url, initiatorType: 'img', startTime: 21 },
    ]), PAGE);
    expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(2);
    // Then their events: the pixel's start and end, and only the end of the twin's (its start was lost).
    observer.requestStarted(pixel);
    observer.requestEnded({ ...pixel, statusCode: 200 });
    observer.requestEnded({ ...twin, statusCode: 200 });
    expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(2);
    // The same address loaded again, which the page has not reported yet: a new request.
    observer.requestStarted({ ...pixel, requestId: 'again' });
    expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(3);
  });

  it('counts a request the saved tab state lost, but logs it only if the log lacks its row', async () => {
    const logged = new Map<string, number>([['https://www.facebook.com/tr/?id=1&ev=PageView', 1]]);
    const { observer, store, writer } = makeObserver(undefined, { loggedRows: async (_visit, url) => logged.get(url) ?? 0 });
    await store.ready;
    openShopPage(observer);
    // The worker logged (journaled) both requests, then stopped before the tab state was saved with
    // them: the next worker's state counts neither. One of the two rows did not make it either.
    observer.pageResources(7, reported([
      { url: 'https://www.facebook.com/tr/?id=1&ev=PageView', initiatorType: 'img', startTime: 20 },
      { url: 'https://www.facebook.com/tr/?id=1&ev=AddToCart', initiatorType: 'img', startTime: 30 },
    ]), PAGE);
    await observer.recovered();
    expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(2);
    expect([...writer.observations.values()].filter((o) => o.entryId === 'meta-pixel').map((o) => o.url)).toEqual(['https://www.facebook.com/tr/?id=1&ev=AddToCart']);
  });

  it('stops reconciling a visit with more distinct URLs than it can remember, and counts what webRequest saw', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const urls = Array.from({ length: MAX_RECONCILED_URLS + 10 }, (_, i) => `https://www.facebook.com/tr/?id=1&n=${i}`);
    for (const url of urls) {
      const hit = request(url, { type: 'image' });
      observer.requestStarted(hit);
      observer.requestEnded({ ...hit, statusCode: 200 });
    }
    observer.pageResources(7, reported(urls.map((url, i) => ({ url, initiatorType: 'img', startTime: i }))), PAGE);
    const state = store.get(7)!;
    expect(state.reconcile.off).toBe(true);
    expect(state.entries['meta-pixel']?.requests).toBe(urls.length);
    expect(JSON.stringify(state.reconcile).length).toBeLessThan(200);
  });

  it('attributes catalog cookies on the shop domain to every open shop visit', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    openShopPage(observer, 1);
    openShopPage(observer, 2);
    observer.cookieChanged({ removed: false, cause: 'explicit', name: '_fbp', domain: '.mijnliefsteboek.nl', value: 'fb.1.1.2' });
    observer.cookieChanged({ removed: true, cause: 'overwrite', name: '_fbp', domain: '.mijnliefsteboek.nl', value: 'fb.1.1.2' });
    observer.cookieChanged({ removed: false, cause: 'explicit', name: 'session', domain: 'www.mijnliefsteboek.nl', value: 'x' });
    observer.cookieChanged({ removed: false, cause: 'explicit', name: '_fbp', domain: '.example.org', value: 'x' });
    expect(store.get(1)!.entries['meta-pixel']?.cookiesSet).toEqual(['_fbp']);
    expect(store.get(2)!.entries['meta-pixel']?.cookiesSet).toEqual(['_fbp']);
    expect(writer.cookies.map((c) => [c.name, c.change])).toEqual([['_fbp', 'set'], ['_fbp', 'set']]);
  });

  it('shows cookies already there at the start without calling their owner active', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const { visitId } = store.get(7)!;
    observer.cookiesPresent(7, visitId, [
      { name: '_ga', domain: '.mijnliefsteboek.nl', value: 'GA1.1.1.1' },
      { name: '_uetvid', domain: '.mijnliefsteboek.nl', value: 'abc' },
    ]);
    observer.cookiesPresent(7, 'an-older-visit', [{ name: '_fbp', domain: '.mijnliefsteboek.nl', value: 'x' }]);
    const state = store.get(7)!;
    expect(state.entries['google-analytics']?.cookiesPresent).toEqual(['_ga']);
    expect(state.entries['meta-pixel']).toBeUndefined();
    expect(activeEntries(state)).toEqual(['aws']);
  });

  it('counts a request once when the worker restarts between its start and its end', async () => {
    const area = memoryArea();
    const before = makeObserver(area);
    await before.store.ready;
    openShopPage(before.observer);
    const pixel = request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image' });
    before.observer.requestStarted(pixel);
    await before.store.flush();

    // A new worker: fresh memory, the same session storage.
    const after = makeObserver(area);
    await after.store.ready;
    after.observer.requestEnded({ ...pixel, statusCode: 200 });
    const unseen = request('https://www.facebook.com/tr/?id=1&ev=AddToCart', { type: 'image' });
    after.observer.requestEnded({ ...unseen, statusCode: 200 });
    expect(after.store.get(7)!.entries['meta-pixel']?.requests).toBe(2);
  });

  it('counts each request of a flood once, though more are in flight than it keeps ids for', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    // 3× MAX_PENDING_REQUESTS started before the first ends, as a page firing without end does.
    const hits = Array.from({ length: 600 }, (_, n) => request(`https://www.facebook.com/tr/?id=1&ev=Flood&n=${n}`, { type: 'image' }));
    for (const hit of hits) observer.requestStarted(hit);
    for (const hit of hits) observer.requestEnded({ ...hit, statusCode: 200 });
    const state = store.get(7)!;
    expect(state.entries['meta-pixel']?.requests).toBe(600);
    expect(state.pending).toEqual([]);
    expect(state.pendingEvicted).toBe(0);
    // An end whose start was never seen still counts once afterwards.
    observer.requestEnded({ ...request('https://www.facebook.com/tr/?id=1&ev=Late', { type: 'image' }), statusCode: 200 });
    expect(store.get(7)!.entries['meta-pixel']?.requests).toBe(601);
  });

  it('keeps where each request went and what it was, never its query: the panel and the chart show it', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer, 7, `${SHOP}?email=sanne%40voorbeeld.nl`);
    const hit = request('https://region1.google-analytics.com/g/collect?v=2&tid=G-1&uid=sanne%40voorbeeld.nl#x', { type: 'ping', method: 'POST' });
    observer.requestStarted(hit);
    observer.pageResources(7, reported([{ url: 'https://static.hotjar.com/c/hotjar-1.js?sv=6', initiatorType: 'script', startTime: 30 }]), PAGE);
    const state = store.get(7)!;
    expect(state.requests.map(({ entryId, url, kind, type, method }) => ({ entryId, url, kind, type, method }))).toEqual([
      // The shop's own page, recognised as AWS from its response headers.
      { entryId: 'aws', url: SHOP, kind: 'page', type: 'main_frame', method: 'GET' },
      { entryId: 'google-analytics', url: 'https://region1.google-analytics.com/g/collect', kind: 'hit', type: 'ping', method: 'POST' },
    ]);
    expect(state.unlistedRequests).toEqual([{ url: 'https://static.hotjar.com/c/hotjar-1.js', at: state.startedAt + 30, type: 'script' }]);
    expect(JSON.stringify([state.requests, state.unlistedRequests])).not.toContain('sanne');
  });

  it('keeps a long address short, and the first and latest requests to unnamed hosts', async () => {
    expect(keptAddress(`https://www.facebook.com/${'a'.repeat(500)}?x=1`)).toHaveLength(MAX_KEPT_ADDRESS);
    expect(keptAddress(`https://www.facebook.com/${'a'.repeat(500)}`).endsWith('…')).toBe(true);
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const count = MAX_UNLISTED_REQUESTS + 40;
    observer.pageResources(7, reported(Array.from({ length: count }, (_, i) => ({ url: `https://b${i % 3}.beacons.example/p${i}.gif`, initiatorType: 'img', startTime: i }))), PAGE);
    const state = store.get(7)!;
    expect(state.unlistedRequests).toHaveLength(MAX_UNLISTED_REQUESTS);
    expect(state.unlistedRequestsLeftOut).toBe(40);
    expect(state.unlistedRequests[0]!.url).toBe('https://b0.beacons.example/p0.gif');
    expect(state.unlistedRequests.at(-1)!.url).toBe(`https://b${(count - 1) % 3}.beacons.example/p${count - 1}.gif`);
    expect(state.unlisted['b0.beacons.example']).toBe(Math.ceil(count / 3));
  });
});
