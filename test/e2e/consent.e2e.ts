import { resolve } from 'node:path';
import type { Page } from 'puppeteer';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import type { FixtureShop } from '../fixtures/shop/server';
import type { ExtensionBrowser } from '../../lib/scan/chromium';
import { RESPECTFUL_VERDICTS } from './expected-pages';
import { SCREENSHOTS, openPopup, readPopup, readmeScreenshot, settledBadge, visit, withShopAndExtension } from './helpers';

type Answer = 'none' | 'accept-all' | 'reject-all' | 'statistics-only';

/** Answers the fixture's Cookie Information banner the way a person does: with the mouse. */
async function answer(page: Page, how: Answer) {
  if (how === 'none') return;
  await page.bringToFront();
  await page.waitForSelector(CONSENT_SELECTORS.OVERLAY, { visible: true });
  if (how === 'accept-all') await page.click(CONSENT_SELECTORS.ACCEPT_ALL);
  else if (how === 'reject-all') await page.click(CONSENT_SELECTORS.DECLINE_ALL);
  else {
    await page.click(CONSENT_SELECTORS.SETTINGS);
    await page.waitForSelector(CONSENT_SELECTORS.SWITCH.statistic, { visible: true });
    await page.click(CONSENT_SELECTORS.SWITCH.statistic);
    await page.click(CONSENT_SELECTORS.SAVE);
  }
  await page.waitForSelector(CONSENT_SELECTORS.OVERLAY, { hidden: true });
  // The tags the answer lets through load now: wait for the network to calm down again.
  await page.waitForNetworkIdle({ idleTime: 500 });
}

describe('consent verdicts in Chromium', () => {
  let shop: FixtureShop;
  let ext: ExtensionBrowser;

  withShopAndExtension((startedShop, startedExt) => {
    shop = startedShop;
    ext = startedExt;
  });
  // Each scenario starts as a first visit: no consent cookie, no tracker cookies.
  beforeEach(async () => {
    const page = (await ext.browser.pages())[0]!;
    const cdp = await page.createCDPSession();
    await cdp.send('Network.clearBrowserCookies');
    await cdp.detach();
  });

  async function scenario(path: string, how: Answer, screenshot?: string, readme?: string) {
    const { page, tabId } = await visit(ext, path);
    await answer(page, how);
    await ext.settle(page);
    const popup = await openPopup(ext, tabId);
    const shown = await readPopup(popup);
    if (screenshot) await popup.screenshot({ path: resolve(SCREENSHOTS, `${screenshot}.png`), fullPage: true });
    if (readme) await readmeScreenshot(popup, readme);
    const badge = await settledBadge(ext, tabId);
    await popup.close();
    await page.close();
    return { shown, badge };
  }

  it('no answer yet: only Google’s cookieless pings, and the popup says the banner is waiting', async () => {
    const { shown, badge } = await scenario(CONSENT_SCENARIOS.respectful, 'none', 'popup-consent-waiting-nl');
    expect(shown.verdicts).toEqual(RESPECTFUL_VERDICTS.cookielessOnly);
    expect(shown.consent.source).toBe('none');
    expect(shown.text).toContain('Je hebt nog geen keuze gemaakt in de cookiebanner.');
    expect(shown.violations).toBe(0);
    expect(badge).toBe('3');
  });

  it('accept all: every tracker after the choice is consented; the pings before it stay a warning', async () => {
    const { shown } = await scenario(CONSENT_SCENARIOS.respectful, 'accept-all');
    expect(shown.verdicts).toEqual(RESPECTFUL_VERDICTS.acceptedAll);
    expect(shown.consent).toEqual({ source: 'cookie-information', granted: { functional: true, statistics: true, marketing: true, unclassified: true } });
    expect(shown.violations).toBe(0);
  });

  it('Consent Mode: denied pings before the choice, granted hits after it, both judged by their moment', async () => {
    const { page, tabId } = await visit(ext, CONSENT_SCENARIOS.respectful);
    await answer(page, 'accept-all');
    await ext.settle(page);
    const state = (await ext.tabState(tabId))!;
    const ga = state.requests.filter((r) => r.entryId === 'google-analytics');
    // The choice: the banner's record, not the first entry of the timeline, which is Consent Mode's
    // default (read as the page starts; the page's first ping, denied, may come before or after it).
    const decided = state.consent.find((change) => change.signal === undefined)!.at;
    const told = JSON.stringify({ decided, ga: ga.map((r) => ({ at: r.at, analytics: r.consentMode?.analyticsStorage })) });
    expect(ga.filter((r) => r.consentMode?.analyticsStorage === 'denied').every((r) => r.at < decided), told).toBe(true);
    expect(ga.filter((r) => r.consentMode?.analyticsStorage === 'granted').every((r) => r.at >= decided), told).toBe(true);
    expect(ga.some((r) => r.consentMode?.analyticsStorage === 'denied'), told).toBe(true);
    expect(ga.some((r) => r.consentMode?.analyticsStorage === 'granted'), told).toBe(true);
    await page.close();
  });

  it('reject all: nothing but the cookieless pings, and no violation', async () => {
    const { shown, badge } = await scenario(CONSENT_SCENARIOS.respectful, 'reject-all', undefined, 'chromium-popup-clean');
    expect(shown.verdicts).toEqual(RESPECTFUL_VERDICTS.cookielessOnly);
    expect(shown.consent.granted).toEqual({ functional: false, statistics: false, marketing: false, unclassified: false });
    expect(badge).toBe('3');
  });

  it('statistics only: Analytics consented after the choice, nothing for marketing', async () => {
    const { shown } = await scenario(CONSENT_SCENARIOS.respectful, 'statistics-only');
    expect(shown.verdicts).toEqual(RESPECTFUL_VERDICTS.cookielessOnly);
    expect(shown.consent.granted).toMatchObject({ statistics: true, marketing: false, functional: false });
  });

  it('reject all, then the Meta pixel fires anyway: against your choice, with the policy’s promise', async () => {
    const { shown, badge } = await scenario(CONSENT_SCENARIOS.metaIgnoresRefusal, 'reject-all', 'popup-against-choice-nl', 'chromium-popup-violation');
    expect(shown.verdicts['meta-pixel']).toBe('against-choice');
    expect(shown.violations).toBe(1);
    expect(shown.text).toContain('Tegen je keuze');
    expect(shown.text).toContain('Het privacybeleid belooft:');
    expect(badge).toBe('4!');
  });

  it('a tag that writes _ga while Consent Mode says denied is a Consent Mode mismatch', async () => {
    const { shown } = await scenario(CONSENT_SCENARIOS.gaCookieWhileDenied, 'none');
    const mismatches = shown.findings.filter((f) => f.kind === 'consent-mode-mismatch');
    expect(mismatches.map((f) => f.tracker)).toEqual(['google-analytics', 'google-analytics']);
    expect(mismatches.map((f) => f.text.match(/cookie (\S+)/)?.[1]).sort()).toEqual(['_ga', '_ga_MLB1234567']);
  });

  it('an e-mail address in a pixel request is personal data, hashed or not', async () => {
    const { shown } = await scenario(CONSENT_SCENARIOS.emailInPixel, 'accept-all', 'popup-personal-data-nl');
    const personal = shown.findings.filter((f) => f.kind === 'personal-data');
    expect(personal.map((f) => f.tracker)).toEqual(['meta-pixel']);
    expect(personal[0]!.text).toContain('gehasht e-mailadres');
    expect(personal[0]!.text).toContain('ud[em]');
    expect(personal[0]!.text).toContain('een e-mailadres (in cd[email])');
  });

  it('the eager home page fires everything before the choice: before-choice, and a red badge', async () => {
    const { shown, badge } = await scenario('/', 'none', 'popup-before-choice-nl');
    expect(shown.verdicts).toMatchObject({
      'google-analytics': 'before-choice',
      'google-ads': 'before-choice',
      'meta-pixel': 'before-choice',
      'microsoft-ads': 'before-choice',
      trustpilot: 'before-choice',
    });
    expect(shown.violations).toBe(5);
    expect(badge).toBe('7!');
  });

  it('reads an IAB TCF choice through __tcfapi, decoded by the IAB library, in a worker started after the install too', async () => {
    const { shown } = await scenario(CONSENT_SCENARIOS.tcf, 'none');
    expect(shown.consent.source).toBe('tcf');
    expect(shown.consent.granted).toMatchObject({ functional: true, statistics: true, marketing: false });
    // The library is a script of its own, which a later worker may import only because the installing
    // one did (lib/background/worker-scripts.ts).
    await ext.stopWorker();
    const again = await scenario(CONSENT_SCENARIOS.tcf, 'none');
    expect(again.shown.consent.source).toBe('tcf');
    expect(again.shown.consent.granted).toMatchObject({ functional: true, statistics: true, marketing: false });
  });

  it('says so when the banner’s record contradicts your own stance', async () => {
    const settings = await ext.browser.newPage();
    await settings.goto(`chrome-extension://${ext.extensionId}/options.html?lang=nl#settings`);
    await settings.waitForSelector('input[name="stance-marketing"][value="refuse"]');
    await settings.click('input[name="stance-marketing"][value="refuse"]');
    await settings.waitForFunction(() => document.querySelector('.stance__saved')?.textContent === 'Opgeslagen.');
    await settings.screenshot({ path: resolve(SCREENSHOTS, 'settings-nl.png'), fullPage: true });
    const { shown } = await scenario(CONSENT_SCENARIOS.respectful, 'accept-all');
    const mismatch = shown.findings.filter((f) => f.kind === 'stance-mismatch');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]!.text).toContain('De cookiebanner staat marketing toe, maar jouw eigen keuze is weigeren.');
    await settings.click('input[name="stance-marketing"][value="unset"]');
    await settings.close();
  });
});
