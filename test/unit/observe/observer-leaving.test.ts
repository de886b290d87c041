import { describe, expect, it } from 'vitest';
import { handleContentMessage } from '@/lib/observe/content-messages';
import type { RequestEvent } from '@/lib/observe/observer';
import { CLOUDFRONT_HEADERS, makeObserver, request } from './fakes';

/**
 * A shop page's last hits as its tab leaves it: GA4 flushes its batch in `pagehide`, an outbound click
 * is sent while the next page's request is on its way. The shapes are the browsers' own, measured with
 * the built extension (tagging.e2e.ts): Chromium names the page's document and its state, Firefox the
 * page's address (and a beacon's document).
 */
const CHECKOUT = 'https://www.mijnliefsteboek.nl/checkout';
const PAYMENT = 'https://checkoutshopper-live.adyen.com/checkoutshopper/checkoutPaymentRedirect?redirectData=abc';
const CHECKOUT_DOCUMENT = 'A1B2C3D4E5F60718293A4B5C6D7E8F90';
const PAYMENT_DOCUMENT = '0F9E8D7C6B5A49382716F5E4D3C2B1A0';
const PAGE = '0123456789abcdef';

const hit = (event: string, overrides: Partial<RequestEvent> = {}) =>
  request(`https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=${event}&dl=${encodeURIComponent(CHECKOUT)}`, { type: 'ping', method: 'POST', ...overrides });

/** Chromium: the checkout's hit from its document, in the state the browser names. */
const fromCheckout = (event: string, documentLifecycle: 'active' | 'pending_deletion') => hit(event, { documentId: CHECKOUT_DOCUMENT, documentLifecycle, initiator: 'https://www.mijnliefsteboek.nl' });

/** The checkout loaded in tab 7 and reported from its document (Chromium's `documentId`, or none). */
async function atCheckout(documentId: string | undefined) {
  const env = makeObserver();
  await env.store.ready;
  const page = request(CHECKOUT, { type: 'main_frame' });
  env.observer.requestStarted(page);
  env.observer.requestEnded({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS });
  expect(handleContentMessage(env.observer, 7, { type: 'page-resources', page: PAGE, resources: [], pageStart: 990 }, CHECKOUT, documentId)).toBe(true);
  return { ...env, checkout: env.store.get(7)! };
}

/** Every hit, start and end. */
function send(observer: ReturnType<typeof makeObserver>['observer'], ...hits: RequestEvent[]) {
  for (const h of hits) observer.requestStarted(h);
  for (const h of hits) observer.requestEnded({ ...h, statusCode: 204 });
}

const countedIn = (state: { entries: Record<string, { requests: number } | undefined> }) => state.entries['google-analytics']?.requests ?? 0;

describe('the last hits of a page its tab leaves for another site', () => {
  it('Chromium: counts in the checkout’s visit its hits while the payment page is on its way and as it goes, and none of the payment page’s', async () => {
    const { observer, store, writer, closedVisitsChanged, checkout } = await atCheckout(CHECKOUT_DOCUMENT);
    const payment = request(PAYMENT, { type: 'main_frame' });
    observer.requestStarted(payment);
    expect(store.get(7)).toBeUndefined();
    // An outbound click, sent while the payment page's request is on its way: the checkout is still shown.
    const click = fromCheckout('click', 'active');
    send(observer, click);
    observer.requestEnded({ ...payment, statusCode: 200 });
    // GA4's batch flushed in `pagehide` as the payment page commits.
    const flushed = fromCheckout('add_payment_info', 'pending_deletion');
    send(observer, flushed);
    // The payment page's own tracker (its document, not the checkout's) is no visit's.
    send(observer, request('https://www.googletagmanager.com/gtag/js?id=G-ADYEN00000', { documentId: PAYMENT_DOCUMENT, documentLifecycle: 'active', initiator: 'https://checkoutshopper-live.adyen.com' }));
    expect(countedIn(checkout)).toBe(2);
    expect(checkout.entries['google-tag-manager']).toBeUndefined();
    for (const h of [click, flushed]) expect(writer.observations.get(`${checkout.visitId}:r${h.requestId}`)).toMatchObject({ entryId: 'google-analytics', status: 204 });
    expect(checkout.pending).toEqual([]);
    // Judged and logged again as it was left (what it had not yet judged: the store will hear of the tab's
    // next state only), and with each start and each end since.
    expect(closedVisitsChanged).toEqual([checkout, checkout, checkout, checkout, checkout]);
    // The checkout's document active again, once the payment page arrived, is the page the back/forward
    // cache showed again: a new visit's, not the one it left.
    send(observer, { ...fromCheckout('page_view', 'active'), timeStamp: payment.timeStamp + 5_000 });
    expect(countedIn(checkout)).toBe(2);
  });

  it('Firefox: counts in the checkout’s visit the hits from its address (originUrl), and not the next site’s', async () => {
    const { observer, writer, checkout } = await atCheckout('f5f30e40-5756-389f-0e1a-8457dd7275ac');
    observer.requestStarted(request(PAYMENT, { type: 'main_frame' }));
    // GA4's keepalive fetch names no document; its beacon names one the checkout's reports did not
    // (measured: Firefox's ids of one page's document need not agree).
    const keepalive = hit('add_payment_info', { type: 'xmlhttprequest', initiator: CHECKOUT });
    const beacon = hit('user_engagement', { type: 'beacon', initiator: CHECKOUT, documentId: '33034a64-5a52-eb12-c73c-19f6ab14d32f' });
    const theirs = request('https://region1.google-analytics.com/g/collect?v=2&tid=G-ADYEN00000&cid=9.9&en=page_view', { type: 'beacon', method: 'POST', initiator: PAYMENT, documentId: '9b6fbd6e-d941-1a7a-8815-69df70669ade' });
    send(observer, keepalive, beacon, theirs);
    expect(countedIn(checkout)).toBe(2);
    expect(writer.observations.get(`${checkout.visitId}:r${theirs.requestId}`)).toBeUndefined();
    expect([...writer.observations.values()].filter((row) => row.url.includes('G-ADYEN'))).toEqual([]);
  });

  it('counts them in the checkout’s visit, not the empty one of the shop’s redirect to the payment page', async () => {
    const { observer, store, checkout } = await atCheckout(CHECKOUT_DOCUMENT);
    // The checkout's form posts to the shop, which redirects to the payment page: one request, two hops.
    const pay = request('https://www.mijnliefsteboek.nl/checkout/pay', { type: 'main_frame', method: 'POST' });
    observer.requestStarted(pay);
    const redirect = store.get(7)!;
    expect(redirect.visitId).not.toBe(checkout.visitId);
    observer.requestStarted({ ...pay, url: PAYMENT, method: 'GET' });
    expect(store.get(7)).toBeUndefined();
    send(observer, fromCheckout('add_payment_info', 'active'));
    observer.requestEnded({ ...pay, url: PAYMENT, method: 'GET', statusCode: 200 });
    send(observer, fromCheckout('user_engagement', 'pending_deletion'));
    expect(countedIn(checkout)).toBe(2);
    expect(countedIn(redirect)).toBe(0);
  });

  it('counts its hits as it goes in the visit of a page the tab left for an address it hides, but not the same document active again', async () => {
    const { observer, store, tick, checkout } = await atCheckout(CHECKOUT_DOCUMENT);
    tick(5_000);
    observer.tabNavigated(7, undefined, 6_000);
    expect(store.get(7)).toBeUndefined();
    send(observer, { ...fromCheckout('add_payment_info', 'pending_deletion'), timeStamp: 6_100 }, { ...fromCheckout('user_engagement', 'active'), timeStamp: 6_900 });
    // A second after its visit ended, the document active is a page the back/forward cache showed again.
    send(observer, { ...fromCheckout('page_view', 'active'), timeStamp: 7_100 });
    expect(countedIn(checkout)).toBe(2);
  });

  it('forgets the page after ten seconds, and with everything else', async () => {
    for (const how of ['ten seconds', 'erased'] as const) {
      const { observer, tick, checkout, closedVisitsChanged } = await atCheckout(CHECKOUT_DOCUMENT);
      observer.requestStarted(request(PAYMENT, { type: 'main_frame' }));
      if (how === 'ten seconds') tick(10_001);
      else observer.forgetEverything();
      send(observer, fromCheckout('user_engagement', 'pending_deletion'));
      expect(countedIn(checkout), how).toBe(0);
      // Judged once as it was left, not again.
      expect(closedVisitsChanged, how).toEqual([checkout]);
    }
  });

  it('leaves a tracker’s own site in a tab that never showed the shop alone', async () => {
    const { observer, writer, store, closedVisitsChanged } = makeObserver();
    await store.ready;
    observer.requestStarted(request('https://www.facebook.com/', { type: 'main_frame' }));
    send(observer, request('https://connect.facebook.net/en_US/fbevents.js', { initiator: 'https://www.facebook.com/', documentId: PAYMENT_DOCUMENT, documentLifecycle: 'active' }));
    expect(writer.observations.size).toBe(0);
    expect(closedVisitsChanged).toEqual([]);
  });
});

describe('a request that ends after its tab went on to the next page', () => {
  it('ends in the visit that counted its start, and is not counted again in the next page’s', async () => {
    for (const next of ['the shop’s next page', 'the payment page']) {
      const { observer, store, writer, closedVisitsChanged, checkout } = await atCheckout(CHECKOUT_DOCUMENT);
      const engagement = fromCheckout('user_engagement', 'active');
      observer.requestStarted(engagement);
      const page = request(next === 'the payment page' ? PAYMENT : 'https://www.mijnliefsteboek.nl/bedankt', { type: 'main_frame' });
      observer.requestStarted(page);
      observer.requestEnded({ ...engagement, statusCode: 204 });
      expect(countedIn(checkout), next).toBe(1);
      expect(checkout.pending, next).toEqual([]);
      expect(writer.observations.get(`${checkout.visitId}:r${engagement.requestId}`), next).toMatchObject({ status: 204 });
      expect(closedVisitsChanged, next).toEqual([checkout, checkout]);
      const after = store.get(7);
      if (after) {
        expect(countedIn(after), next).toBe(0);
        expect(writer.observations.get(`${after.visitId}:r${engagement.requestId}`), next).toBeUndefined();
      }
    }
  });
});

describe('the last hits of a page, told apart from a page shown again or the next page', () => {
  it('Firefox: takes the checkout’s address for its own only while it goes, not once the back/forward cache shows it again', async () => {
    const { observer, checkout } = await atCheckout(undefined);
    const payment = request(PAYMENT, { type: 'main_frame', timeStamp: 10_000 });
    observer.requestStarted(payment);
    observer.requestEnded({ ...payment, statusCode: 200, timeStamp: 10_200 });
    send(observer, hit('user_engagement', { type: 'xmlhttprequest', initiator: CHECKOUT, timeStamp: 10_250 }));
    // Back within the ten seconds: the checkout's first request came before the tab's report of it.
    send(observer, hit('page_view', { type: 'beacon', initiator: CHECKOUT, timeStamp: 14_000 }));
    expect(countedIn(checkout)).toBe(1);
  });

  it('Firefox: counts them in the checkout’s visit, not the empty one of the shop’s redirect from the same address', async () => {
    const { observer, store, checkout } = await atCheckout(undefined);
    // The checkout's form posts to its own address; the shop answers with a redirect to the payment page.
    const pay = request(CHECKOUT, { type: 'main_frame', method: 'POST' });
    observer.requestStarted(pay);
    const redirect = store.get(7)!;
    observer.requestStarted({ ...pay, url: PAYMENT, method: 'GET' });
    send(observer, hit('add_payment_info', { type: 'beacon', initiator: CHECKOUT }));
    expect(countedIn(checkout)).toBe(1);
    expect(countedIn(redirect)).toBe(0);
  });

  it('counts in the checkout’s visit, as a closed page’s, the hits it sends as its tab closes while the payment page is on its way', async () => {
    const { observer, store, checkout } = await atCheckout(CHECKOUT_DOCUMENT);
    const other = request('https://www.mijnliefsteboek.nl/boeken', { tabId: 8, type: 'main_frame' });
    observer.requestStarted(other);
    observer.requestEnded({ ...other, statusCode: 200 });
    observer.requestStarted(request(PAYMENT, { type: 'main_frame' }));
    observer.tabRemoved(7);
    // GA4's keepalive fetch as the tab closes: no tab, the checkout's origin, naming the checkout.
    send(observer, hit('user_engagement', { tabId: -1, frameId: -1, type: 'xmlhttprequest', initiator: 'https://www.mijnliefsteboek.nl' }));
    // Its beacon, which Chromium shows with the closed tab's id.
    send(observer, fromCheckout('scroll', 'pending_deletion'));
    expect(countedIn(checkout)).toBe(2);
    expect(countedIn(store.get(8)!)).toBe(0);
  });

  it('counts a redirect’s next hop of the checkout’s hit in its visit, once, though the tab went on meanwhile', async () => {
    const { observer, store, writer, checkout } = await atCheckout(CHECKOUT_DOCUMENT);
    const sync = request('https://www.facebook.com/tr/?id=1234567890123456&ev=InitiateCheckout', { type: 'image', documentId: CHECKOUT_DOCUMENT, documentLifecycle: 'active' });
    observer.requestStarted(sync);
    observer.requestStarted(request('https://www.mijnliefsteboek.nl/bedankt', { type: 'main_frame' }));
    // Its next hop (the same request), then its end, after the next page's visit began.
    observer.requestStarted({ ...sync, url: 'https://www.facebook.com/tr/?id=1234567890123456&ev=InitiateCheckout&hop=1' });
    observer.requestEnded({ ...sync, statusCode: 200 });
    expect(checkout.entries['meta-pixel']?.requests).toBe(1);
    expect(checkout.pending).toEqual([]);
    expect(store.get(7)!.entries['meta-pixel']).toBeUndefined();
    expect(writer.observations.get(`${checkout.visitId}:r${sync.requestId}`)).toMatchObject({ status: 200 });
  });

  it('ends a request in the visit that counted it though its list of requests under way had let go of it', async () => {
    const { observer, writer, checkout } = await atCheckout(CHECKOUT_DOCUMENT);
    const engagement = fromCheckout('user_engagement', 'active');
    observer.requestStarted(engagement);
    checkout.pending.splice(checkout.pending.indexOf(engagement.requestId), 1);
    checkout.pendingEvicted++;
    observer.requestStarted(request(PAYMENT, { type: 'main_frame' }));
    observer.requestEnded({ ...engagement, statusCode: 204 });
    expect(countedIn(checkout)).toBe(1);
    expect(checkout.pendingEvicted).toBe(0);
    expect(writer.observations.get(`${checkout.visitId}:r${engagement.requestId}`)).toMatchObject({ status: 204 });
  });

  it('Chromium: counts the checkout’s hits in its own visit when the tab goes on to the shop’s next page, and the next page’s in its', async () => {
    const { observer, store, checkout } = await atCheckout(CHECKOUT_DOCUMENT);
    const thanks = request('https://www.mijnliefsteboek.nl/bedankt', { type: 'main_frame' });
    observer.requestStarted(thanks);
    const next = store.get(7)!;
    send(observer, fromCheckout('click', 'active'));
    observer.requestEnded({ ...thanks, statusCode: 200 });
    expect(handleContentMessage(observer, 7, { type: 'page-resources', page: 'fedcba9876543210', resources: [], pageStart: thanks.timeStamp }, 'https://www.mijnliefsteboek.nl/bedankt', PAYMENT_DOCUMENT)).toBe(true);
    send(observer, fromCheckout('purchase', 'pending_deletion'));
    send(observer, hit('page_view', { documentId: PAYMENT_DOCUMENT, documentLifecycle: 'active', initiator: 'https://www.mijnliefsteboek.nl' }));
    expect(countedIn(checkout)).toBe(2);
    expect(countedIn(next)).toBe(1);
    expect(store.get(7)!.visitId).toBe(next.visitId);
  });

  it('Firefox: counts the checkout’s hits in its own visit when the tab goes on to the shop’s next page, but a reloaded page’s in the reload’s', async () => {
    for (const nextUrl of ['https://www.mijnliefsteboek.nl/bedankt', CHECKOUT]) {
      const { observer, store, checkout } = await atCheckout(undefined);
      observer.requestStarted(request(nextUrl, { type: 'main_frame' }));
      const next = store.get(7)!;
      send(observer, hit('purchase', { type: 'xmlhttprequest', initiator: `${CHECKOUT}#betalen` }));
      send(observer, hit('page_view', { type: 'beacon', initiator: nextUrl }));
      if (nextUrl === CHECKOUT) {
        expect(countedIn(checkout), nextUrl).toBe(0);
        expect(countedIn(next), nextUrl).toBe(2);
      } else {
        expect(countedIn(checkout), nextUrl).toBe(1);
        expect(countedIn(next), nextUrl).toBe(1);
      }
    }
  });
});

describe('a late report of a page the tab has left', () => {
  it('is that page’s visit’s, whose count of its last hits it does not add to; not the next page’s', async () => {
    const { observer, store, closedVisitsChanged, checkout } = await atCheckout(CHECKOUT_DOCUMENT);
    const thanks = request('https://www.mijnliefsteboek.nl/bedankt', { type: 'main_frame' });
    observer.requestStarted(thanks);
    const next = store.get(7)!;
    const click = fromCheckout('click', 'active');
    send(observer, click);
    // The checkout's last report, with the click in its Resource Timing, comes after the next visit began.
    const seen = { url: click.url, initiatorType: 'beacon', startTime: 900, seq: 1 };
    expect(handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, resources: [seen], pageStart: 990 }, CHECKOUT, CHECKOUT_DOCUMENT)).toBe(true);
    expect(countedIn(checkout)).toBe(1);
    expect(countedIn(next)).toBe(0);
    expect(closedVisitsChanged.at(-1)).toBe(checkout);
    // A page the back/forward cache showed again reports to its new visit, as before.
    expect(handleContentMessage(observer, 7, { type: 'page-resources', page: PAGE, resources: [{ ...seen, seq: 2 }], pageStart: 990, shownAgainAt: 30_000 }, CHECKOUT, CHECKOUT_DOCUMENT)).toBe(true);
    expect(countedIn(checkout)).toBe(1);
  });
});
