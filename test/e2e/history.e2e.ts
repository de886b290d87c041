import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../lib/report';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { launchWithExtension, type ExtensionBrowser } from '../../lib/scan/chromium';
import { DATABASE_NAME, type Visit } from '../../lib/db/schema';
import { SCREENSHOTS, openPopup, readPopup, readmeScreenshot, visit, waitForDownload, wholeJson } from './helpers';
import { readLogTable } from './log';

describe('history page in Chromium', () => {
  let shop: FixtureShop;
  let ext: ExtensionBrowser;
  let downloads: string;

  beforeAll(async () => {
    shop = await startFixtureShop();
    ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true });
    downloads = await mkdtemp(join(tmpdir(), 'privacy-lens-downloads-'));
    // Three visits: the eager home page unanswered, a refusal the Meta pixel ignores, the checkout.
    for (const [path, answer] of [['/', null], [CONSENT_SCENARIOS.metaIgnoresRefusal, CONSENT_SELECTORS.DECLINE_ALL], ['/checkout', null]] as const) {
      const { page } = await visit(ext, path);
      if (answer) {
        await page.bringToFront();
        await page.click(answer);
        await page.waitForNetworkIdle({ idleTime: 500 });
        await ext.settle(page);
      }
      await page.close();
    }
    await ext.settle();
    // Every test below counts these visits: a fourth (a page load split in two) is named here, with
    // what the log kept of each, rather than as a count off by one three times.
    const page = await historyPage();
    const visits = (await readLogTable<Visit>(page, 'visits')).map(({ tabId, url, startedAt, shownAgain, summary }) => ({ tabId, url, startedAt, shownAgain, trackers: summary?.trackers }));
    await page.close();
    expect(visits, JSON.stringify(visits, null, 1)).toHaveLength(3);
  });
  afterAll(async () => {
    await ext?.close();
    await shop?.close();
  });

  async function historyPage(language = 'nl', hash = 'history'): Promise<Page> {
    const page = await ext.browser.newPage();
    await page.setViewport({ width: 1100, height: 1000 });
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.goto(`chrome-extension://${ext.extensionId}/options.html?lang=${language}#${hash}`);
    await page.bringToFront();
    return page;
  }

  const count = (page: Page) => page.$eval('#visits-count', (e) => e.textContent);

  const downloaded = async (suffix: string) => (await waitForDownload(downloads, suffix, suffix === '.json' ? wholeJson : undefined)).text;

  it('answers "which trackers ran anyway?" with filters, search and a detail view', async () => {
    const page = await historyPage();
    await page.waitForSelector('[data-visit]');
    expect(await count(page)).toBe('3 bezoeken');
    await readmeScreenshot(page, 'chromium-history');
    await page.select('#filter-verdict', 'violation');
    expect(await count(page)).toBe('2 bezoeken');
    await page.select('#filter-company', 'Meta Platforms Ireland Limited');
    expect(await count(page)).toBe('2 bezoeken');
    await page.type('#filter-search', 'meta-ignores');
    expect(await count(page)).toBe('1 bezoek');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'history-filtered-nl.png'), fullPage: true });

    await page.click('[data-visit]');
    await page.waitForSelector('.pageview');
    const detail = await page.$eval('.pageview', (e) => (e as HTMLElement).innerText);
    expect(detail).toContain('Cookie Information');
    expect(await page.$eval('tr[data-entry="meta-pixel"]', (e) => e.getAttribute('data-verdict'))).toBe('against-choice');
    // Every request of the visit, in order, with its own verdict.
    const rows = await page.$$eval('[data-observation]', (els) => els.map((e) => e.getAttribute('data-observation')));
    expect(rows).toContain('meta-pixel');
    expect(rows).toContain('unlisted');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'history-visit-nl.png'), fullPage: true });
    await page.close();
  });

  it('says so, in the customer’s language, when the log will not give a visit back; nothing is lost', async () => {
    const said = {
      nl: 'Dit bezoek kon niet worden geopend (The log could not be read). Er is niets verloren gegaan: probeer het nog eens.',
      en: 'This visit could not be opened (The log could not be read). Nothing was lost: try again.',
    };
    for (const [language, sentence] of Object.entries(said)) {
      const page = await historyPage(language);
      await page.waitForSelector('[data-visit]');
      // The browser's IndexedDB refuses every read from now on in this page (a disk error, a profile in trouble).
      await page.evaluate(() => {
        for (const store of [IDBIndex.prototype, IDBObjectStore.prototype] as unknown as Record<string, unknown>[]) {
          store.getAll = store.openCursor = () => {
            throw new DOMException('The log could not be read', 'UnknownError');
          };
        }
      });
      await page.click('[data-visit]');
      await page.waitForSelector('#visit-open-problem');
      expect(await page.$eval('#visit-open-problem', (e) => ({ role: e.getAttribute('role'), text: e.textContent }))).toEqual({ role: 'alert', text: sentence });
      // The list stays.
      expect(await count(page)).toBe(language === 'nl' ? '3 bezoeken' : '3 visits');
      await page.screenshot({ path: resolve(SCREENSHOTS, `history-open-failed-${language}.png`), fullPage: true });
      await page.close();
    }
    // The same visit opens in a page whose reads work.
    const again = await historyPage();
    await again.waitForSelector('[data-visit]');
    await again.click('[data-visit]');
    await again.waitForSelector('.pageview');
    await again.close();
  });

  it('exports the log as a report and as CSV, and opens the report again read-only', async () => {
    const page = await historyPage('en');
    await page.waitForSelector('[data-visit]');
    await page.click('#export-json');
    const json = await downloaded('.json');
    const parsed = parseReport(json);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.report.pages).toHaveLength(3);
    expect(parsed.report.pages.every((p) => (p.observations ?? []).length > 0)).toBe(true);
    await page.click('#export-csv');
    const csv = await downloaded('.csv');
    expect(csv.split('\r\n')[0]).toBe('"page_url","visited_at","at","tracker_id","company","host","url","type","method","status","verdict","stopped","service_worker"');
    expect(csv).toContain('"against-choice"');

    // A support engineer opens it: a separate, read-only view; their own log is untouched.
    await page.goto(`chrome-extension://${ext.extensionId}/options.html?lang=en#import`);
    const good = join(downloads, 'good-report.json');
    await writeFile(good, json);
    const input = (await page.waitForSelector('#import-file')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(good);
    await page.waitForSelector('#imported-report');
    expect(await page.$$('#imported-report .pageview')).toHaveLength(3);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'history-import-en.png'), fullPage: true });

    const cases: [string, string][] = [
      [json.slice(0, json.length / 3), 'This file is cut off or not JSON.'],
      [json.replace('"schemaVersion": 1', '"schemaVersion": 9'), 'This report has version 9, newer than this extension can read.'],
      [JSON.stringify({ hello: 'world' }), 'This file is not a Privacy Lens report.'],
      [json.replace('"verdict": "against-choice"', '"verdict": "<img src=x onerror=alert(1)>"'), 'This report is wrong at pages.'],
    ];
    for (const [index, [text, message]] of cases.entries()) {
      const file = join(downloads, `bad-${index}.json`);
      await writeFile(file, text);
      await page.reload();
      const again = (await page.waitForSelector('#import-file')) as ElementHandle<HTMLInputElement>;
      await again.uploadFile(file);
      await page.waitForSelector('#import-error');
      expect(await page.$eval('#import-error', (e) => e.textContent)).toContain(message);
      expect(await page.$('#imported-report')).toBeNull();
    }
    await page.goto(`chrome-extension://${ext.extensionId}/options.html?lang=en#history`);
    await page.waitForSelector('[data-visit]');
    expect(await count(page)).toBe('3 visits');
    await page.close();
  });

  it('reports a tracker problem from the popup: the current visit, personal data removed, shown before it is saved', async () => {
    const { page: shopPage, tabId } = await visit(ext, '/?email=sanne%40voorbeeld.nl');
    const popup = await openPopup(ext, tabId);
    // The address the shop's form wrote (`%40`) rides along in the trackers' own hits (`dl=…%2540…`).
    const { findings } = await readPopup(popup);
    expect(findings.filter((f) => f.kind === 'personal-data').map((f) => f.tracker).sort()).toEqual(['google-ads', 'google-analytics', 'meta-pixel', 'microsoft-ads']);
    await popup.waitForSelector('#report-problem');
    await popup.click('#report-problem');
    const target = await ext.browser.waitForTarget((t) => t.url().includes('/bundle.html'));
    const bundle = (await target.page())!;
    await bundle.bringToFront();
    await bundle.waitForSelector('#bundle-preview');
    const preview = await bundle.$eval('#bundle-preview', (e) => e.textContent!);
    const report = JSON.parse(preview);
    expect(report.redacted).toBe(true);
    expect(report.environment.extensionVersion).toBe('0.1.0');
    expect(report.pages).toHaveLength(1);
    expect(preview).not.toContain('sanne');
    expect(report.pages[0].url).toBe('https://www.mijnliefsteboek.nl/?[removed]');
    await bundle.screenshot({ path: resolve(SCREENSHOTS, 'bundle-nl.png') });
    await bundle.close();
    await popup.close();
    await shopPage.close();
  });

  it('keeps the log for the chosen time, and deletes everything when asked, open shop tabs included', async () => {
    // A shop tab stays open through the erase, and another page has just loaded: its rows may still
    // wait in the background's queue (written once a second) when the erase comes.
    const { page: openShop, tabId } = await visit(ext, '/checkout');
    const justLoaded = await ext.browser.newPage();
    await justLoaded.goto('https://www.mijnliefsteboek.nl/', { waitUntil: 'load' });
    const page = await historyPage('nl', 'settings');
    await page.waitForSelector('#retention');
    await page.select('#retention', '30');
    await page.click('#erase');
    await page.waitForSelector('#erase-yes');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'settings-erase-nl.png'), fullPage: true });
    await page.click('#erase-yes');
    await page.waitForFunction(() => document.body.innerText.includes('Alles is gewist.'));
    await page.screenshot({ path: resolve(SCREENSHOTS, 'settings-erased-nl.png'), fullPage: true });

    // The open tab goes on: a tracker fires in it after the erase. Nothing of it is logged, and its
    // popup says to reload the page rather than show what it saw before.
    await openShop.bringToFront();
    const pixel = openShop.waitForResponse((response) => response.url().startsWith('https://www.facebook.com/tr/'));
    await openShop.evaluate(() => void (new Image().src = 'https://www.facebook.com/tr/?id=1&ev=AddToCart&noscript=1'));
    await pixel;
    await ext.settle();
    await page.goto(`chrome-extension://${ext.extensionId}/options.html?lang=nl#history`);
    await page.waitForSelector('.empty');
    expect(await count(page)).toBe('0 bezoeken');
    expect(await logRowCounts(page)).toEqual({});
    const popup = await openPopup(ext, tabId);
    expect((await readPopup(popup)).view).toBe('no-state');
    expect(await ext.badgeText(tabId)).toBe('');
    await popup.close();

    // Loaded again, the tab is watched again: a new visit, logged as ever.
    await openShop.reload({ waitUntil: 'networkidle0' });
    await ext.settle(openShop);
    await page.reload();
    await page.waitForSelector('[data-visit]');
    expect(await count(page)).toBe('1 bezoek');
    await Promise.all([page.close(), openShop.close(), justLoaded.close()]);
  });
});

/** Rows per table of the log, read from IndexedDB itself; tables without rows are left out. */
function logRowCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    (name) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const opening = indexedDB.open(name);
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const db = opening.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names, 'readonly');
          const counts: Record<string, number> = {};
          for (const store of names) {
            const counting = tx.objectStore(store).count();
            counting.onsuccess = () => void (counting.result > 0 && (counts[store] = counting.result));
          }
          tx.oncomplete = () => (db.close(), resolve(counts));
          tx.onerror = () => reject(tx.error);
        };
      }),
    DATABASE_NAME,
  );
}
