import { describe, expect, it } from 'vitest';
import { judgeTab } from '@/lib/observe';
import { CLOUDFRONT_HEADERS, makeObserver, memoryArea, request } from './fakes';

const SHOP = 'https://www.mijnliefsteboek.nl/';

function openShopPage(observer: ReturnType<typeof makeObserver>['observer']) {
  const page = request(SHOP, { type: 'main_frame' });
  observer.requestStarted(page);
  observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
}

describe('server-side tagging through the shop’s own hosts', () => {
  it('counts a GA4 hit through sst.<shop> as Google Analytics, names the relay, and judges its Consent Mode', async () => {
    const { observer, store, writer, now } = makeObserver();
    await store.ready;
    openShopPage(observer);
    observer.bannerSeen(7, 'cookie-information', true, now());
    const ping = request('https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&gcs=G100&gcd=13p3p3p3p5&en=page_view', { type: 'ping', method: 'POST' });
    observer.requestStarted(ping);
    observer.requestEnded({ ...ping, statusCode: 204 });
    const full = request('https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&gcs=G111&cid=123.456&en=page_view', { type: 'ping', method: 'POST' });
    observer.requestStarted(full);
    const state = store.get(7)!;
    expect(state.entries['google-analytics']).toMatchObject({ requests: 2, relays: [{ host: 'sst.mijnliefsteboek.nl', party: 'shop' }] });
    const judged = judgeTab(state, null);
    expect(judged.requestVerdicts).toEqual(['necessary', 'denied-ping', 'before-choice']);
    expect(writer.observations.get(`${state.visitId}:r${full.requestId}`)).toMatchObject({ entryId: 'google-analytics', host: 'sst.mijnliefsteboek.nl', relay: 'shop', kind: 'hit' });
    // The page sent these itself: no worker's mark.
    expect(writer.observations.get(`${state.visitId}:r${full.requestId}`)).not.toHaveProperty('worker');
    expect(state.requests.some((r) => 'worker' in r)).toBe(false);
  });

  it('keeps a hit recognised by its body as that hit when its end, which has no body, comes from the shop’s CDN', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    openShopPage(observer);
    // The Measurement Protocol's parameters in the POST body only: the address alone reads as the shop's.
    const hit = request('https://www.mijnliefsteboek.nl/g/collect', { type: 'ping', method: 'POST', body: 'v=2&tid=G-MLB1234567&gcs=G111&cid=123.456&en=page_view' });
    observer.requestStarted(hit);
    observer.requestEnded({ ...hit, body: undefined, statusCode: 204, responseHeaders: CLOUDFRONT_HEADERS });
    const state = store.get(7)!;
    expect(writer.observations.get(`${state.visitId}:r${hit.requestId}`)).toMatchObject({ entryId: 'google-analytics', relay: 'shop' });
    // AWS (the CDN) counted the shop's page only, not the hit a second time.
    expect(state.entries['aws']).toMatchObject({ requests: 1 });
    expect(state.entries['google-analytics']).toMatchObject({ requests: 1 });
  });

  it('leaves the shop’s own pages, images and API calls alone', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    for (const url of ['https://www.mijnliefsteboek.nl/api/cart', 'https://static.mijnliefsteboek.nl/covers/noor.webp', 'https://www.mijnliefsteboek.nl/boeken/noor?id=1234567&ev=1']) {
      const r = request(url, { type: 'image' });
      observer.requestStarted(r);
      observer.requestEnded({ ...r, statusCode: 200 });
    }
    expect(Object.keys(store.get(7)!.entries)).toEqual(['aws']);
  });

  it('starts a visit on a shop page whose path happens to look like a tracker’s', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    observer.requestStarted(request('https://www.mijnliefsteboek.nl/tr?id=1234567890&ev=PageView', { type: 'main_frame' }));
    expect(store.get(7)?.url).toBe('https://www.mijnliefsteboek.nl/tr?id=1234567890&ev=PageView');
  });
});

describe('cookies the shop’s server sets', () => {
  it('records a catalog cookie from a Set-Cookie header once, however the cookie jar reports it too', async () => {
    const { observer, store, writer, tick, now } = makeObserver();
    await store.ready;
    openShopPage(observer);
    observer.bannerSeen(7, 'cookie-information', true, now());
    const hit = request('https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&cid=1.2', { type: 'ping', timeStamp: 1_000 });
    observer.requestStarted(hit);
    observer.requestEnded({
      ...hit,
      timeStamp: 1_050,
      statusCode: 204,
      responseHeaders: [{ name: 'Set-Cookie', value: 'FPID=FPID2.2.abc%3D.1764000000; Domain=.mijnliefsteboek.nl; Path=/; Max-Age=63072000; Secure; HttpOnly\nsession=1; Path=/' }],
    });
    tick(50);
    // The jar's own report of the same write, a moment later: not a second write.
    observer.cookieChanged({ removed: false, cause: 'explicit', name: 'FPID', domain: '.mijnliefsteboek.nl', value: 'FPID2.2.abc%3D.1764000000' });
    const state = store.get(7)!;
    expect(state.cookieWrites).toEqual([{ entryId: 'google-analytics', name: 'FPID', at: 1_050, by: 'server' }]);
    expect(state.entries['google-analytics']!.cookiesSet).toEqual(['FPID']);
    const judged = judgeTab(state, null);
    expect(judged.entries['google-analytics']).toMatchObject({ verdict: 'before-choice' });
    expect(judged.findings.find((f) => f.kind === 'before-choice')).toMatchObject({ trackerId: 'google-analytics' });
    expect(writer.cookies.filter((c) => c.name === 'FPID')).toEqual([expect.objectContaining({ change: 'set', by: 'server', domain: 'mijnliefsteboek.nl', at: 1_050 })]);
  });

  it('marks a write the jar reported first as the server’s when its Set-Cookie arrives', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    observer.cookieChanged({ removed: false, cause: 'explicit', name: '_fbp', domain: '.mijnliefsteboek.nl', value: 'fb.1.1.2' });
    const page = request('https://www.mijnliefsteboek.nl/checkout', { type: 'xmlhttprequest', timeStamp: 1_200 });
    observer.requestEnded({ ...page, statusCode: 200, responseHeaders: [{ name: 'set-cookie', value: '_fbp=fb.1.1.2; Path=/; Max-Age=7776000' }] });
    expect(store.get(7)!.cookieWrites).toEqual([{ entryId: 'meta-pixel', name: '_fbp', at: 1_000, by: 'server' }]);
  });

  it('ignores a Set-Cookie that deletes the cookie', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const page = request('https://www.mijnliefsteboek.nl/uitloggen', { type: 'xmlhttprequest' });
    observer.requestEnded({ ...page, statusCode: 200, responseHeaders: [{ name: 'set-cookie', value: '_ga=; Path=/; Max-Age=0' }] });
    expect(store.get(7)!.cookieWrites).toEqual([]);
  });
});

describe('the page’s own response', () => {
  it('starts the visit when its request’s start was never seen, so its hosting headers count', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    const page = request(SHOP, { type: 'main_frame', tabId: 9 });
    observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    expect(store.get(9)?.entries.aws?.requests).toBe(1);
  });

  it('starts nothing for a page of another site', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    observer.requestEnded({ ...request('https://www.example.org/', { type: 'main_frame', tabId: 9 }), statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    expect(store.get(9)).toBeUndefined();
  });

});

describe('Google’s hits sent by a service worker', () => {
  it('counts a GA4 hit that Google’s tag sent through the tagging server’s service worker, which has no tab, in the tab of the page it names', async () => {
    const { observer, store, writer, now } = makeObserver();
    await store.ready;
    openShopPage(observer);
    observer.bannerSeen(7, 'cookie-information', true, now());
    const worker = { tabId: -1, frameId: -1, type: 'xmlhttprequest', method: 'POST', initiator: 'https://sst.mijnliefsteboek.nl' };
    const hit = request(`https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&cid=123.456&en=page_view&dl=${encodeURIComponent(SHOP)}`, worker);
    observer.requestStarted(hit);
    observer.requestEnded({ ...hit, statusCode: 204, responseHeaders: [{ name: 'set-cookie', value: 'FPID=FPID2.2.abc.1; Domain=.mijnliefsteboek.nl; Path=/; HttpOnly' }] });
    const state = store.get(7)!;
    expect(state.entries['google-analytics']).toMatchObject({ requests: 1, relays: [{ host: 'sst.mijnliefsteboek.nl', party: 'shop' }] });
    expect(judgeTab(state, null).requestVerdicts).toEqual(['necessary', 'before-choice']);
    expect(state.cookieWrites.find((w) => w.name === 'FPID')).toMatchObject({ entryId: 'google-analytics', by: 'server' });
    // Marked as the worker's, in the tab's state and in the log: support staff will not find it among the page's own requests.
    expect(writer.observations.get(`${state.visitId}:r${hit.requestId}`)).toMatchObject({ entryId: 'google-analytics', relay: 'shop', worker: true });
    expect(state.requests.map((r) => r.worker)).toEqual([undefined, true]);
    // The shop's own worker fetching a page of the shop is no tracker's hit: the page's visit does not count it.
    const page = request('https://www.mijnliefsteboek.nl/boeken/noor', { ...worker, type: 'other', method: 'GET', initiator: 'https://www.mijnliefsteboek.nl' });
    observer.requestStarted(page);
    observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    expect(store.get(7)!.entries['aws']).toMatchObject({ requests: 1 });
    // A hit Google's shared worker sent for another site's page is that site's.
    observer.requestStarted(request(`https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654321/?random=1&url=${encodeURIComponent('https://www.example.org/')}`, { ...worker, initiator: 'https://www.googletagmanager.com' }));
    expect(Object.keys(store.get(7)!.entries).sort()).toEqual(['aws', 'google-analytics']);
  });

  it('counts a page’s last hit as its tab closes, which comes with no tab, in that page’s visit and no other tab', async () => {
    const { observer, store, writer, closedVisitsChanged, tick } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const home = store.get(7)!;
    const checkout = request('https://www.mijnliefsteboek.nl/checkout', { tabId: 8, type: 'main_frame' });
    observer.requestStarted(checkout);
    observer.requestEnded({ ...checkout, statusCode: 200 });
    observer.tabRemoved(7);
    // GA4's keepalive fetch from the closed home page: the page's origin as its initiator, no tab.
    const keepalive = { tabId: -1, frameId: -1, type: 'xmlhttprequest', method: 'POST', initiator: 'https://www.mijnliefsteboek.nl' };
    const engagement = request(`https://www.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=user_engagement&dl=${encodeURIComponent(SHOP)}`, keepalive);
    observer.requestStarted(engagement);
    observer.requestStarted(request('https://bat.bing.com/action/0?ti=187654321&evt=custom', keepalive));
    const late = request(`https://www.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=scroll&dl=${encodeURIComponent(SHOP)}`, keepalive);
    observer.requestStarted(late);
    expect(store.get(8)!.entries['google-analytics']).toBeUndefined();
    expect(store.get(8)!.entries['microsoft-ads']).toBeUndefined();
    // They are the closed page's: counted and logged in its visit, not as a worker's, and its visit judged again.
    expect(store.get(7)).toBeUndefined();
    expect(home.entries['google-analytics']).toMatchObject({ requests: 2 });
    expect(home.entries['microsoft-ads']).toMatchObject({ requests: 1 });
    expect(home.requests.map((r) => [r.entryId, r.worker])).toEqual([
      ['aws', undefined],
      ['google-analytics', undefined],
      ['microsoft-ads', undefined],
      ['google-analytics', undefined],
    ]);
    expect(writer.observations.get(`${home.visitId}:r${engagement.requestId}`)).toMatchObject({ visitId: home.visitId, entryId: 'google-analytics' });
    expect(writer.observations.get(`${home.visitId}:r${engagement.requestId}`)).not.toHaveProperty('worker');
    // Once as the tab closed (its last changes), once for each hit.
    expect(closedVisitsChanged).toEqual([home, home, home, home]);
    // The shop's own worker fetching for another tab is not the closed page's, nor anyone's.
    const cart = request('https://www.mijnliefsteboek.nl/api/cart', { ...keepalive, method: 'GET' });
    observer.requestStarted(cart);
    observer.requestEnded({ ...cart, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    expect(home.entries['aws']).toMatchObject({ requests: 1 });
    expect(closedVisitsChanged).toHaveLength(4);
    // A hit from the tagging server's worker that names the closed page is its visit's, and a worker's.
    const fromWorker = request(`https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=purchase&dl=${encodeURIComponent(SHOP)}`, { ...keepalive, initiator: 'https://sst.mijnliefsteboek.nl' });
    observer.requestStarted(fromWorker);
    expect(home.requests.at(-1)).toMatchObject({ entryId: 'google-analytics', worker: true });
    expect(writer.observations.get(`${home.visitId}:r${fromWorker.requestId}`)).toMatchObject({ worker: true });
    expect(closedVisitsChanged).toHaveLength(5);
    // A moment later, the shop's own worker's hit that names no page goes to the latest visit again; the
    // end of a closed page's hit, however late, is its visit's.
    tick(11_000);
    observer.requestEnded({ ...late, statusCode: 204 });
    expect(store.get(8)!.entries['google-analytics']).toBeUndefined();
    expect(writer.observations.get(`${home.visitId}:r${late.requestId}`)).toMatchObject({ status: 204 });
    expect(home.entries['google-analytics']).toMatchObject({ requests: 3 });
    expect(home.pending).not.toContain(late.requestId);
    observer.requestStarted(request('https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=page_view', { ...keepalive, initiator: 'https://sst.mijnliefsteboek.nl' }));
    expect(store.get(8)!.entries['google-analytics']).toMatchObject({ requests: 1 });
    expect(closedVisitsChanged).toHaveLength(6);
  });

  it('counts in the closed page’s visit a last hit that Chromium shows with the closed tab’s id, after its removal', async () => {
    const { observer, store, writer, closedVisitsChanged, tick } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const home = store.get(7)!;
    observer.tabRemoved(7);
    const beacon = request(`https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=user_engagement&dl=${encodeURIComponent(SHOP)}`, { type: 'ping', method: 'POST' });
    observer.requestStarted(beacon);
    observer.requestEnded({ ...beacon, statusCode: 204 });
    expect(home.entries['google-analytics']).toMatchObject({ requests: 1 });
    expect(writer.observations.get(`${home.visitId}:r${beacon.requestId}`)).toMatchObject({ entryId: 'google-analytics', status: 204 });
    expect(closedVisitsChanged).toEqual([home, home, home]);
    // The end of a request of the page that the close cut off changes nothing; the shop's page that
    // was on its way when the tab closed begins no visit of a gone tab.
    observer.requestEnded({ ...request('https://static.mijnliefsteboek.nl/covers/noor.webp', { type: 'image' }), error: 'net::ERR_ABORTED' });
    const next = request('https://www.mijnliefsteboek.nl/checkout', { type: 'main_frame' });
    observer.requestStarted(next);
    observer.requestEnded({ ...next, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    expect(store.get(7)).toBeUndefined();
    expect(closedVisitsChanged).toHaveLength(3);
    // Once the page is no longer remembered, a request of that tab is no one's.
    tick(11_000);
    observer.requestStarted(request('https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=scroll', { type: 'ping', method: 'POST' }));
    expect(home.entries['google-analytics']).toMatchObject({ requests: 1 });
    expect(closedVisitsChanged).toHaveLength(3);
  });

  /** GA4's keepalive fetch from the closed home page: the page's origin as its initiator, no tab. */
  const closingHit = () => request(`https://www.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=user_engagement&dl=${encodeURIComponent(SHOP)}`, { tabId: -1, frameId: -1, type: 'xmlhttprequest', method: 'POST', initiator: 'https://www.mijnliefsteboek.nl' });

  /**
   * Tab 7 shows the home page (and tab 8 the checkout, if `openTabs` has it), saved by a worker that
   * then stopped; tab 7 closed meanwhile. Its closing hit wakes a new worker, whose store drops tab
   * 7's saved state; `meanwhile` runs after the new worker began and before its store has read.
   */
  async function workerAfterClose(openTabs: number[], meanwhile?: (after: ReturnType<typeof makeObserver>) => void) {
    const area = memoryArea();
    const before = makeObserver(area);
    await before.store.ready;
    openShopPage(before.observer);
    if (openTabs.includes(8)) {
      const checkout = request('https://www.mijnliefsteboek.nl/checkout', { tabId: 8, type: 'main_frame' });
      before.observer.requestStarted(checkout);
      before.observer.requestEnded({ ...checkout, statusCode: 200 });
    }
    await before.store.flush();
    const after = makeObserver(area, { storeOptions: { openTabsAtStart: Promise.resolve(openTabs) } });
    meanwhile?.(after);
    await after.store.ready;
    return after;
  }

  it('counts no other tab the last hits of a page whose tab closed while the worker was stopped', async () => {
    const after = await workerAfterClose([8]);
    // The hit may come before the close does, or without it.
    const engagement = closingHit();
    after.observer.requestStarted(engagement);
    after.observer.tabRemoved(7);
    expect(after.store.get(8)).toBeDefined();
    expect(after.store.get(8)!.entries['google-analytics']).toBeUndefined();
    // The saved state of tab 7, handed over by the new worker's store, takes the hit and is logged again.
    const [home] = after.closedVisitsChanged;
    expect(home).toMatchObject({ tabId: 7, url: SHOP, entries: { 'google-analytics': { requests: 1 } } });
    expect(after.writer.observations.get(`${home!.visitId}:r${engagement.requestId}`)).toMatchObject({ entryId: 'google-analytics' });
  });

  it('dates the pages of tabs closed while the worker was stopped from its start, before the hits that woke it', async () => {
    // The background dates a queued event when it came: the hit that woke the worker came 10 ms into
    // its start, and is handled after the store has read what the last worker saved, 150 ms in.
    const after = await workerAfterClose([], (starting) => starting.tick(150));
    after.tick(-140);
    after.observer.requestStarted(closingHit());
    expect(after.closedVisitsChanged).toHaveLength(1);
    expect(after.closedVisitsChanged[0]).toMatchObject({ tabId: 7, entries: { 'google-analytics': { requests: 1 } } });
  });

  it('forgets, with everything else, the pages of tabs that closed while the worker was stopped', async () => {
    const after = await workerAfterClose([]);
    after.observer.forgetEverything();
    after.observer.requestStarted(closingHit());
    expect(after.closedVisitsChanged).toEqual([]);
    expect(after.writer.observations.size).toBe(0);
  });

  it('keeps the page of a tab that closed while the worker was stopped for ten seconds from the worker’s start', async () => {
    const after = await workerAfterClose([]);
    after.tick(11_000);
    after.observer.requestStarted(closingHit());
    expect(after.closedVisitsChanged).toEqual([]);
  });

  const fromTaggingWorker = { tabId: -1, frameId: -1, type: 'xmlhttprequest', method: 'POST', initiator: 'https://sst.mijnliefsteboek.nl' };

  it('ends a worker’s hit in the tab its start went to, though a tab opened between them', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    // Named by no page: the shop's own worker's hit goes to the latest visit, tab 7's.
    const hit = request('https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=page_view', fromTaggingWorker);
    observer.requestStarted(hit);
    const other = request(SHOP, { type: 'main_frame', tabId: 8 });
    observer.requestStarted(other);
    observer.requestEnded({ ...other, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
    observer.requestEnded({ ...hit, statusCode: 204 });
    expect(store.get(7)!.entries['google-analytics']).toMatchObject({ requests: 1 });
    expect(store.get(7)!.pending).not.toContain(hit.requestId);
    expect(store.get(8)!.entries['google-analytics']).toBeUndefined();
  });

  it('ends a worker’s hit known only by its body where it began, with the cookie its response set', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    const hit = request(`https://sst.mijnliefsteboek.nl/g/collect?dl=${encodeURIComponent(SHOP)}`, { ...fromTaggingWorker, body: 'v=2&tid=G-MLB1234567&cid=1.2&en=page_view' });
    observer.requestStarted(hit);
    observer.requestEnded({ ...hit, body: undefined, statusCode: 204, responseHeaders: [{ name: 'set-cookie', value: 'FPID=FPID2.2.abc.1; Domain=.mijnliefsteboek.nl; Path=/; HttpOnly' }] });
    const state = store.get(7)!;
    expect(state.entries['google-analytics']).toMatchObject({ requests: 1 });
    expect(state.pending).not.toContain(hit.requestId);
    expect(state.cookieWrites.find((w) => w.name === 'FPID')).toMatchObject({ entryId: 'google-analytics', by: 'server' });
  });

  it('counts the end of a worker’s hit whose start it never saw (a stopped worker) once, where it would have gone', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    openShopPage(observer);
    observer.requestEnded({ ...request(`https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&cid=1.2&dl=${encodeURIComponent(SHOP)}`, fromTaggingWorker), statusCode: 204 });
    expect(store.get(7)!.entries['google-analytics']).toMatchObject({ requests: 1 });
  });
});
