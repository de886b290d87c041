import { describe, expect, it } from 'vitest';
import { isShopUrl } from '@/lib/catalog/shop-domains';
import { tabOfWorkerRequest, type ShopVisit } from '@/lib/observe/worker-requests';

const SST = 'https://sst.mijnliefsteboek.nl';
const GTM = 'https://www.googletagmanager.com';
const hit = (page?: string, parameter = 'dl') => `${SST}/g/collect?v=2&tid=G-MLB1234567&en=page_view${page === undefined ? '' : `&${parameter}=${encodeURIComponent(page)}`}`;
const visits: ShopVisit[] = [
  { tabId: 3, url: 'https://www.mijnliefsteboek.nl/', startedAt: 1_000 },
  { tabId: 5, url: 'https://www.mijnliefsteboek.nl/checkout?step=2', startedAt: 2_000 },
  { tabId: 9, url: 'https://www.mijnliefsteboek.nl/boeken/noor', startedAt: 3_000 },
];
const place = (url: string, initiator: string | undefined, among = visits) => tabOfWorkerRequest(url, initiator, among, isShopUrl);

describe('the tab of a service worker’s request', () => {
  it('is the tab showing the page the hit names, in GA4’s dl or Google Ads’ url', () => {
    expect(place(hit('https://www.mijnliefsteboek.nl/checkout?step=2'), SST)).toBe(5);
    expect(place(hit('https://www.mijnliefsteboek.nl/#reviews'), SST)).toBe(3);
    expect(place(hit('https://www.mijnliefsteboek.nl/checkout?step=3'), SST)).toBe(5);
    expect(place(`https://www.google.com/ccm/form-data/123?url=${encodeURIComponent('https://www.mijnliefsteboek.nl/boeken/noor')}`, GTM)).toBe(9);
    // Firefox names the worker's script, not its origin.
    expect(place(`https://www.google.com/ccm/form-data/123?url=${encodeURIComponent('https://www.mijnliefsteboek.nl/boeken/noor')}`, `${GTM}/static/service_worker/5cc0/sw.js`)).toBe(9);
  });

  it('takes the latest visit where two tabs show the page, or where the page is none of theirs', () => {
    const twice = [...visits, { tabId: 11, url: 'https://www.mijnliefsteboek.nl/', startedAt: 4_000 }, { tabId: 12, url: 'https://www.mijnliefsteboek.nl/', startedAt: 500 }];
    expect(place(hit('https://www.mijnliefsteboek.nl/'), SST, twice)).toBe(11);
    expect(place(hit('https://www.mijnliefsteboek.nl/over-ons'), SST)).toBe(9);
  });

  it('takes the latest visit for a hit of the shop’s own worker that names no page', () => {
    expect(place(hit(), SST)).toBe(9);
    expect(place(hit(), `${SST}/_/service_worker/6230/sw.js`)).toBe(9);
  });

  it('leaves a hit for another site’s page, a page-less hit of Google’s shared worker, and other workers alone', () => {
    expect(place(hit('https://www.example.org/'), SST)).toBeUndefined();
    expect(place(hit('https://www.example.org/', 'url'), GTM)).toBeUndefined();
    expect(place(hit(), GTM)).toBeUndefined();
    expect(place(hit('https://www.mijnliefsteboek.nl/'), 'https://www.example.org')).toBeUndefined();
    expect(place(hit('https://www.mijnliefsteboek.nl/'), undefined)).toBeUndefined();
    expect(place(hit('https://www.mijnliefsteboek.nl/'), 'chrome-extension://abcdefghijklmnop')).toBeUndefined();
    expect(place(hit('https://www.mijnliefsteboek.nl/'), 'https://www.googletagmanager.com.example.org')).toBeUndefined();
  });

  it('is no tab when the shop shows in none', () => {
    expect(place(hit('https://www.mijnliefsteboek.nl/'), SST, [])).toBeUndefined();
  });

  it('is the closed page for a page’s last hits as its tab closes, which come with no tab either', () => {
    const SHOP = 'https://www.mijnliefsteboek.nl';
    const aboutUs = { url: `${SHOP}/over-ons`, closedAt: 4_000 };
    const closed = [{ url: `${SHOP}/contact`, closedAt: 3_000 }, aboutUs];
    const placeAfterClose = (url: string, initiator: string, among = visits) => tabOfWorkerRequest(url, initiator, among, isShopUrl, closed);
    // Naming the closed page (a keepalive fetch or beacon in pagehide, from the page's own origin): not the latest visit's.
    expect(place(hit(`${SHOP}/over-ons`), SHOP)).toBe(9);
    expect(placeAfterClose(hit(`${SHOP}/over-ons`), SHOP)).toBe(aboutUs);
    expect(placeAfterClose(hit(`${SHOP}/over-ons#team`), SHOP)).toBe(aboutUs);
    expect(placeAfterClose(hit(`${SHOP}/over-ons?utm_source=mail`), SHOP)).toBe(aboutUs);
    expect(placeAfterClose(hit(`${SHOP}/contact`), SHOP)).toBe(closed[0]);
    // Naming no page, from the closed pages' origin (Chromium's initiator, Firefox's page address): it
    // may be either's, and is taken for the later. The tagging server's own worker is another origin's,
    // and goes on as before.
    expect(placeAfterClose(hit(), SHOP)).toBe(aboutUs);
    expect(placeAfterClose(hit(), `${SHOP}/over-ons`)).toBe(aboutUs);
    expect(placeAfterClose(hit(), SST)).toBe(9);
    // Of two closed pages that show it alike, the later.
    const again = { url: `${SHOP}/over-ons#team`, closedAt: 5_000 };
    expect(tabOfWorkerRequest(hit(`${SHOP}/over-ons?a=1`), SHOP, visits, isShopUrl, [...closed, again])).toBe(again);
    // A page an open tab shows as closely is that tab's; another page goes where it went before.
    expect(placeAfterClose(hit(`${SHOP}/over-ons`), SST, [...visits, { tabId: 12, url: `${SHOP}/over-ons`, startedAt: 500 }])).toBe(12);
    expect(placeAfterClose(hit(`${SHOP}/checkout?step=3`), SST)).toBe(5);
    expect(placeAfterClose(hit(`${SHOP}/boeken/lotte`), SST)).toBe(9);
  });
});
