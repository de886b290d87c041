import { resolve } from 'node:path';
import type { Page } from 'puppeteer';
import { beforeEach, describe, expect, it } from 'vitest';
import { CMP_PLATFORMS } from '../fixtures/shop/cmps';
import type { FixtureShop } from '../fixtures/shop/server';
import { BROWSERS, withBrowser, type BrowserUnderTest } from './drivers';
import { SCREENSHOTS, readPopup } from './helpers';

/**
 * Any banner: six consent platforms and a banner that only speaks Google Consent Mode, each answered
 * by the customer's mouse, then judged in the popup. For each platform: a refusal and then a tag that
 * fires anyway, an acceptance, and a shop whose Consent Mode says "granted" for a "no".
 */
describe.each(BROWSERS)('consent platforms in %s', (name) => {
  let shop: FixtureShop;
  let driver: BrowserUnderTest;
  withBrowser(name, (started, browser) => {
    shop = started;
    driver = browser;
  });
  // Each scenario is a first visit: no record, no tracker cookies.
  beforeEach(async () => {
    await driver.clearCookies();
  });

  /** Loads a page, answers its banner with the mouse, and reads the popup once everything has settled. */
  async function answered(path: string, button: '#mlb-cmp-accept' | '#mlb-cmp-reject', language: 'nl' | 'en' = 'nl') {
    const { page, tabId } = await driver.visit(path);
    const before = await readOpenPopup(tabId, language);
    await page.bringToFront();
    await page.waitForSelector(button, { visible: true });
    await page.click(button);
    await page.waitForNetworkIdle({ idleTime: 500 });
    await driver.settle(page);
    const popup = await driver.openPopup(tabId, language);
    const after = await readPopup(popup);
    return { page, popup, tabId, before, after };
  }
  async function readOpenPopup(tabId: number, language: 'nl' | 'en') {
    const popup = await driver.openPopup(tabId, language);
    const shown = await readPopup(popup);
    await popup.close();
    return shown;
  }
  const close = async (...pages: Page[]) => {
    for (const page of pages) await page.close();
  };
  const conflicts = <F extends { kind: string }>(findings: F[]) => findings.filter((f) => f.kind === 'consent-signal-conflict');

  for (const platform of CMP_PLATFORMS) {
    it(`${platform}: waits, then a refusal, then the Meta pixel fires anyway: against the choice, read from ${platform}`, async () => {
      const { page, popup, before, after } = await answered(`/cmp/${platform}/meta-ignores-refusal`, '#mlb-cmp-reject');
      expect(before.consent.source).toBe('none');
      expect(after.consent.source).toBe(platform);
      expect(after.consent.granted).toMatchObject({ statistics: false, marketing: false });
      expect(after.verdicts).toMatchObject({ 'meta-pixel': 'against-choice', 'google-analytics': 'denied-ping' });
      expect(conflicts(after.findings)).toEqual([]);
      await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-cmp-${platform}-refused-nl.png`), fullPage: true });
      await close(popup, page);
    });

    it(`${platform}: accepted: the tags that waited for the choice are consented`, async () => {
      const { page, popup, after } = await answered(`/cmp/${platform}`, '#mlb-cmp-accept');
      expect(after.consent.source).toBe(platform);
      expect(after.consent.granted).toMatchObject({ statistics: true, marketing: true });
      expect(after.verdicts['meta-pixel']).toBe('consented');
      // Google's pings before the choice stay a warning: a tracker's verdict is its worst request's.
      expect(['denied-ping', 'consented']).toContain(after.verdicts['google-analytics']);
      expect(after.violations).toBe(0);
      expect(conflicts(after.findings)).toEqual([]);
      await close(popup, page);
    });

    it(`${platform}: refused, but the shop tells Google "granted": verdicts follow the customer, and the conflict is named`, async () => {
      const { page, popup, after } = await answered(`/cmp/${platform}/conflict`, '#mlb-cmp-reject', 'en');
      expect(after.consent.source).toBe(platform);
      expect(after.verdicts['google-analytics']).toBe('against-choice');
      expect(after.verdicts['meta-pixel']).toBeUndefined();
      const found = conflicts(after.findings);
      expect(found.length).toBeGreaterThan(0);
      expect(found.map((f) => f.text).join(' ')).toMatch(/You refused (statistics|marketing).*but the shop then told the tags you allowed it \(Google Consent Mode/);
      await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-cmp-${platform}-conflict-en.png`), fullPage: true });
      await close(popup, page);
    });
  }

  it('a banner that only speaks Google Consent Mode: the choice is read from it, and the popup says so', async () => {
    const { page, popup, after } = await answered('/cmp/consent-mode-only/meta-ignores-refusal', '#mlb-cmp-reject');
    expect(after.consent.source).toBe('consent-mode');
    expect(after.text).toContain('Gelezen uit Google Consent Mode');
    expect(after.consent.granted).toMatchObject({ statistics: false, marketing: false });
    expect(after.verdicts['meta-pixel']).toBe('against-choice');
    await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-cmp-consent-mode-only-nl.png`), fullPage: true });
    await close(popup, page);
  });

  it('a banner that tells Google through a tag manager template (no command in dataLayer): the choice is read from Google’s own state, from the click that made it', async () => {
    const { page, popup, before, after } = await answered('/cmp/consent-mode-only/gtm-template', '#mlb-cmp-accept', 'en');
    expect(before.consent.source).toBe('none');
    expect(after.consent.source).toBe('consent-mode');
    expect(after.consent.granted).toMatchObject({ statistics: true, marketing: true });
    // The pixel fired as the template's update went out, before the reader's next look saw it.
    expect(after.verdicts['meta-pixel']).toBe('consented');
    expect(after.violations).toBe(0);
    expect(after.findings.map((f) => f.kind)).toEqual([]);
    await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-cmp-consent-mode-template-en.png`), fullPage: true });
    await close(popup, page);
  });

  it.each([
    ['in dataLayer', '/cmp/consent-mode-only'],
    ['through a tag manager template', '/cmp/consent-mode-only/gtm-template'],
  ])('a banner that only speaks Google Consent Mode (%s), on the next page: the stored choice, told to Google as the page loads, allows the tags it lets fire', async (_how, path) => {
    const first = await answered(path, '#mlb-cmp-accept');
    await close(first.popup, first.page);
    // The banner tells Google of the stored choice at DOMContentLoaded and the pixel fires at once,
    // long before the reader's first look: the update must count from its push (or, where only
    // Google's state tells of it, from the page's start), not from that look.
    const { page, tabId } = await driver.visit(path);
    await page.waitForNetworkIdle({ idleTime: 500 });
    await driver.settle(page);
    // What the page sees of the reader's wait: its dataLayer a plain property, and no uetq, which
    // this page never makes (taken away again at DOMContentLoaded).
    const ownProperties = await page.evaluate(() => ({ dataLayer: Object.getOwnPropertyDescriptor(window, 'dataLayer'), uetq: 'uetq' in window }));
    expect(ownProperties).toEqual({ dataLayer: { value: expect.any(Array), writable: true, enumerable: true, configurable: true }, uetq: false });
    const popup = await driver.openPopup(tabId, 'en');
    const shown = await readPopup(popup);
    expect(shown.consent.source).toBe('consent-mode');
    expect(shown.consent.granted).toMatchObject({ statistics: true, marketing: true });
    expect(shown.verdicts['meta-pixel']).toBe('consented');
    expect(shown.violations).toBe(0);
    // gtag.js wrote _ga_<id> as it built the hit the update set off, after the cookieless ping: no mismatch.
    expect(shown.findings.map((f) => f.kind)).toEqual([]);
    await popup.screenshot({ path: resolve(SCREENSHOTS, `${name}-cmp${path.replaceAll('/', '-').replace('-cmp', '')}-next-page-en.png`), fullPage: true });
    await close(popup, page);
  });

  it('a Consent Mode default for other regions does not apply to a Dutch customer: before any choice, nothing is granted', async () => {
    const { page, tabId } = await driver.visit('/cmp/consent-mode-only');
    const popup = await driver.openPopup(tabId);
    const shown = await readPopup(popup);
    expect(shown.consent.source).toBe('none');
    expect(shown.text).toContain('Je hebt nog geen keuze gemaakt in de cookiebanner.');
    expect(shown.verdicts['google-analytics']).toBe('denied-ping');
    await close(popup, page);
  });

  it('saw no request that the pages did not make', () => {
    expect(shop.unexpected.map((r) => `${r.method} ${r.host}${r.path}`)).toEqual([]);
  });
});
