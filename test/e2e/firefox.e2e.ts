import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import { FIREFOX_ENV, firefoxProxyPrefs } from '../fixtures/shop/browsers';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { launchFirefoxWithExtension, type FirefoxExtension } from '../../lib/scan/firefox';
import { DETECTION_PAGES } from './expected-pages';
import { readPopup } from './helpers';

describe('Firefox ESR with the built extension (MV2)', () => {
  let shop: FixtureShop;
  let ff: FirefoxExtension;

  beforeAll(async () => {
    shop = await startFixtureShop();
    ff = await launchFirefoxWithExtension({ prefs: firefoxProxyPrefs(shop.port), env: FIREFOX_ENV });
  });
  afterAll(async () => {
    await ff?.close();
    await shop?.close();
  });

  async function popupFor(url: string) {
    const page = await ff.browser.newPage();
    await page.goto(url, { waitUntil: 'networkidle0' });
    // Let the content script's Resource Timing report and the background's batch land.
    await new Promise((r) => setTimeout(r, 1_200));
    const tabId = await ff.tabIdOf(url);
    const popup = await ff.openPage(`popup.html?lang=nl&tabId=${tabId}`, '[data-view]');
    return { page, popup, tabId };
  }

  // The same expectations as in Chromium (the badge is not read here: BiDi gives no worker to ask).
  for (const expected of DETECTION_PAGES) {
    it(`shows exactly what fired on ${expected.path}`, async () => {
      const { page, popup } = await popupFor(`https://www.mijnliefsteboek.nl${expected.path}`);
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
    const tabId = await ff.tabIdOf('https://www.example.org/').catch(() => null);
    expect(tabId === null ? null : await ff.tabState(tabId)).toBeNull();
    await page.close();
  });

  it('judges a Meta pixel that fires after "reject all" against the choice, from the consent cookie', async () => {
    const url = `https://www.mijnliefsteboek.nl${CONSENT_SCENARIOS.metaIgnoresRefusal}`;
    const page = await ff.browser.newPage();
    await page.goto(url, { waitUntil: 'networkidle0' });
    await page.waitForSelector(CONSENT_SELECTORS.DECLINE_ALL, { visible: true });
    await page.click(CONSENT_SELECTORS.DECLINE_ALL);
    await page.waitForNetworkIdle({ idleTime: 500 });
    await new Promise((r) => setTimeout(r, 1_200));
    const popup = await ff.openPage(`popup.html?lang=nl&tabId=${await ff.tabIdOf(url)}`, '[data-view]');
    const shown = await readPopup(popup);
    expect(shown.consent.source).toBe('cookie-information');
    expect(shown.verdicts['meta-pixel']).toBe('against-choice');
    await popup.close();
    await page.close();
  });
});
