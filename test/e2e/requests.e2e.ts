import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readLogTable } from './log';
import type { Page } from 'puppeteer';
import { describe, expect, it } from 'vitest';
import type { FixtureShop } from '../fixtures/shop/server';
import type { ExtensionBrowser } from '../../lib/scan/chromium';
import { SCREENSHOTS, ageRequests, readmeScreenshot, waitForDownload, withShopAndExtension } from './helpers';

describe('rights requests in Chromium', () => {
  let shop: FixtureShop;
  let ext: ExtensionBrowser;

  withShopAndExtension((startedShop, startedExt) => {
    shop = startedShop;
    ext = startedExt;
  });

  async function newTabTo(predicate: (url: string) => boolean): Promise<Page> {
    const target = await ext.browser.waitForTarget((t) => t.type() === 'page' && predicate(t.url()), { timeout: 15_000 });
    return (await target.page())!;
  }

  async function fill(page: Page, selector: string, value: string) {
    await page.click(selector, { count: 3 });
    await page.keyboard.press('Backspace');
    if (value) await page.type(selector, value);
  }

  it('opens the composer from the popup and files an access request through the shop’s own form, filled in but not sent', async () => {
    const shopPage = await ext.browser.newPage();
    await shopPage.goto('https://www.mijnliefsteboek.nl/test/google-analytics', { waitUntil: 'networkidle0' });
    await ext.settle(shopPage);
    const tabId = await ext.tabIdOf(shopPage);

    const popup = await ext.browser.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tabId=${tabId}&lang=nl`);
    await popup.waitForSelector('[data-request-type="access"]');
    await popup.click('[data-request-type="access"]');
    const composer = await newTabTo((url) => url.includes('/request.html?type=access&lang=nl'));
    await composer.bringToFront();
    await composer.waitForSelector('#letter-body');

    // The letter quotes the Google Analytics client id the extension saw in the _ga cookie.
    const gaCookie = (await shopPage.cookies()).find((c) => c.name === '_ga')!.value;
    const clientId = gaCookie.split('.').slice(-2).join('.');
    await fill(composer, '#field-name', 'Sanne de Vries');
    await fill(composer, '#field-email', 'sanne@voorbeeld.nl');
    await composer.click('#remember-details');
    const letter = await composer.$eval('#letter-body', (e) => (e as HTMLTextAreaElement).value);
    expect(letter).toContain('artikel 15');
    expect(letter).toContain('Sanne de Vries');
    expect(letter).toContain(clientId);
    expect(letter).toContain('Google Ireland Limited');
    await composer.setViewport({ width: 900, height: 1000 });
    await readmeScreenshot(composer, 'chromium-composer');

    shop.clearRequests();
    await composer.click('#open-shop-form');
    expect(await composer.$$eval('.field-error', (els) => els.map((e) => e.textContent))).toEqual([]);
    const form = await newTabTo((url) => url.startsWith('https://www.mijnliefsteboek.nl/over/privacybeleid'));
    await form.waitForFunction(() => (document.querySelector('#data-request-email') as HTMLInputElement | null)?.value === 'sanne@voorbeeld.nl', { timeout: 10_000 });
    // One of the suite's few fixed waits, on purpose: it proves an absence (the filled form is not sent
    // by itself), and an absence has no event to wait for. Half a second after the fill is the window.
    await new Promise((r) => setTimeout(r, 500));
    expect(shop.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/over/privacybeleid/gegevens'))).toEqual([]);
    expect(await form.evaluate(() => document.activeElement?.id)).toBe('data-request-email');
    await form.screenshot({ path: resolve(SCREENSHOTS, 'shop-form-filled-nl.png'), fullPage: true });
    await form.close();

    // Nothing is recorded as sent until the customer says so.
    const options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html?lang=nl#requests`);
    await options.waitForSelector('.requests');
    expect(await options.$$('[data-request]')).toHaveLength(0);

    // Input goes only to the tab in front: background tabs do not render.
    await composer.bringToFront();
    await composer.click('#confirm-sent');
    await composer.waitForFunction(() => document.querySelector('.composer__notice')?.textContent?.includes('Vastgelegd'));
    await options.waitForSelector('[data-request="access"]');
    await composer.screenshot({ path: resolve(SCREENSHOTS, 'composer-access-nl.png'), fullPage: true });
    await options.close();
    await composer.close();
    await popup.close();
    await shopPage.close();
  });

  it('refuses bad details with clear messages and records nothing', async () => {
    const composer = await ext.browser.newPage();
    await composer.goto(`chrome-extension://${ext.extensionId}/request.html?type=erasure&lang=en`);
    await composer.waitForSelector('#letter-body');
    await fill(composer, '#field-name', '');
    await fill(composer, '#field-email', 'sanne@');
    await fill(composer, '#field-orderNumber', '#12');
    await composer.click('#confirm-sent');
    await composer.waitForSelector('#email-error');
    const messages = await composer.$$eval('.field-error', (els) => els.map((e) => e.textContent));
    expect(messages).toEqual(['Fill in your name.', 'Fill in a valid e-mail address, such as name@example.com.', 'An order number is letters, digits and dashes (4 to 24 characters), without spaces.']);
    expect(await composer.$eval('#field-email', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    await composer.screenshot({ path: resolve(SCREENSHOTS, 'composer-errors-en.png'), fullPage: true });
    const count = (await readLogTable(composer, 'rightsRequests')).length;
    expect(count).toBe(1); // only the access request of the test before
    await composer.close();
  });

  it('writes an erasure request to the contact address by default, and to the data-protection contact as a mailto link and an .eml file', async () => {
    const downloads = await mkdtemp(join(tmpdir(), 'privacy-lens-eml-'));
    const composer = await ext.browser.newPage();
    const cdp = await composer.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await composer.goto(`chrome-extension://${ext.extensionId}/request.html?type=erasure&lang=nl`);
    await composer.waitForSelector('#letter-body');
    // The details the customer asked to remember come back.
    await composer.waitForFunction(() => (document.querySelector('#field-email') as HTMLInputElement).value === 'sanne@voorbeeld.nl');
    // The policy's contact address by default (it keeps the data-protection contact for complaints).
    expect(await composer.$eval('input[name="channel"]:checked', (e) => (e as HTMLInputElement).value)).toBe('email-contact');
    expect(await composer.$eval('#open-mail', (a) => (a as HTMLAnchorElement).href)).toMatch(/^mailto:info@mijnliefsteboek\.nl\?subject=/);
    await composer.click('input[name="channel"][value="email-dpo"]');
    await composer.waitForFunction(() => (document.querySelector('#open-mail') as HTMLAnchorElement).href.startsWith('mailto:dpo@'));
    const href = await composer.$eval('#open-mail', (a) => (a as HTMLAnchorElement).href);
    expect(href.startsWith('mailto:dpo@mybestbook.com?subject=')).toBe(true);
    const params = new URLSearchParams(href.slice(href.indexOf('?') + 1));
    expect(params.get('subject')).toBe('Verzoek om verwijdering (art. 17 AVG) – Sanne de Vries');
    expect(params.get('body')).toContain('artikel 17');
    expect(params.get('body')).toContain('tot 5 jaar te bewaren');

    await composer.click('#download-eml');
    const { text: eml } = await waitForDownload(downloads, '.eml');
    expect(eml).toContain('To: dpo@mybestbook.com');
    expect(eml).toContain('X-Unsent: 1');
    const body = Buffer.from(eml.split('\r\n\r\n')[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8');
    expect(body).toContain('artikel 17');
    await composer.close();
  });

  it('shows a request past its deadline as overdue and offers the reminder, then the complaint', async () => {
    const options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html?lang=nl#requests`);
    await options.waitForSelector('[data-request="access"]');
    // Move the recorded request 40 days into the past, as if the shop never answered.
    await ageRequests(options, { sentDays: 40 });
    await options.reload();
    await options.bringToFront();
    await options.waitForSelector('[data-request="access"][data-overdue="true"]');
    expect(await options.$eval('[data-request="access"]', (e) => (e as HTMLElement).innerText)).toContain('Te laat');
    await options.click('[data-next-step="reminder"]');
    await options.waitForSelector('[data-followup="reminder"]');
    const reminder = await options.$eval('.followup__text', (e) => (e as HTMLTextAreaElement).value);
    expect(reminder).toContain('Herinnering');
    await options.screenshot({ path: resolve(SCREENSHOTS, 'requests-overdue-nl.png'), fullPage: true });
    await options.click('[data-followup="reminder"] .button--confirm');
    await options.waitForFunction(() => document.querySelector('.request__history')?.textContent?.includes('herinnering'));

    // The toolbar icon says a request needs attention, on every tab without a badge of its own.
    await options.evaluate(() => chrome.runtime.sendMessage({ type: 'requests-changed' }));
    const worker = await ext.worker();
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('!');

    // Fourteen days after the reminder, the complaint to the data-protection contact is next.
    await ageRequests(options, { followUpDays: 15 });
    await options.reload();
    await options.waitForSelector('[data-next-step="dpo-complaint"]');
    await options.click('[data-next-step="dpo-complaint"]');
    await options.waitForSelector('[data-followup="dpo-complaint"]');
    const complaint = await options.$eval('[data-followup="dpo-complaint"] a.button', (a) => (a as HTMLAnchorElement).href);
    expect(complaint.startsWith('mailto:dpo@mybestbook.com')).toBe(true);

    const english = await ext.browser.newPage();
    await english.goto(`chrome-extension://${ext.extensionId}/options.html?lang=en#requests`);
    await english.waitForSelector('[data-request="access"][data-overdue="true"]');
    expect(await english.$eval('[data-request="access"]', (e) => (e as HTMLElement).innerText)).toContain('Overdue');
    await english.screenshot({ path: resolve(SCREENSHOTS, 'requests-overdue-en.png'), fullPage: true });
    await english.close();
    await options.close();
  });
});
