import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_VERSION, catalog, type PromiseId } from '../../lib/catalog';
import { newTabState } from '../../lib/observe/tab-state';
import { buildReport, pageReport, parseReport, redactReport, visitFromTab, type Report } from '../../lib/report';
import { CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import { PROMISE_FIXTURE, PROMISE_PATHS } from '../fixtures/shop/promises';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { audit, readable } from './axe';
import { BROWSERS, withBrowser, type BrowserUnderTest } from './drivers';
import { SCREENSHOTS, readmeScreenshot, scanCommand as scan } from './helpers';

type Statuses = Record<PromiseId, 'kept' | 'broken' | 'unknown'>;

/** On /promises/kept: cookieless GA from CloudFront with S3 in Frankfurt; Meta, Trustpilot and rights requests give nothing to judge. */
const KEPT: Statuses = {
  'ga-anonymised': 'kept',
  'meta-unfinished-purchase-only': 'unknown',
  'trustpilot-only-with-permission': 'unknown',
  'no-sharing-without-consent': 'kept',
  encrypted: 'kept',
  'aws-in-the-eu': 'kept',
  'named-processors-only': 'kept',
  'answer-within-a-month': 'unknown',
};

/** On /promises/broken, while the banner waits: every promise a page can break, broken; https: kept. */
const BROKEN: Statuses = {
  'ga-anonymised': 'broken',
  'meta-unfinished-purchase-only': 'broken',
  'trustpilot-only-with-permission': 'broken',
  'no-sharing-without-consent': 'broken',
  encrypted: 'kept',
  'aws-in-the-eu': 'broken',
  'named-processors-only': 'broken',
  'answer-within-a-month': 'unknown',
};

interface ShownPromise {
  status: string;
  code: string;
  evidence: string;
}

/** The promises section as a person sees it: each promise's status, its sentence of evidence and its evidence code. */
async function readPromises(page: Page): Promise<{ promises: Record<string, ShownPromise>; counts: string; text: string }> {
  await page.waitForSelector('[data-promise]');
  return page.evaluate(() => ({
    promises: Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-promise]')].map((row) => [
        row.dataset.promise!,
        { status: row.dataset.status!, code: row.dataset.evidence!, evidence: row.querySelector('.promise__evidence')?.textContent ?? '' },
      ]),
    ),
    counts: document.querySelector('.promises__counts')?.textContent ?? '',
    text: document.querySelector('.promises')?.textContent ?? '',
  }));
}
const statusesOf = (shown: Record<string, ShownPromise>) => Object.fromEntries(Object.entries(shown).map(([id, p]) => [id, p.status]));

describe.each(BROWSERS)('the privacy policy’s promises in the popup, in %s', (name) => {
  let shop: FixtureShop;
  let driver: BrowserUnderTest;
  withBrowser(name, (startedShop, started) => {
    shop = startedShop;
    driver = started;
  });
  const problems: Awaited<ReturnType<typeof audit>> = [];

  /**
   * axe on what the page shows, in the light and the dark theme; a screenshot of each. Firefox over
   * WebDriver BiDi cannot emulate the colour scheme: its dark theme is the same CSS, checked in Chromium.
   */
  async function auditBothThemes(page: Page, where: string, screenshot: string) {
    await page.screenshot({ path: resolve(SCREENSHOTS, `${name}-${screenshot}.png`), fullPage: true });
    problems.push(...(await audit(page, `${where}, light`)));
    if (name === 'firefox') return;
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await page.waitForFunction(() => matchMedia('(prefers-color-scheme: dark)').matches, { timeout: 5_000 });
    problems.push(...(await audit(page, `${where}, dark`)));
    await page.screenshot({ path: resolve(SCREENSHOTS, `${name}-${screenshot}-dark.png`), fullPage: true });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  }

  it('shows the kept promises, and what it cannot tell, with one line of evidence and the policy’s words on demand, in Dutch and English', async () => {
    const { page, tabId } = await driver.visit(PROMISE_PATHS.kept);
    for (const language of ['nl', 'en'] as const) {
      const popup = await driver.openPopup(tabId, language);
      const shown = await readPromises(popup);
      expect(statusesOf(shown.promises)).toEqual(KEPT);
      expect(shown.counts).toBe(language === 'nl' ? '0 gebroken · 5 gehouden · 3 niet te zeggen' : '0 broken · 5 kept · 3 cannot tell');
      const p = shown.promises;
      expect(p['ga-anonymised']!.evidence).toBe(
        language === 'nl'
          ? 'Alle hits van Google Analytics (2) waren zonder cookies: geen bezoekersnummer, gebruikers-id of e-mailadres.'
          : 'Every Google Analytics hit (2) was cookieless: no client id, user id or e-mail address.',
      );
      expect(p['aws-in-the-eu']!.evidence).toContain(language === 'nl' ? 'eu-central-1 (Frankfurt, Duitsland), in de EU' : 'eu-central-1 (Frankfurt, Germany), in the EU');
      expect(p['aws-in-the-eu']!.evidence).toContain('AMS58-P4');
      expect(p['meta-unfinished-purchase-only']!.code).toBe('events-none');
      expect(p['answer-within-a-month']!.code).toBe('answer-no-requests');
      // Cannot tell is said in words, not left blank.
      expect(await popup.$eval('[data-promise="trustpilot-only-with-permission"] .chip', (e) => e.textContent)).toBe(language === 'nl' ? 'Niet te zeggen' : 'Cannot tell');
      // The policy's own sentence on demand; in English with our rendering beside it.
      const quote = `[data-promise="aws-in-the-eu"] details`;
      expect(await popup.$eval(quote, (e) => (e as HTMLDetailsElement).open)).toBe(false);
      await popup.click(`${quote} summary`);
      await popup.waitForSelector(`${quote}[open] blockquote`, { visible: true });
      expect(await popup.$eval(`${quote} blockquote`, (e) => e.textContent)).toBe(catalog.promises.find((x) => x.id === 'aws-in-the-eu')!.quote);
      expect(await popup.$eval(`${quote} blockquote`, (e) => e.getAttribute('lang'))).toBe('nl');
      expect(await popup.$(`${quote} .promise__rendering`).then((e) => e !== null)).toBe(language === 'en');
      await (await popup.$('.promises'))!.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-promises-kept-section-${language}.png`) });
      await auditBothThemes(popup, `popup, promises kept, ${language}`, `popup-promises-kept-${language}`);
      await popup.close();
    }
    await page.close();
  });

  it('shows the broken promises with evidence a support person can act on, linked to the trackers’ rows and the unnamed parties', async () => {
    const { page, tabId } = await driver.visit(PROMISE_PATHS.broken);
    for (const language of ['nl', 'en'] as const) {
      const popup = await driver.openPopup(tabId, language);
      const { promises: p, counts } = await readPromises(popup);
      expect(statusesOf(p)).toEqual(BROKEN);
      expect(counts).toBe(language === 'nl' ? '6 gebroken · 1 gehouden · 1 niet te zeggen' : '6 broken · 1 kept · 1 cannot tell');
      if (language === 'nl') {
        expect(p['ga-anonymised']!.evidence).toContain('Hits van Google Analytics bevatten cid en uid (1 van de 1)');
        expect(p['meta-unfinished-purchase-only']!.evidence).toBe('Meta Pixel kreeg PageView en ViewContent, wat niet over een onafgemaakte aankoop gaat, en je persoonsgegevens (ud[em]).');
        expect(p['trustpilot-only-with-permission']!.evidence).toBe('Het uitnodigingsscript van Trustpilot kreeg je e-mailadres en je bestelnummer voordat je de categorie ‘functioneel’ toestond.');
        expect(p['no-sharing-without-consent']!.evidence).toBe('Je gegevens gingen weg zonder je toestemming: Google Analytics, Meta Pixel en Trustpilot vóór je keuze.');
        expect(p['aws-in-the-eu']!.evidence).toContain('us-east-1 (Virginia, Verenigde Staten), buiten de EU: de pagina laadde bestanden van mlb-assets.s3.us-east-1.amazonaws.com');
        expect(p['named-processors-only']!.evidence).toBe('Er gingen gegevens naar partijen die het beleid niet noemt: policy.app.cookieinformation.com. policy.app.cookieinformation.com is de cookiebanner van de winkel.');
      } else {
        expect(p['ga-anonymised']!.evidence).toContain('Google Analytics hits carried cid and uid (1 of 1)');
        expect(p['trustpilot-only-with-permission']!.evidence).toBe("Trustpilot's invitation script received your e-mail address and your order number before you allowed the ‘functional’ category.");
        expect(p['aws-in-the-eu']!.evidence).toContain('us-east-1 (Virginia, United States), outside the EU');
      }
      // "Link them": the evidence points at the trackers' own rows and at the list of unnamed parties.
      const links = await popup.$$eval('[data-promise="no-sharing-without-consent"] .promise__links a', (as) => as.map((a) => a.getAttribute('href')));
      expect(links).toEqual(['#entry-google-analytics', '#entry-meta-pixel', '#entry-trustpilot']);
      for (const href of [...links, '#unlisted-heading']) expect(await popup.$(href!), href!).not.toBeNull();
      await popup.click('[data-promise="no-sharing-without-consent"] a[href="#entry-meta-pixel"]');
      await popup.waitForFunction(() => location.hash === '#entry-meta-pixel');
      expect(await popup.$eval('[data-promise="named-processors-only"] .promise__links a', (a) => a.getAttribute('href'))).toBe('#unlisted-heading');
      await (await popup.$('.promises'))!.screenshot({ path: resolve(SCREENSHOTS, `${name}-popup-promises-broken-section-${language}.png`) });
      if (language === 'nl') await readmeScreenshot(popup, `${name}-popup-promises`);
      await auditBothThemes(popup, `popup, promises broken, ${language}`, `popup-promises-broken-${language}`);
      await popup.close();
    }
    await page.close();
  });

  it('keeps the promise about Meta when it only hears of an unfinished purchase, and cannot tell consent without a banner', async () => {
    const { page, tabId } = await driver.visit(PROMISE_PATHS.metaCart);
    const popup = await driver.openPopup(tabId, 'en');
    const { promises: p } = await readPromises(popup);
    expect(p['meta-unfinished-purchase-only']).toMatchObject({ status: 'kept', evidence: 'Meta Pixel received only AddToCart: events about an unfinished purchase.' });
    expect(p['no-sharing-without-consent']).toMatchObject({ status: 'unknown', code: 'consent-unreadable' });
    await popup.close();
    await page.close();
  });

  it('keeps Trustpilot’s promise when the invitation waits for the functional category', async () => {
    await driver.clearCookies();
    const { page, tabId } = await driver.visit(PROMISE_PATHS.trustpilotAfterConsent);
    const before = await driver.openPopup(tabId, 'nl');
    expect((await readPromises(before)).promises['trustpilot-only-with-permission']).toMatchObject({ status: 'unknown', code: 'invitation-none' });
    await before.close();
    await page.bringToFront();
    await page.waitForSelector(CONSENT_SELECTORS.ACCEPT_ALL, { visible: true });
    await page.click(CONSENT_SELECTORS.ACCEPT_ALL);
    await page.waitForNetworkIdle({ idleTime: 500 });
    await driver.settle(page);
    expect(shop.requests.some((r) => r.path === PROMISE_FIXTURE.invitationPath && r.method === 'POST' && r.body.includes(PROMISE_FIXTURE.orderNumber))).toBe(true);
    const popup = await driver.openPopup(tabId, 'nl');
    const { promises: p } = await readPromises(popup);
    expect(p['trustpilot-only-with-permission']).toMatchObject({
      status: 'kept',
      evidence: 'Het uitnodigingsscript van Trustpilot kreeg je e-mailadres en je bestelnummer pas nadat je de categorie ‘functioneel’ toestond.',
    });
    expect(p['no-sharing-without-consent']!.status).toBe('kept');
    await popup.close();
    await page.close();
    await driver.clearCookies();
  });

  it('breaks “all communication encrypted” on a page that comes over plain http:', async () => {
    const { page, tabId } = await driver.visit(PROMISE_PATHS.plainHttp);
    // The https: address sends the browser to http:, and its HTTPS upgrade falls back to it.
    expect(page.url()).toBe(`http://www.mijnliefsteboek.nl${PROMISE_PATHS.plainHttp}`);
    const popup = await driver.openPopup(tabId, 'en');
    const { promises: p } = await readPromises(popup);
    expect(p.encrypted).toMatchObject({ status: 'broken', evidence: 'Requests to Amazon Web Services went unencrypted over http: (1 in all, for example www.mijnliefsteboek.nl).' });
    await popup.close();
    await page.close();
  });

  it('breaks the promise of an answer within a month once a request is past its deadline, cites the broken promises in an objection, and lists and filters them in the history', async () => {
    const { page, tabId } = await driver.visit(PROMISE_PATHS.broken);
    const popup = await driver.openPopup(tabId, 'nl');
    // A request sent 40 days ago and never answered, stored as the composer stores one; the background hears of it.
    await popup.evaluate(
      (sentAt) =>
        new Promise<void>((done, fail) => {
          const open = indexedDB.open('privacy-lens-log');
          open.onsuccess = () => {
            const tx = open.result.transaction('rightsRequests', 'readwrite');
            tx.objectStore('rightsRequests').put({ id: 'late-objection', type: 'objection', channel: 'email-dpo', language: 'nl', sentAt, timeZone: 'Europe/Amsterdam', subject: 'Bezwaar', body: 'Mijn bezwaar.', recipient: 'dpo@mybestbook.com', status: 'sent', followUps: [], notes: '', updatedAt: sentAt });
            tx.oncomplete = () => {
              open.result.close();
              const api = (globalThis as unknown as { browser?: typeof chrome; chrome: typeof chrome }).browser ?? chrome;
              void api.runtime.sendMessage({ type: 'requests-changed' }).then(() => done(), fail);
            };
          };
        }),
      Date.now() - 40 * 86_400_000,
    );
    await popup.waitForSelector('[data-promise="answer-within-a-month"][data-status="broken"]');
    const { promises: p } = await readPromises(popup);
    expect(p['answer-within-a-month']!.evidence).toMatch(/^Je bezwaar tegen verwerking van \d+ \w+ \d{4} had uiterlijk \d+ \w+ \d{4} beantwoord moeten zijn; er is geen antwoord vastgelegd\.$/);
    await popup.close();
    await driver.settle(page);

    // The history: a promises column, and a filter by broken promise.
    const history = await driver.openPage('options.html?lang=en#history', '[data-visit]');
    await history.setViewport({ width: 1100, height: 800 });
    const rows = await history.$$eval('[data-broken-promises]', (spans) => spans.map((s) => (s as HTMLElement).dataset.brokenPromises!.split(' ')));
    expect(rows.some((broken) => broken.includes('ga-anonymised') && broken.includes('answer-within-a-month'))).toBe(true);
    const all = await history.$$eval('[data-visit]', (r) => r.length);
    await history.select('#filter-promise', 'aws-in-the-eu');
    await history.waitForFunction((n) => document.querySelectorAll('[data-visit]').length < n, {}, all);
    const filtered = await history.$$eval('[data-broken-promises]', (spans) => spans.map((s) => (s as HTMLElement).dataset.brokenPromises!));
    expect(filtered.length).toBeGreaterThan(0);
    for (const broken of filtered) expect(broken).toContain('aws-in-the-eu');
    await auditBothThemes(history, 'history, broken-promise filter, en', 'history-promises-en');
    // A visit's detail lists its promises as they were judged then.
    await history.click('[data-visit]');
    await history.waitForSelector('.pageview [data-promise="aws-in-the-eu"][data-status="broken"]');
    await auditBothThemes(history, 'visit detail, promises, en', 'visit-promises-en');
    await history.close();

    // The objection cites the broken promises, in the letter's language.
    const composer = await driver.openPage('request.html?type=objection&lang=en', '#cite-promises');
    await composer.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('#letter-body')?.value ?? '').includes('U schrijft'));
    const letter = await composer.$eval('#letter-body', (e) => (e as HTMLTextAreaElement).value);
    expect(letter).toContain('Uw privacybeleid doet beloften die uw website niet nakomt. Dit zag ik zelf:');
    expect(letter).toContain(`"${catalog.promises.find((x) => x.id === 'ga-anonymised')!.quote}"`);
    expect(letter).toContain('Het uitnodigingsscript van Trustpilot kreeg je e-mailadres en je bestelnummer voordat');
    await composer.select('#letter-language', 'en');
    await composer.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('#letter-body')?.value ?? '').includes('You write'));
    expect(await composer.$eval('#letter-body', (e) => (e as HTMLTextAreaElement).value)).toContain("Trustpilot's invitation script received your e-mail address and your order number before");
    await composer.click('#cite-promises');
    await composer.waitForFunction(() => !(document.querySelector<HTMLTextAreaElement>('#letter-body')?.value ?? '').includes('You write'));
    await composer.close();
    await page.close();
  });

  it('judges the promises of an imported report again from its own requests, older reports too, and marks what only the report says', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'privacy-lens-promises-'));
    const older = JSON.parse(JSON.stringify(someonesReport())) as { pages: Record<string, unknown>[] };
    for (const page of older.pages) delete page.promises;
    const files = { older: join(dir, 'older.json'), redacted: join(dir, 'redacted.json') };
    await writeFile(files.older, JSON.stringify(older));
    await writeFile(files.redacted, JSON.stringify(redactReport(someonesReport())));
    for (const [which, file] of Object.entries(files)) {
      const reader = await driver.openPage('options.html?lang=nl#import', '#import-file');
      await ((await reader.$('#import-file')) as ElementHandle<HTMLInputElement>).uploadFile(file);
      await reader.waitForSelector('#imported-report [data-promise]');
      const { promises: p } = await readPromises(reader);
      expect(p['ga-anonymised']!.status, which).toBe('broken');
      expect(p['no-sharing-without-consent']!.status, which).toBe('broken');
      if (which === 'older') {
        // Judged again here: said in the reader's language, from the report's own requests.
        expect(p['ga-anonymised']!.evidence).toContain('Hits van Google Analytics bevatten cid (1 van de 1)');
        expect(p['answer-within-a-month']!.code).toBe('answer-not-known');
      } else {
        // The addresses were cut: the report's own sentence stands, marked as English and as the report's.
        expect(p['ga-anonymised']!.code).toBe('report');
        expect(await reader.$eval('[data-promise="ga-anonymised"] .promise__evidence', (e) => e.getAttribute('lang'))).toBe('en');
        expect(await reader.$eval('[data-promise="ga-anonymised"] .promise__note', (e) => e.textContent)).toBe('Zoals het rapport zegt; de verzoeken erin zeggen er niets over.');
        await reader.setViewport({ width: 1100, height: 800 });
        await auditBothThemes(reader, `imported report, ${which}, nl`, `import-promises-${which}-nl`);
      }
      await reader.close();
    }
  });

  it('passes axe in both themes and languages, and saw no request the pages did not make', () => {
    expect(problems, `axe found:\n${readable(problems)}`).toEqual([]);
    expect(shop.unexpected.map((r) => `${r.method} ${r.host}${r.path}`)).toEqual([]);
  });
});

/** Someone's report of a visit: GA with a client id and Meta's PageView while the banner waited. */
function someonesReport(): Report {
  const at = Date.parse('2026-11-25T10:00:00Z');
  const state = newTabState(1, 'v1', 'https://www.mijnliefsteboek.nl/', at);
  state.entries['google-analytics'] = { requests: 1, cookiesSet: [], cookiesPresent: [], firstAt: at, via: [], relays: [], stopped: 0 };
  state.entries['meta-pixel'] = { requests: 1, cookiesSet: [], cookiesPresent: [], firstAt: at, via: [], relays: [], stopped: 0 };
  state.requests = [
    { entryId: 'google-analytics', at: at + 10, consentMode: null, personalData: [], kind: 'hit', carried: ['cid'] },
    { entryId: 'meta-pixel', at: at + 20, consentMode: null, personalData: [], kind: 'hit', event: 'PageView' },
  ];
  state.banner = { cmp: 'cookie-information', showing: true, seenAt: at + 5 };
  const visit = visitFromTab(state);
  visit.observations = [
    { at: at + 10, entryId: 'google-analytics', host: 'region1.google-analytics.com', url: 'https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1234567890.1764590000&en=page_view', type: 'ping', method: 'POST', status: 204, judged: 0, kind: 'hit' },
    { at: at + 20, entryId: 'meta-pixel', host: 'www.facebook.com', url: 'https://www.facebook.com/tr/?id=1234567890123456&ev=PageView', type: 'image', method: 'GET', status: 200, judged: 1, kind: 'hit' },
  ];
  return buildReport([pageReport(visit, null)], { name: 'mijnliefsteboek-privacy-lens', version: '0.1.0' }, { catalogVersion: CATALOG_VERSION, now: at + 1000 });
}

describe('the privacy policy’s promises in the scan', () => {
  let shop: FixtureShop;
  beforeAll(async () => {
    shop = await startFixtureShop();
  });
  afterAll(() => shop?.close());
  const pages = [PROMISE_PATHS.broken, PROMISE_PATHS.kept].map((path) => `https://www.mijnliefsteboek.nl${path}`);

  it.each(BROWSERS)('writes pages[].promises[] with status and evidence in its JSON, in %s', async (browser) => {
    const result = await scan([...pages, '--browser', browser, '--map-all', `127.0.0.1:${shop.port}`, '--insecure', '--consent', 'none', '--json']);
    const parsed = parseReport(result.stdout);
    expect(parsed.ok, result.stderr).toBe(true);
    if (!parsed.ok) return;
    const [broken, kept] = parsed.report.pages;
    const statuses = (page: typeof broken) => Object.fromEntries(page!.promises.map((p) => [p.id, p.status]));
    // The scan knows no rights requests: that promise cannot be told.
    expect(statuses(broken)).toEqual(BROKEN);
    expect(statuses(kept)).toEqual(KEPT);
    expect(broken!.promises.find((p) => p.id === 'aws-in-the-eu')!.evidence).toBe(
      "The shop's storage is in us-east-1 (Virginia, United States), outside the EU: the page loaded files from mlb-assets.s3.us-east-1.amazonaws.com. CloudFront delivered the page through its edge AMS58-P4; that says nothing about where data is stored.",
    );
    expect(broken!.promises.find((p) => p.id === 'answer-within-a-month')!.evidence).toBe("Rights requests are not known here (a scan, or someone else's report).");
  });

  it('prints the promises as a table a person reads', async () => {
    const result = await scan([pages[0]!, '--map-all', `127.0.0.1:${shop.port}`, '--insecure', '--consent', 'none']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  promises of the privacy policy:');
    expect(result.stdout).toMatch(/ga-anonymised\s+BROKEN\s+Google Analytics is anonymous\s+Google Analytics hits carried cid and uid \(1 of 1\)/);
    expect(result.stdout).toMatch(/encrypted\s+kept\s+Everything encrypted\s+Every request to the processors went encrypted over https:/);
    expect(result.stdout).toMatch(/answer-within-a-month\s+cannot tell\s+An answer within a month\s+Rights requests are not known here/);
  });
});
