import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseReport } from '../../lib/report';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { firefoxProxyPrefs, launchFirefoxWithExtension, type FirefoxExtension } from '../../lib/scan/firefox';
import { DETECTION_PAGES, RESPECTFUL_VERDICTS } from './expected-pages';
import { audit, readable } from './axe';
import { SCREENSHOTS, readPopup, readmeScreenshot, waitForDownload, wholeJson } from './helpers';
import { readLogTable } from './log';
import type { Visit } from '../../lib/db';
import { STANCE_KEY } from '../../lib/consent/stance';

const SHOP = 'https://www.mijnliefsteboek.nl';

describe('Firefox ESR with the built extension (Manifest V3)', () => {
  let shop: FixtureShop;
  let ff: FirefoxExtension;
  let downloads: string;

  beforeAll(async () => {
    shop = await startFixtureShop();
    downloads = await mkdtemp(join(tmpdir(), 'privacy-lens-ff-downloads-'));
    ff = await launchFirefoxWithExtension({
      prefs: {
        ...firefoxProxyPrefs(shop.port),
        // Exports land in a folder the test reads, without a dialog.
        'browser.download.folderList': 2,
        'browser.download.dir': downloads,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        // Grants a permissions.request() without the doorhanger a headless browser cannot show.
        'extensions.webextOptionalPermissionPrompts': false,
      },
    });
  });
  afterAll(async () => {
    await ff?.close();
    await shop?.close();
  });
  // Each test starts as a first visit: no consent record, no tracker cookies.
  beforeEach(async () => {
    await ff.browser.deleteCookie(...(await ff.browser.cookies()));
  });

  async function visit(path: string) {
    const page = await ff.browser.newPage();
    await page.goto(`${SHOP}${path}`, { waitUntil: 'networkidle0' });
    await ff.settle(page);
    return { page, tabId: await ff.tabIdOf(page) };
  }

  async function openPopup(tabId: number, language = 'nl') {
    const popup = await ff.openPage(`popup.html?lang=${language}&tabId=${tabId}`, '[data-view]');
    await popup.setViewport({ width: 380, height: 900 });
    return popup;
  }

  /** Answers the fixture's Cookie Information banner with the mouse, as a customer does. */
  async function answer(page: Page, button: string) {
    await page.bringToFront();
    await page.waitForSelector(button, { visible: true });
    await page.click(button);
    await page.waitForSelector(CONSENT_SELECTORS.OVERLAY, { hidden: true });
    await page.waitForNetworkIdle({ idleTime: 500 });
    await ff.settle(page);
  }

  /**
   * The tab `open` makes the extension open, once it shows an address containing `part`. BiDi reports
   * moz-extension:// tabs as about:blank, so the new tab is told by its target being new, and its
   * address is asked of the page itself.
   */
  async function newTabTo(part: string, open: () => Promise<void>): Promise<Page> {
    const before = new Set(ff.browser.targets());
    const created = ff.browser.waitForTarget((target) => target.type() === 'page' && !before.has(target), { timeout: 15_000 });
    await open();
    const page = await (await created).page();
    if (!page) throw new Error('the extension opened a tab without a page');
    await page.waitForFunction((wanted) => location.href.includes(wanted), { timeout: 15_000 }, part);
    return page;
  }

  /** axe-core's rules in Firefox too: its rendering (fonts, form controls, colours) is its own. */
  async function expectAccessible(page: Page, where: string) {
    const problems = await audit(page, where);
    expect(problems, `axe found:\n${readable(problems)}`).toEqual([]);
  }

  describe('detection', () => {
    // The same expectations as in Chromium (test/e2e/expected-pages.ts).
    for (const expected of DETECTION_PAGES) {
      it(`shows exactly what fired on ${expected.path}`, async () => {
        const { page, tabId } = await visit(expected.path);
        const popup = await openPopup(tabId);
        const shown = await readPopup(popup);
        expect(shown.view).toBe('tab');
        expect(shown.entries).toEqual(expected.entries);
        expect(shown.unlisted).toEqual(expected.unlisted);
        await popup.close();
        await page.close();
      });
    }

    it('collects nothing on a site that is not the shop', async () => {
      const page = await ff.browser.newPage();
      await page.goto('https://www.example.org/', { waitUntil: 'networkidle0' });
      const tabId = await ff.tabIdOf(page).catch(() => null);
      expect(tabId === null ? null : await ff.tabState(tabId)).toBeNull();
      await page.close();
    });
  });

  describe('consent verdicts', () => {
    it('no answer yet: only Google’s cookieless pings, and the popup says the banner is waiting', async () => {
      const { page, tabId } = await visit(CONSENT_SCENARIOS.respectful);
      const popup = await openPopup(tabId);
      const shown = await readPopup(popup);
      expect(shown.verdicts).toEqual(RESPECTFUL_VERDICTS.cookielessOnly);
      expect(shown.consent.source).toBe('none');
      expect(shown.violations).toBe(0);
      expect(await ff.badgeText(tabId)).toBe('3');
      await popup.close();
      await page.close();
    });

    it('accept all: every tracker after the choice is consented', async () => {
      const { page, tabId } = await visit(CONSENT_SCENARIOS.respectful);
      await answer(page, CONSENT_SELECTORS.ACCEPT_ALL);
      const popup = await openPopup(tabId);
      const shown = await readPopup(popup);
      expect(shown.verdicts).toEqual(RESPECTFUL_VERDICTS.acceptedAll);
      expect(shown.consent).toEqual({ source: 'cookie-information', granted: { functional: true, statistics: true, marketing: true, unclassified: true } });
      expect(shown.violations).toBe(0);
      await popup.close();
      await page.close();
    });

    it('reject all: nothing but the cookieless pings, and no violation', async () => {
      const { page, tabId } = await visit(CONSENT_SCENARIOS.respectful);
      await answer(page, CONSENT_SELECTORS.DECLINE_ALL);
      const popup = await openPopup(tabId);
      const shown = await readPopup(popup);
      expect(shown.verdicts).toEqual(RESPECTFUL_VERDICTS.cookielessOnly);
      expect(shown.consent.granted).toEqual({ functional: false, statistics: false, marketing: false, unclassified: false });
      expect(shown.violations).toBe(0);
      await readmeScreenshot(popup, 'firefox-popup-clean');
      await popup.close();
      await page.close();
    });

    it('reject all, then the Meta pixel fires anyway: against your choice, with a red badge', async () => {
      const { page, tabId } = await visit(CONSENT_SCENARIOS.metaIgnoresRefusal);
      await answer(page, CONSENT_SELECTORS.DECLINE_ALL);
      const popup = await openPopup(tabId);
      const shown = await readPopup(popup);
      expect(shown.consent.source).toBe('cookie-information');
      expect(shown.verdicts['meta-pixel']).toBe('against-choice');
      expect(shown.violations).toBe(1);
      expect(shown.text).toContain('Het privacybeleid belooft:');
      expect(await ff.badgeText(tabId)).toBe('4!');
      await readmeScreenshot(popup, 'firefox-popup-violation');
      await expectAccessible(popup, 'Firefox popup with a violation');
      await popup.close();
      await page.close();
    });

    it('judges an open tab again when the stance changes in the settings, without a new visit', async () => {
      const { page, tabId } = await visit(CONSENT_SCENARIOS.respectful);
      await answer(page, CONSENT_SELECTORS.ACCEPT_ALL);
      const { visitId } = (await ff.tabState(tabId))!;
      const settings = await ff.openPage('options.html?lang=nl#settings', 'input[name="stance-marketing"][value="refuse"]');
      // The visit's row as the background last wrote it: its judgement, made with the stance it knows.
      const loggedFindings = async () => {
        await ff.settle(page);
        return (await readLogTable<Visit>(settings, 'visits')).find((row) => row.id === visitId)?.summary?.findings;
      };
      try {
        expect(await loggedFindings()).not.toContain('stance-mismatch');
        await settings.click('input[name="stance-marketing"][value="refuse"]');
        await settings.waitForFunction(() => document.querySelector('.stance__saved')?.textContent === 'Opgeslagen.');
        // The background hears of the stance from local storage's own change event, and judges the tab
        // again within its batch delay; each settle writes what it has judged so far.
        const deadline = Date.now() + 15_000;
        let findings = await loggedFindings();
        while (!findings?.includes('stance-mismatch') && Date.now() < deadline) findings = await loggedFindings();
        expect(findings).toContain('stance-mismatch');
      } finally {
        // The stance back as it was, and stored, before the tests after this one judge anything.
        await settings.click('input[name="stance-marketing"][value="unset"]');
        await settings.waitForFunction(
          async (key) => ((await (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.get(key))[key] as { marketing?: string } | undefined)?.marketing === 'unset',
          {},
          STANCE_KEY,
        );
        await settings.close();
        await page.close();
      }
    });

    it('the eager home page fires everything before the choice', async () => {
      const { page, tabId } = await visit('/');
      const popup = await openPopup(tabId);
      const shown = await readPopup(popup);
      expect(shown.violations).toBe(5);
      expect(shown.verdicts).toMatchObject({ 'google-analytics': 'before-choice', 'meta-pixel': 'before-choice', trustpilot: 'before-choice' });
      await popup.close();
      await page.close();
    });

    it('reads an IAB TCF choice through __tcfapi in the page’s own world', async () => {
      const { page, tabId } = await visit(CONSENT_SCENARIOS.tcf);
      const popup = await openPopup(tabId);
      const shown = await readPopup(popup);
      expect(shown.consent.source).toBe('tcf');
      expect(shown.consent.granted).toMatchObject({ functional: true, statistics: true, marketing: false });
      await popup.close();
      await page.close();
    });
  });

  describe('rights requests', () => {
    it('opens the composer from the popup and records the request only when the customer says it was sent', async () => {
      const { page, tabId } = await visit('/test/google-analytics');
      const popup = await openPopup(tabId);
      await popup.waitForSelector('[data-request-type="access"]');
      await popup.bringToFront();
      const composer = await newTabTo('/request.html?type=access', () => popup.click('[data-request-type="access"]'));
      await composer.bringToFront();
      await composer.setViewport({ width: 900, height: 1000 });
      await composer.waitForSelector('#letter-body');
      await composer.type('#field-name', 'Sanne de Vries');
      await composer.type('#field-email', 'sanne@voorbeeld.nl');
      const gaCookie = (await page.cookies()).find((c) => c.name === '_ga')!.value;
      await composer.waitForFunction((id) => (document.querySelector('#letter-body') as HTMLTextAreaElement).value.includes(id), {}, gaCookie.split('.').slice(-2).join('.'));
      const letter = await composer.$eval('#letter-body', (e) => (e as HTMLTextAreaElement).value);
      expect(letter).toContain('artikel 15');
      expect(letter).toContain('Sanne de Vries');
      expect(letter).toContain('Google Ireland Limited');
      await readmeScreenshot(composer, 'firefox-composer');
      await expectAccessible(composer, 'Firefox composer');

      await composer.click('#confirm-sent');
      await composer.waitForFunction(() => document.querySelector('.composer__notice')?.textContent?.includes('Vastgelegd'));
      const options = await ff.openPage('options.html?lang=nl#requests', '[data-request="access"]');
      expect(await options.$eval('[data-request="access"]', (e) => (e as HTMLElement).innerText)).toContain('Verzoek om inzage');
      await options.close();
      await composer.close();
      await popup.close();
      await page.close();
    });
  });

  describe('history', () => {
    it('lists the visits, exports them as a report and opens the report again read-only', async () => {
      const history = await ff.openPage('options.html?lang=en#history', '[data-visit]');
      await history.bringToFront();
      await history.setViewport({ width: 1100, height: 1000 });
      const visits = Number((await history.$eval('#visits-count', (e) => e.textContent!)).match(/\d+/)![0]);
      expect(visits).toBeGreaterThan(0);
      await readmeScreenshot(history, 'firefox-history');
      await expectAccessible(history, 'Firefox history');

      await history.click('#export-json');
      const { text: json } = await waitForDownload(downloads, '.json', wholeJson);
      const parsed = parseReport(json);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.report.pages).toHaveLength(visits);

      const file = join(downloads, 'to-import.json');
      await writeFile(file, json);
      await history.close();
      const reader = await ff.openPage('options.html?lang=en#import', '#import-file');
      const input = (await reader.$('#import-file')) as ElementHandle<HTMLInputElement>;
      await input.uploadFile(file);
      await reader.waitForSelector('#imported-report');
      expect(await reader.$$('#imported-report .pageview')).toHaveLength(visits);
      await reader.screenshot({ path: resolve(SCREENSHOTS, 'firefox-import-en.png'), fullPage: true });
      await reader.close();
    });
  });

  it('saw no request that the pages did not make (neither the extension nor Firefox sent anything of its own)', () => {
    expect(shop.unexpected.map((r) => `${r.method} ${r.host}${r.path}`)).toEqual([]);
  });

  describe('host access', () => {
    it('says so when the browser withholds access to the shop, and asks for it again', async () => {
      const { page, tabId } = await visit('/test/meta-pixel');
      const settings = await ff.openPage('popup.html?lang=nl', '[data-view]');
      const removed = await settings.evaluate(async () => {
        const webExt = (globalThis as unknown as { browser: typeof chrome }).browser;
        return webExt.permissions.remove({ origins: webExt.runtime.getManifest().host_permissions });
      });
      expect(removed).toBe(true);
      await settings.close();

      await page.reload({ waitUntil: 'networkidle0' });
      const popup = await openPopup(tabId);
      await popup.waitForSelector('[data-host-access="missing"]');
      expect(await popup.$eval('[data-host-access="missing"]', (e) => (e as HTMLElement).innerText)).toContain('Privacylens kan deze winkel niet zien');
      await popup.screenshot({ path: resolve(SCREENSHOTS, 'firefox-popup-no-access-nl.png'), fullPage: true });
      await expectAccessible(popup, 'Firefox popup without host access');
      const english = await openPopup(tabId, 'en');
      await english.waitForSelector('[data-host-access="missing"]');
      expect(await english.$eval('[data-host-access="missing"]', (e) => (e as HTMLElement).innerText)).toContain('Privacy Lens cannot see this shop');
      await english.screenshot({ path: resolve(SCREENSHOTS, 'firefox-popup-no-access-en.png'), fullPage: true });
      await english.close();

      await popup.bringToFront();
      await popup.click('#grant-host-access');
      await popup.waitForSelector('[data-host-access="granted"]');
      expect(await popup.$('[data-host-access="missing"]')).toBeNull();
      await popup.screenshot({ path: resolve(SCREENSHOTS, 'firefox-popup-access-granted-nl.png'), fullPage: true });
      await popup.close();

      // With access back, the next load is seen again.
      await page.reload({ waitUntil: 'networkidle0' });
      await ff.settle(page);
      const again = await openPopup(tabId);
      expect((await readPopup(again)).entries).toContain('meta-pixel');
      await again.close();
      await page.close();
    });
  });

  // Last: it erases what the tests before it stored.
  describe('deleting everything', () => {
    it('erases the log and the settings, and forgets what an open shop tab saw', async () => {
      const { page: openShop, tabId } = await visit('/checkout');
      const settings = await ff.openPage('options.html?lang=nl#settings', '#erase');
      await settings.bringToFront();
      await settings.click('#erase');
      await settings.waitForSelector('#erase-yes');
      await settings.click('#erase-yes');
      await settings.waitForFunction(() => document.body.innerText.includes('Alles is gewist.'));

      // A tracker fires in the open tab after the erase: nothing of it is logged.
      await openShop.bringToFront();
      await openShop.evaluate(() => void (new Image().src = 'https://www.facebook.com/tr/?id=1&ev=AddToCart&noscript=1'));
      await openShop.waitForNetworkIdle({ idleTime: 500 });
      await ff.settle();
      await settings.close();
      const history = await ff.openPage('options.html?lang=en#history', '.empty');
      expect(await history.$eval('#visits-count', (e) => e.textContent)).toBe('0 visits');
      await history.close();
      const popup = await openPopup(tabId);
      expect((await readPopup(popup)).view).toBe('no-state');
      await popup.close();
      await openShop.close();
    });
  });
});
