import { resolve } from 'node:path';
import type { Page } from 'puppeteer';
import { describe, expect, it, vi } from 'vitest';
import type { FixtureShop } from '../fixtures/shop/server';
import { BROWSERS, withBrowser, type BrowserUnderTest } from './drivers';
import { SCREENSHOTS, readPopup } from './helpers';
import { readLogTable, readObservations } from './log';
import type { Visit } from '../../lib/db/schema';

/**
 * The shop as it really runs: the vendors' newer endpoints, tracking through the shop's own hosts
 * (server-side GTM, Google's tag gateway, Meta's gateway), cookies written without any request, and
 * third parties the policy does not name: each shows up in the popup with the right verdict.
 */
describe.each(BROWSERS)('the shop as it really runs, in %s with the built extension', (name) => {
  let shop: FixtureShop;
  let ext: BrowserUnderTest;
  withBrowser(name, (startedShop, started) => {
    shop = startedShop;
    ext = started;
  });
  const visitPage = (driver: BrowserUnderTest, path: string) => driver.visit(path);
  const openPopup = (driver: BrowserUnderTest, tabId: number, language: 'nl' | 'en' = 'nl') => driver.openPopup(tabId, language);

  it('sees Google Analytics through the shop’s own tagging server, judges the hit and the FPID cookie it set', async () => {
    const { page, tabId } = await visitPage(ext, '/test/server-side');
    expect(shop.requests.some((r) => r.host === 'sst.mijnliefsteboek.nl' && r.path.startsWith('/g/collect'))).toBe(true);
    const popup = await openPopup(ext, tabId);
    const shown = await readPopup(popup);
    // The container (gtm.js) comes from the tagging server too: the loader is Tag Manager.
    expect(shown.entries).toEqual(['aws', 'google-analytics', 'google-tag-manager']);
    expect(shown.verdicts['google-analytics']).toBe('before-choice');
    expect(shown.requests['google-analytics']).toBeGreaterThan(0);
    expect(await popup.$eval('[data-entry="google-analytics"] [data-relays]', (e) => (e as HTMLElement).dataset.relays)).toBe('sst.mijnliefsteboek.nl');
    expect(shown.text).toContain('via de eigen server van de winkel: sst.mijnliefsteboek.nl');
    expect(shown.text).toContain('Ze komen dus nog steeds bij Google Ireland Limited terecht.');
    // FPID is HttpOnly, set by the tagging server: the cookie list shows it all the same.
    expect(shown.cookies['google-analytics']).toContain('FPID');
    const state = (await ext.tabState(tabId))!;
    expect(state.cookieWrites.find((w) => w.name === 'FPID')).toMatchObject({ entryId: 'google-analytics', by: 'server' });
    await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-server-side-nl.png`), fullPage: true });
    await popup.close();
    await page.close();
  });

  it('sees the GA4 hit Google’s tag sends through the tagging server’s service worker, which the browser shows with no tab', async () => {
    const { page, tabId } = await visitPage(ext, '/test/server-side-worker');
    const pageAddress = encodeURIComponent('https://www.mijnliefsteboek.nl/test/server-side-worker');
    // The worker, installed by the tagging server's iframe, sends the page's hit: wait for it to arrive.
    await vi.waitFor(() => expect(shop.requests.some((r) => r.host === 'sst.mijnliefsteboek.nl' && r.path.startsWith('/g/collect') && r.path.includes(`dl=${pageAddress}`))).toBe(true), { timeout: 20_000, interval: 50 });
    // Sent by the worker: the page's own Resource Timing does not hold it, so only webRequest can show it.
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/g/collect')))).toBe(false);
    // Its start counts the hit; its end, the cookies the tagging server set on it (the visitor id and the session).
    await vi.waitFor(
      async () => expect((await ext.tabState(tabId))?.entries['google-analytics']).toMatchObject({ requests: 1, cookiesSet: expect.arrayContaining(['FPID', 'FPGSID']) }),
      { timeout: 10_000, interval: 50 },
    );
    await ext.settle(page);
    const popup = await openPopup(ext, tabId);
    const shown = await readPopup(popup);
    expect(shown.entries).toEqual(['aws', 'google-analytics', 'google-tag-manager']);
    expect(shown.verdicts['google-analytics']).toBe('before-choice');
    expect(shown.text).toContain('via de eigen server van de winkel: sst.mijnliefsteboek.nl');
    expect(shown.cookies['google-analytics']).toEqual(expect.arrayContaining(['FPID', 'FPGSID']));
    await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-server-side-worker-nl.png`), fullPage: true });
    await popup.close();
    // Support staff look for the hit among the page's own requests: the extension's DevTools panel and
    // the history tag it as the worker's, and say once what that means.
    const panel = await ext.openPage(`devtools-panel.html?tabId=${tabId}&lang=nl`, '[data-row="request"][data-worker]');
    expect(await workerRows(panel, '[data-row="request"]', '.prow__address')).toEqual([{ entry: 'google-analytics', address: expect.stringMatching(/^service worker https:\/\/sst\.mijnliefsteboek\.nl\/g\/collect$/) }]);
    expect(await panel.$eval('[data-worker-note]', (e) => e.textContent)).toMatch(/^Gemarkeerd met ‘service worker’: verstuurd door een service worker/);
    await panel.screenshot({ path: resolve(SCREENSHOTS, `${name}-panel-server-side-worker-nl.png`), fullPage: true });
    await panel.close();
    const { visitId } = (await ext.tabState(tabId))!;
    const history = await ext.openPage('options.html?lang=en#history', `[data-visit="${visitId}"]`);
    await history.evaluate(() => chrome.runtime.sendMessage({ type: 'flush-log' }));
    await history.click(`[data-visit="${visitId}"]`);
    await history.waitForSelector('.pageview .obs[data-worker]');
    expect(await workerRows(history, '.obs', '.obs__url')).toEqual([{ entry: 'google-analytics', address: expect.stringMatching(/^service worker (GET|POST) https:\/\/sst\.mijnliefsteboek\.nl\/g\/collect\?/) }]);
    expect(await history.$eval('.pageview [data-worker-note]', (e) => e.textContent)).toMatch(/^Marked ‘service worker’: sent by a service worker/);
    await history.screenshot({ path: resolve(SCREENSHOTS, `${name}-history-server-side-worker-en.png`), fullPage: true });
    await history.close();
    await page.close();
  });

  /**
   * GA4 sends its last hits in pagehide as a keepalive fetch (or a beacon), UET its own: both browsers
   * show them with no tab and the page's own origin, as they would show the shop's own service worker's.
   * Closes the home page beside a checkout tab (after stopping the worker: a customer reads a page for
   * longer than the worker stays up), and returns what the checkout tab counted.
   */
  async function closeWithLastHits(stopWorkerFirst: boolean) {
    const other = await visitPage(ext, '/checkout');
    const { page, tabId } = await visitPage(ext, '/');
    const home = (await ext.tabState(tabId))!.visitId;
    const collect = (event: string) => `https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=${event}&dl=${encodeURIComponent('https://www.mijnliefsteboek.nl/')}`;
    const uet = 'https://bat.bing.com/action/0?ti=187654321&evt=custom&ea=closing';
    await page.evaluate(
      (keepalive, beacon, uet) =>
        addEventListener('pagehide', () => {
          void fetch(keepalive, { method: 'POST', keepalive: true, mode: 'no-cors' });
          navigator.sendBeacon(beacon);
          void fetch(uet, { keepalive: true, mode: 'no-cors' });
        }),
      collect('closing_keepalive'),
      collect('closing_beacon'),
      uet,
    );
    if (stopWorkerFirst) await ext.stopWorker!();
    await page.close();
    await vi.waitFor(() => expect(['en=closing_keepalive', 'en=closing_beacon', 'ea=closing'].every((mark) => shop.requests.some((r) => r.path.includes(mark)))).toBe(true), { timeout: 10_000, interval: 50 });
    // A hit of the checkout's own, sent after them: once it counts, the browser has handed them over too.
    await other.page.evaluate((url) => void fetch(url, { method: 'POST', mode: 'no-cors' }), collect('after_close').replace('dl=', 'x='));
    await vi.waitFor(async () => expect((await ext.tabState(other.tabId))?.entries['google-analytics']?.requests).toBe(1), { timeout: 10_000, interval: 50 });
    const state = (await ext.tabState(other.tabId))!;
    // The closed page's visit logged them: read once the log has everything the worker holds.
    const logPage = await ext.openPage('options.html?lang=nl#history', `[data-visit="${home}"]`);
    await logPage.evaluate(() => chrome.runtime.sendMessage({ type: 'flush-log' }));
    const rows = (await readObservations(logPage)).filter((row) => row.visitId === home);
    // The visit judged again with them: the promise on Google Analytics' hits counts every hit logged.
    const visit = (await readLogTable<Visit>(logPage, 'visits')).find((row) => row.id === home);
    const gaPromise = visit?.promises?.find((promise) => promise.id === 'ga-anonymised')?.facts as { hits?: number } | undefined;
    await logPage.click(`[data-visit="${home}"]`);
    await logPage.waitForSelector('.pageview tr[data-entry="microsoft-ads"]');
    await logPage.screenshot({ path: resolve(SCREENSHOTS, `${name}-history-closing-hits-nl${stopWorkerFirst ? '-stopped' : ''}.png`), fullPage: true });
    await logPage.close();
    await other.page.close();
    const closing = ['closing_keepalive', 'closing_beacon', 'ea=closing'].map((mark) => rows.filter((row) => row.url.includes(mark)).map((row) => row.entryId));
    // The checkout's own trackers are its page's; a closing hit placed here would be marked a worker's.
    return {
      analytics: state.requests.filter((r) => r.entryId === 'google-analytics').map((r) => ({ type: r.type, worker: r.worker })),
      placedFromNoTab: state.requests.filter((r) => r.worker).map((r) => r.entryId),
      closing,
      judgedHits: gaPromise?.hits === rows.filter((row) => row.entryId === 'google-analytics' && row.kind === 'hit').length,
    };
  }

  /** Each closing hit once in the closed page's visit, and none in the checkout's tab. */
  const closedAsExpected = {
    analytics: [{ type: 'xmlhttprequest', worker: undefined }],
    placedFromNoTab: [],
    closing: [['google-analytics'], ['google-analytics'], ['microsoft-ads']],
    judgedHits: true,
  };

  it('logs the hits a page sends as its tab closes, which the browser shows with no tab, in that page’s visit and in no other tab', async () => {
    expect(await closeWithLastHits(false)).toEqual(closedAsExpected);
  });

  // Whether the woken worker hears of the closing page's hits or of its tab's removal first is the
  // browser's to decide; the order where the tab is gone by the worker's start is the observer's unit test's.
  it.skipIf(name !== 'chromium')('logs in that page’s visit, and in no other tab, the last hits of a page whose tab closed while the worker was stopped', async () => {
    expect(await closeWithLastHits(true)).toEqual(closedAsExpected);
  });

  // Three ways on from the checkout: a site the extension may not read, whose address the tab hides (the
  // visit ends half a second after the tab's "loading", by which time the page has sent its last hits);
  // the payment page Adyen shows on the way to the bank, whose own request the extension sees and which
  // ends the visit at once, before them (slow to answer here: the customer's click on the way to it is
  // sent while its request is on its way); and the shop's next page, whose visit begins before them.
  const ways = {
    'a site the extension may not read': { url: 'https://www.example.org/', whileOnItsWay: false, shop: false },
    'Adyen’s payment page': { url: 'https://checkoutshopper-live.adyen.com/checkoutshopper/checkoutPaymentRedirect?redirectData=ab12&wait=1', whileOnItsWay: true, shop: false },
    'the shop’s next page': { url: 'https://www.mijnliefsteboek.nl/test/none', whileOnItsWay: false, shop: true },
  };
  it.each(Object.keys(ways) as (keyof typeof ways)[])('logs in its visit the hits a shop page sends as its tab leaves for %s, and none of that site’s own', async (way) => {
    const { url, whileOnItsWay, shop: inShop } = ways[way];
    const { page, tabId } = await visitPage(ext, '/checkout');
    const checkout = (await ext.tabState(tabId))!.visitId;
    const collect = (event: string) => `https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=${event}&dl=${encodeURIComponent('https://www.mijnliefsteboek.nl/checkout')}`;
    const marks = ['leaving_click', 'leaving_keepalive', 'leaving_beacon', ...(whileOnItsWay ? ['leaving_on_its_way'] : [])];
    const since = Date.now();
    await page.evaluate(
      (url, [click, keepalive, beacon, onItsWay]) => {
        addEventListener('pagehide', () => {
          void fetch(keepalive!, { method: 'POST', keepalive: true, mode: 'no-cors' });
          navigator.sendBeacon(beacon!);
        });
        // After this evaluation has answered: the page it ran in goes.
        setTimeout(() => {
          location.assign(url);
          navigator.sendBeacon(click!);
          if (onItsWay) setTimeout(() => navigator.sendBeacon(onItsWay), 300);
        });
      },
      url,
      marks.map(collect),
    );
    const seen = (mark: string) => shop.requests.some((r) => r.path.includes(`en=${mark}&`));
    // www.example.org runs Google Analytics too: its own hit has gone out before the log is read.
    const fromOtherSite = () => shop.requests.some((r) => r.at >= since && r.host === 'region1.google-analytics.com' && (r.headers['referer'] ?? '').startsWith('https://www.example.org/'));
    await vi.waitFor(() => expect(marks.every(seen) && (!url.startsWith('https://www.example.org/') || fromOtherSite())).toBe(true), { timeout: 15_000, interval: 50 });
    await vi.waitFor(async () => expect(await page.evaluate(() => document.readyState === 'complete' && location.pathname !== '/checkout')).toBe(true), { timeout: 10_000, interval: 50 });
    const logPage = await ext.openPage('options.html?lang=nl#history', `[data-visit="${checkout}"]`);
    const all = await vi.waitFor(
      async () => {
        await logPage.evaluate(() => chrome.runtime.sendMessage({ type: 'flush-log' }));
        const all = (await readObservations(logPage)).filter((row) => row.at >= since);
        expect(all.filter((row) => row.visitId === checkout && row.url.includes('en=leaving_')).length).toBe(marks.length);
        return all;
      },
      { timeout: 10_000, interval: 100 },
    );
    await logPage.close();
    const rows = all.filter((row) => row.visitId === checkout);
    expect(rows.filter((row) => row.url.includes('en=leaving_')).map((row) => row.entryId)).toEqual(marks.map(() => 'google-analytics'));
    // Nothing else began in the visit once the tab left: not what the next page loaded.
    expect(rows.filter((row) => !row.url.includes('en=leaving_')).map((row) => row.url)).toEqual([]);
    // Nor are they the next page's, nor anyone else's.
    expect(all.filter((row) => row.visitId !== checkout && row.url.includes('en=leaving_'))).toEqual([]);
    if (inShop) expect((await ext.tabState(tabId))?.visitId).not.toBe(checkout);
    else expect(await ext.tabState(tabId)).toBeNull();
    await page.close();
  });

  /** The rows a page tags as a service worker's: whose, and the address as shown with its tag. */
  function workerRows(page: Page, row: string, address: string) {
    return page.$$eval(
      `${row}[data-worker]:has([data-worker-tag])`,
      (rows, address) => rows.map((r) => ({ entry: r.getAttribute('data-entry') ?? r.getAttribute('data-observation'), address: r.querySelector(address)!.textContent })),
      address,
    );
  }

  it('sees Google’s tag gateway on the shop’s own address: the loader and a cookieless ping', async () => {
    const { page, tabId } = await visitPage(ext, '/test/tag-gateway');
    const popup = await openPopup(ext, tabId, 'en');
    const shown = await readPopup(popup);
    expect(shown.entries).toEqual(['aws', 'google-analytics', 'google-tag-manager']);
    expect(shown.verdicts['google-analytics']).toBe('denied-ping');
    expect(shown.text).toContain("through the shop's own server: www.mijnliefsteboek.nl");
    await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-tag-gateway-en.png`), fullPage: true });
    await popup.close();
    await page.close();
  });

  it('recognises every newer endpoint of the named companies, and Meta’s gateway on a shop subdomain', async () => {
    const { page, tabId } = await visitPage(ext, '/test/endpoints-2026');
    const state = (await ext.tabState(tabId))!;
    const popup = await openPopup(ext, tabId);
    const shown = await readPopup(popup);
    expect(shown.entries).toEqual(['adyen', 'aws', 'google-ads', 'google-analytics', 'meta-pixel', 'microsoft-ads']);
    // Nothing of theirs is left over as an unnamed host.
    expect(shown.unlisted).toEqual([]);
    // Meta: /tr, its Privacy Sandbox twin and the gateway; Ads: ccm (page-observed), rmkt (page-observed), td.
    expect(state.entries['meta-pixel']!.requests).toBe(3);
    expect(state.entries['meta-pixel']!.relays).toEqual([{ host: 'capig.mijnliefsteboek.nl', party: 'shop' }]);
    expect(state.entries['google-ads']!.requests).toBe(3);
    expect(state.entries['microsoft-ads']!.requests).toBe(2);
    await popup.close();
    await page.close();
  });

  it('judges cookies a page writes without any request: “0 requests” is no longer “no verdict”', async () => {
    const { page, tabId } = await visitPage(ext, '/test/cookies-only');
    for (const language of ['nl', 'en'] as const) {
      const popup = await openPopup(ext, tabId, language);
      // The page's cookie writes reach the worker as cookies.onChanged events, which the settle before
      // (content reports, the log) does not wait for: Firefox can hand them over after it. The popup
      // follows the tab's state, so the test waits for it to show them (bounded), then reads it.
      await popup
        .waitForFunction(() => ['aws', 'google-analytics', 'meta-pixel'].every((id) => document.querySelector(`[data-entry="${id}"]`)), { timeout: 10_000 })
        .catch(() => undefined);
      const shown = await readPopup(popup);
      // Failed twice in Firefox under load (fresh-clone CI runs, 2026-12-02 and -05): the popup showed only
      // aws, and the tab's state held Google Analytics and Meta only as cookies already there when its
      // visit began, none written during it. Traced: the page's request reached the background after the
      // tab's navigation and the page's cookie writes, and started a second visit in place of the one that
      // had them (fixed in lib/observe/observer.ts). What the background holds tells such a replaced visit
      // from a popup that missed a change.
      const state = await ext.tabState(tabId);
      const held = `the tab's state: visit ${state?.visitId} started ${state?.startedAt}, entries ${Object.entries(state?.entries ?? {}).map(([id, e]) => `${id} (${e.requests} requests, set ${e.cookiesSet.join('+') || 'none'}, present ${e.cookiesPresent.join('+') || 'none'})`).join(', ')}, cookie writes ${JSON.stringify(state?.cookieWrites)}`;
      expect(shown.entries, held).toEqual(['aws', 'google-analytics', 'meta-pixel']);
      expect(shown.requests['google-analytics']).toBe(0);
      expect(shown.verdicts).toMatchObject({ 'google-analytics': 'before-choice', 'meta-pixel': 'before-choice' });
      expect(await popup.$eval('[data-entry="google-analytics"] [data-cookie-evidence]', (e) => (e as HTMLElement).dataset.cookieEvidence)).toBe('_ga');
      expect(shown.text).toContain(language === 'nl' ? 'Zette de cookie _ga om' : 'Wrote the cookie _ga at');
      expect(shown.violations).toBe(2);
      await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-cookies-only-${language}.png`), fullPage: true });
      await popup.close();
    }
    await page.close();
  });

  it('names the third parties the policy does not', async () => {
    const { page, tabId } = await visitPage(ext, '/test/unnamed');
    const popup = await openPopup(ext, tabId, 'en');
    const shown = await readPopup(popup);
    expect(shown.unlisted).toEqual(['cdn.jsdelivr.net', 'fonts.googleapis.com', 'static.klaviyo.com', 'www.clarity.ms', 'www.kiyoh.com']);
    const who = await popup.$$eval('[data-host]', (rows) => Object.fromEntries(rows.map((r) => [(r as HTMLElement).dataset.host, r.querySelector('.unlisted__who')?.textContent ?? ''])));
    expect(who['www.clarity.ms']).toBe('Microsoft Clarity – Microsoft Corporation (United States), session recording');
    expect(who['fonts.googleapis.com']).toMatch(/^Google Fonts – Google Ireland Limited \(Ireland\), fonts$/);
    expect(who['static.klaviyo.com']).toMatch(/^Klaviyo/);
    expect(who['www.kiyoh.com']).toMatch(/^Kiyoh.*\(Netherlands\), reviews/);
    await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-unnamed-en.png`), fullPage: true });
    await popup.close();
    await page.close();
  });

  it('sees a page the shop’s service worker fetched: a visit of its own, with what it loaded', async () => {
    const { page, tabId } = await visitPage(ext, '/test/service-worker');
    await page.waitForSelector('html[data-service-worker="ready"]');
    const first = (await ext.tabState(tabId))!;
    // A page that began within a second of the tab's visit is taken for the visit's own (the margin for
    // the page's clock, lib/observe/observer.ts): the next page begins after it, as a customer's would.
    await page.waitForFunction((after) => Date.now() > after, {}, first.startedAt + 1_100);
    await page.goto('https://www.mijnliefsteboek.nl/test/service-worker/meta-pixel', { waitUntil: 'networkidle0' });
    // The worker fetched it: the browser's own request for it went to the worker, not the network.
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await ext.settle(page);
    const state = (await ext.tabState(tabId))!;
    // Chromium's webRequest does not show a page the worker served: without the page's own report, its
    // visit went on as the page before's, which then counted its Meta pixel.
    expect(state.visitId).not.toBe(first.visitId);
    expect(state.url).toBe('https://www.mijnliefsteboek.nl/test/service-worker/meta-pixel');
    expect(state.entries['meta-pixel']?.requests).toBeGreaterThan(0);
    // Neither browser showed the response's CloudFront headers to the page's tab (the worker's own fetch
    // carried them). Chromium did not show the page's request at all: the page's report began the visit,
    // when the page began. (Firefox shows the navigation's start, which begins the visit as any does.)
    expect(state.entries.aws?.requests ?? 0).toBe(0);
    // Within 25 ms: the report reads the page's start as `Date.now() - performance.now()`, which in this
    // Chromium is 0.2 to 2.1 ms off `performance.timeOrigin` on an idle page (40 pages); under load 2.5 ms
    // was seen, and 7.8 ms once in six runs beside the other end-to-end tests. The visit it must not be,
    // the page before's, began more than a second earlier.
    if (name === 'chromium') expect(Math.abs(state.startedAt - (await page.evaluate(() => performance.timeOrigin)))).toBeLessThan(25);
    const popup = await openPopup(ext, tabId);
    const shown = await readPopup(popup);
    expect(shown.entries).toEqual(['aws', 'meta-pixel']);
    expect(shown.text).toContain('www.mijnliefsteboek.nl/test/service-worker/meta-pixel');
    await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-service-worker-nl.png`), fullPage: true });
    await popup.close();
    await page.close();
  });

  it('keeps a customer who came through a slow ad click in one visit: the page’s, with what it sends later', async () => {
    const home = 'https://www.mijnliefsteboek.nl/';
    // The ad network's hop takes 1.5 s: the page's navigation, and so its clock, began that much before
    // the shop's own request, which begins the visit.
    const { page, tabId } = await ext.visit(`/pagead/aclk?sa=L&ai=fixture&wait=1500&adurl=${encodeURIComponent(home)}`, 'www.googleadservices.com');
    expect(page.url()).toBe(home);
    const loaded = (await ext.tabState(tabId))!;
    expect(loaded.startedAt - (await page.evaluate(() => Date.now() - performance.now()))).toBeGreaterThan(1_200);
    expect(loaded.url).toBe(home);
    expect(loaded.shownAgain).toBeUndefined();
    const pixels = loaded.entries['meta-pixel']?.requests ?? 0;
    // The customer adds a book to the cart long after the page reported: the page's own request.
    const sent = page.waitForResponse((response) => response.url().startsWith('https://www.facebook.com/tr/'));
    await page.evaluate(() => void (new Image().src = `https://www.facebook.com/tr/?id=1&ev=AddToCart&noscript=1&t=${Date.now()}`));
    await sent;
    await ext.settle(page);
    const after = (await ext.tabState(tabId))!;
    expect(after).toMatchObject({ visitId: loaded.visitId, url: home });
    expect(after.shownAgain).toBeUndefined();
    // More than one more: on a loaded machine the page's own pixel can still be on its way at `loaded`.
    expect(after.entries['meta-pixel']?.requests).toBeGreaterThan(pixels);
    // And the log holds that one visit for the tab, not a second one begun by a later request.
    const logPage = await ext.openPage('options.html?lang=nl#history', `[data-visit="${loaded.visitId}"]`);
    await logPage.evaluate(() => chrome.runtime.sendMessage({ type: 'flush-log' }));
    const visits = (await readLogTable<Visit>(logPage, 'visits')).filter((visit) => visit.tabId === tabId);
    expect(visits.map(({ id, url, shownAgain }) => ({ id, url, shownAgain }))).toEqual([{ id: loaded.visitId, url: home, shownAgain: undefined }]);
    await logPage.close();
    await page.close();
  });

  // Firefox follows no speculation rules: there the page is an ordinary one.
  it.skipIf(name !== 'chromium')('keeps pages the shop has the browser fetch or load unseen out of the page shown, and begins a visit when one is shown', async () => {
    const base = 'https://www.mijnliefsteboek.nl/test/speculation';
    const purposeOf = (path: string) => shop.requests.find((r) => r.host === 'www.mijnliefsteboek.nl' && r.path === path)?.headers['sec-purpose'];
    const unseenPixel = () => shop.requests.some((r) => r.host === 'www.facebook.com' && r.path.startsWith('/tr') && r.path.includes(`&dl=${encodeURIComponent(`${base}/volgende`)}`));
    const { page, tabId } = await ext.visit('/test/speculation');
    // The premise: Chromium fetched one page ahead, and loaded the other unseen, with its Meta pixel.
    await vi.waitFor(() => expect([purposeOf('/test/speculation/later'), purposeOf('/test/speculation/volgende'), unseenPixel()]).toEqual(['prefetch', 'prefetch;prerender', true]), { timeout: 15_000, interval: 100 });
    await ext.settle(page);
    const home = (await ext.tabState(tabId))!;
    expect(home).toMatchObject({ url: base });
    const homePixels = home.entries['meta-pixel']!.requests;
    const popup = await openPopup(ext, tabId);
    expect((await readPopup(popup)).entries).toEqual(['aws', 'meta-pixel']);
    await popup.close();

    // The customer follows the link: the browser shows the page it loaded unseen, with no request. The
    // prerendered page takes the main frame's place, and under load puppeteer can lose this page's
    // frame as it does (a fresh-clone CI run on 2026-12-08, and 2 of 3 local runs on the build of
    // fccf7ac while another run loaded the machine): the shown page is waited for where the
    // extension sees it, the tab's state, which a prerendered page has no visit in until it is shown.
    await page.click('#next');
    await vi.waitFor(async () => expect((await ext.tabState(tabId))?.url).toBe(`${base}/volgende`), { timeout: 15_000, interval: 100 });
    await ext.settle(page);
    const shown = (await ext.tabState(tabId))!;
    expect(shown.visitId).not.toBe(home.visitId);
    expect(shown).toMatchObject({ url: `${base}/volgende` });
    expect(shown.shownAgain).toBeUndefined();
    // The pixel it sent unseen is its own, counted from the moment it was shown; none of it went to home's visit.
    expect(shown.entries['meta-pixel']?.requests).toBeGreaterThan(0);
    expect(shown.startedAt).toBeGreaterThan(home.startedAt);
    // Its own response came unseen too, from CloudFront: where the shop hosts it is the visit's.
    expect(shown.entries.aws?.requests).toBe(1);
    const logPage = await ext.openPage('options.html?lang=nl#history', `[data-visit="${shown.visitId}"]`);
    await logPage.evaluate(() => chrome.runtime.sendMessage({ type: 'flush-log' }));
    const visits = (await readLogTable<Visit>(logPage, 'visits')).filter((visit) => visit.tabId === tabId).sort((a, b) => a.startedAt - b.startedAt);
    expect(visits.map(({ url, shownAgain }) => ({ url, shownAgain }))).toEqual([{ url: base, shownAgain: undefined }, { url: `${base}/volgende`, shownAgain: undefined }]);
    const rows = await readObservations(logPage);
    expect(rows.filter((row) => row.visitId === home.visitId && row.entryId === 'meta-pixel')).toHaveLength(homePixels);
    await logPage.screenshot({ path: resolve(SCREENSHOTS, `${name}-history-speculation-nl.png`) });
    await logPage.close();
    const shownPopup = await openPopup(ext, tabId);
    expect((await readPopup(shownPopup)).entries).toContain('meta-pixel');
    await shownPopup.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-prerendered-nl.png`), fullPage: true });
    await shownPopup.close();
    await page.close();
  });

  /**
   * A page of the shop, then its link to the next page, then back: the tab's state on each of the three.
   * The fixture's page marks each showing (`data-shown-again`).
   */
  async function leaveAndComeBack(path: string) {
    const { page, tabId } = await visitPage(ext, path);
    const first = (await ext.tabState(tabId))!;
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#next')]);
    await ext.settle(page);
    const next = (await ext.tabState(tabId))!;
    // A page shown again within a second of the tab's visit is taken for that visit's own (the margin for
    // the page's clock, lib/observe/observer.ts): back after that, as a customer who read the page.
    await page.waitForFunction((after) => Date.now() > after, {}, next.startedAt + 1_100);
    // Not page.goBack(): over WebDriver BiDi it waits for a load that a page shown again never has.
    await page.evaluate(() => history.back());
    // The premise: the browser kept the page and showed it again, without loading it.
    await page.waitForSelector('html[data-shown-again="1"]');
    await ext.settle(page);
    return { page, tabId, first, next, state: (await ext.tabState(tabId))! };
  }

  /** The Meta pixel's rows in the log for the visit of the page left and that of the page shown again. */
  async function pixelRows(left: string, shown: string) {
    const logPage = await ext.openPage('options.html?lang=nl#history', `[data-visit="${shown}"]`);
    await logPage.evaluate(() => chrome.runtime.sendMessage({ type: 'flush-log' }));
    const rows = await readObservations(logPage);
    await logPage.close();
    const count = (visitId: string) => rows.filter((row) => row.visitId === visitId && row.entryId === 'meta-pixel').length;
    return { left: count(left), shown: count(shown) };
  }

  it('sees a page the back/forward cache showed again: a visit of its own, with what it sent since', async () => {
    const { page, tabId, first, next, state } = await leaveAndComeBack('/test/back-forward');
    expect(first.entries['meta-pixel']?.requests).toBeGreaterThan(0);
    expect(next).toMatchObject({ url: 'https://www.mijnliefsteboek.nl/test/back-forward/volgende' });
    expect(next.visitId).not.toBe(first.visitId);
    // Within the shop the tab's visit went on as the page it left, which then counted this page's pixel.
    expect(state.visitId).not.toBe(next.visitId);
    expect(state.visitId).not.toBe(first.visitId);
    expect(state).toMatchObject({ url: 'https://www.mijnliefsteboek.nl/test/back-forward', shownAgain: true });
    expect(state.startedAt).toBeGreaterThan(next.startedAt + 1_000);
    // The page view the shop counted when the page came back, and nothing it had loaded before.
    expect(state.entries['meta-pixel']?.requests).toBe(1);
    expect(state.entries.aws?.requests ?? 0).toBe(0);
    for (const language of ['nl', 'en'] as const) {
      const popup = await openPopup(ext, tabId, language);
      const shown = await readPopup(popup);
      expect(shown.entries).toEqual(['meta-pixel']);
      const note = await popup.$eval('[data-shown-again]', (element) => element.textContent);
      expect(note).toContain(language === 'nl' ? 'terug- of vooruitknop' : 'back or forward button');
      await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-back-forward-${language}.png`), fullPage: true });
      await popup.close();
    }
    // Support staff's DevTools panel says it as the popup does.
    for (const language of ['nl', 'en'] as const) {
      const panel = await ext.openPage(`devtools-panel.html?tabId=${tabId}&lang=${language}`, '[data-shown-again]');
      expect(await panel.$eval('[data-shown-again]', (element) => element.textContent)).toContain(language === 'nl' ? 'terug- of vooruitknop' : 'back or forward button');
      await panel.screenshot({ path: resolve(SCREENSHOTS, `${name}-panel-back-forward-${language}.png`), fullPage: true });
      await panel.close();
    }
    // The history marks the visit so (the newest visit, at the top of the list).
    for (const [language, mark] of [['nl', '· teruggehaald met de terug- of vooruitknop'], ['en', '· shown again by the back or forward button']] as const) {
      const historyPage = await ext.openPage(`options.html?lang=${language}#history`, `[data-visit="${state.visitId}"]`);
      expect(await historyPage.$eval(`[data-visit="${state.visitId}"] [data-shown-again]`, (element) => element.textContent)).toBe(mark);
      await historyPage.screenshot({ path: resolve(SCREENSHOTS, `${name}-history-back-forward-${language}.png`) });
      await historyPage.close();
    }
    // The page view sent as the page came back is not the page left's as well. Its request and the
    // page's report race to the worker; in Chromium the request names its document, which settles it
    // (the observer's visitOfDocument): before that, the request won 1 run in 5 and counted twice.
    // Firefox names no document: there the report has won in every run so far.
    if (name === 'chromium') expect(await pixelRows(next.visitId, state.visitId)).toEqual({ left: 0, shown: 1 });
    await page.close();
  });

  // Firefox fires no `resume` and names no request's document: there the page's report is all it has.
  it.skipIf(name !== 'chromium')('places a page view sent as the page wakes, before it says it was shown again, in that page’s visit', async () => {
    const { page, first, next, state } = await leaveAndComeBack('/test/back-forward/vroeg');
    expect(state).toMatchObject({ url: 'https://www.mijnliefsteboek.nl/test/back-forward/vroeg', shownAgain: true });
    expect([first.visitId, next.visitId]).not.toContain(state.visitId);
    // Sent before the showing, the page view is not in the page's report of it (lib/observe/page-start.ts):
    // only its request, which names the page's document, places it.
    expect(state.entries['meta-pixel']?.requests).toBe(1);
    expect(await pixelRows(next.visitId, state.visitId)).toEqual({ left: 0, shown: 1 });
    await page.close();
  });

  it('saw no request that the pages did not make', () => {
    expect(shop.unexpected.map((r) => `${r.method} ${r.host}${r.path}`)).toEqual([]);
  });
});
