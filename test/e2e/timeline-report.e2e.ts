import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs } from '../../lib/scan/chromium';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import type { FixtureShop } from '../fixtures/shop/server';
import { audit, readable, type Problem } from './axe';
import { BROWSERS, withBrowser, type BrowserUnderTest } from './drivers';
import { SCREENSHOTS, keepSavesAndCopies, readmeScreenshot, saved } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
const VISITED = `${CONSENT_SCENARIOS.metaIgnoresRefusal}?email=sanne%40voorbeeld.nl`;

/** A first visit to the page whose Meta pixel ignores "reject all", refused with the mouse. */
async function refuseOnMetaPage(ext: BrowserUnderTest) {
  await ext.clearCookies();
  const { page, tabId } = await ext.visit(VISITED);
  await page.bringToFront();
  await page.click(CONSENT_SELECTORS.DECLINE_ALL);
  await page.waitForNetworkIdle({ idleTime: 500 });
  await ext.settle(page);
  return { page, tabId };
}

/** Opens the history, finds the visit and opens its view; resolves once the chart is drawn. */
async function openVisit(ext: BrowserUnderTest, language: 'nl' | 'en') {
  const history = await ext.openPage(`options.html?lang=${language}#history`, '[data-visit]');
  await history.setViewport({ width: 1100, height: 1000 });
  await history.type('#filter-search', 'meta-ignores');
  // The visit where Meta fired against the refusal (marked in the list as one with a violation).
  await history.waitForSelector('[data-visit].visit--violation');
  const rows = await history.$$eval('[data-visit]', (r) => r.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ')));
  if (rows.length !== 1) console.log(`${rows.length} visits of the page in the history: ${rows.join(' | ')}`);
  await history.click('[data-visit].visit--violation');
  await history.waitForSelector('.pageview [data-timeline] [data-mark]');
  return history;
}

/** Where the chart put Meta's marks and the customer's refusal, on screen. */
function chartFacts(page: Page) {
  return page.evaluate(() => {
    const chart = document.querySelector('[data-timeline]')!;
    const refusal = chart.querySelector('[data-consent-source="cookie-information"] line')?.getBoundingClientRect().left ?? null;
    const marks = [...chart.querySelectorAll<SVGElement>('[data-mark]')].map((m) => ({ entry: m.dataset.markEntry, verdict: m.dataset.markVerdict, left: m.getBoundingClientRect().left, label: m.getAttribute('aria-label') }));
    return { refusal, marks, signals: chart.querySelectorAll('[data-consent-source="consent-mode"]').length };
  });
}

/**
 * Opens a saved HTML report from disk and records every request the browser makes for it that could
 * leave the machine (Firefox loads a font of its own from a data: address; that is not the file's).
 */
async function openFile(browser: Browser, path: string): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (request) => void (request.url().startsWith('data:') || requests.push(request.url())));
  await page.goto(`file://${path}`, { waitUntil: 'load' });
  await page.waitForSelector('svg');
  return { page, requests };
}

describe.each(BROWSERS)('the timeline and the shareable HTML report, in %s', (name) => {
  let shop: FixtureShop;
  let ext: BrowserUnderTest;
  withBrowser(name, (startedShop, started) => {
    shop = startedShop;
    ext = started;
  });
  let tabId = 0;
  let html = '';

  it('draws the visit in the history’s visit view: Meta’s marks right of the refusal, said in words too', async () => {
    const visit = await refuseOnMetaPage(ext);
    tabId = visit.tabId;
    const problems: Problem[] = [];
    for (const language of ['en', 'nl'] as const) {
      const history = await openVisit(ext, language);
      await history.bringToFront();
      const facts = await chartFacts(history);
      const meta = facts.marks.filter((m) => m.entry === 'meta-pixel');
      expect(meta.length).toBeGreaterThan(0);
      expect(facts.refusal).not.toBeNull();
      for (const mark of meta) {
        expect(mark.verdict).toBe('against-choice');
        expect(mark.left).toBeGreaterThan(facts.refusal! - 6);
        expect(mark.label).toContain(language === 'en' ? 'Meta Pixel, Against your choice.' : 'Meta Pixel, Tegen je keuze.');
      }
      expect(facts.marks.find((m) => m.entry === 'aws')?.verdict).toBe('necessary');
      expect(facts.signals).toBeGreaterThan(0);
      // The table says it all in words, in time order: the refusal before Meta's requests.
      await history.click('.pageview .tl-details summary');
      const table = await history.$$eval('.pageview .tl-table tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.tableConsent ?? (r as HTMLElement).dataset.tableMark));
      expect(table.indexOf('cookie-information')).toBeLessThan(table.indexOf('against-choice'));
      problems.push(...(await audit(history, `visit view ${name} ${language}`)));
      if (name === 'chromium') {
        await history.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
        problems.push(...(await audit(history, `visit view ${name} ${language} dark`)));
        await history.screenshot({ path: resolve(SCREENSHOTS, `${name}-visit-timeline-${language}-dark.png`), fullPage: true });
        await history.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      }
      await history.click('.pageview .tl-details summary');
      await history.screenshot({ path: resolve(SCREENSHOTS, `${name}-visit-timeline-${language}-light.png`), fullPage: true });
      const section = (await history.$('.pageview section:has([data-timeline])'))!;
      if (language === 'en') await readmeScreenshot(history, `${name}-timeline`, section);
      await history.close();
    }
    expect(problems, `axe found:\n${readable(problems)}`).toEqual([]);
  });

  it('shows the chart on the support bundle page too', async () => {
    const bundle = await ext.openPage(`bundle.html?tabId=${tabId}&lang=en`, '[data-timeline] [data-mark]');
    await bundle.setViewport({ width: 1100, height: 1000 });
    await bundle.bringToFront();
    const facts = await chartFacts(bundle);
    expect(facts.marks.filter((m) => m.entry === 'meta-pixel').every((m) => m.verdict === 'against-choice')).toBe(true);
    const problems = await audit(bundle, `bundle ${name}`);
    expect(problems, `axe found:\n${readable(problems)}`).toEqual([]);
    await bundle.screenshot({ path: resolve(SCREENSHOTS, `${name}-bundle-timeline-en.png`), fullPage: true });
    await bundle.close();
  });

  it('exports the visit as one HTML file that opens with no request, shows the chart, and leaves personal data out', async () => {
    const history = await openVisit(ext, 'nl');
    await history.bringToFront();
    await keepSavesAndCopies(history);
    await history.click('#visit-export-html');
    await history.waitForFunction(() => document.querySelector('.export [role="status"]')?.textContent === 'Opgeslagen: 1 bezoek.');
    const [file] = await saved(history);
    expect(file!.name).toMatch(/^privacy-lens-\d{4}-\d{2}-\d{2}\.html$/);
    html = file!.text;
    expect(html).not.toContain('sanne');
    await history.close();

    const path = join(await mkdtemp(join(tmpdir(), 'privacy-lens-html-')), 'report.html');
    await writeFile(path, html);
    const { page, requests } = await openFile(ext.browser, path);
    await page.setViewport({ width: 1100, height: 900 });
    // Nothing but the file itself: no script, font, image or style from anywhere.
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(await page.$eval('html', (e) => e.getAttribute('lang'))).toBe('nl');
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);
    const marks = await page.$$eval('figure.tl path.tl-mark--violation title', (titles) => titles.map((t) => t.textContent));
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((t) => t!.includes('Meta Pixel, Tegen je keuze'))).toBe(true);
    expect(await page.$eval('figure.tl line.tl-line title', (t) => t.textContent)).toContain('toestemming gewijzigd');
    const problems = await audit(page, `HTML report ${name}`);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    problems.push(...(await audit(page, `HTML report ${name}, table open`)));
    if (name === 'chromium') {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      problems.push(...(await audit(page, `HTML report ${name} dark`)));
      await page.screenshot({ path: resolve(SCREENSHOTS, `${name}-html-report-nl-dark.png`), fullPage: true });
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      // And on paper: the print style keeps it readable in black on white.
      await page.emulateMediaType('print');
      await page.screenshot({ path: resolve(SCREENSHOTS, `${name}-html-report-nl-print.png`), fullPage: true });
      await page.emulateMediaType('screen');
    }
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = false)));
    await page.screenshot({ path: resolve(SCREENSHOTS, `${name}-html-report-nl-light.png`), fullPage: true });
    expect(problems, `axe found:\n${readable(problems)}`).toEqual([]);
    await page.close();
  });

  it('exports the history’s visits as HTML in English, and with personal data when asked', async () => {
    const history = await ext.openPage('options.html?lang=en#history', '#export-html');
    await history.bringToFront();
    await keepSavesAndCopies(history);
    await history.click('#export-html');
    await history.click('#export-html-redact');
    await history.click('#export-html');
    await history.waitForFunction(() => (window as unknown as { __kept: { saved: unknown[] } }).__kept.saved.length === 2);
    const [shared, full] = await saved(history);
    expect(shared!.text).toContain('<html lang="en">');
    expect(shared!.text).toContain('Personal data was left out of this report.');
    expect(shared!.text).not.toContain('sanne');
    expect(full!.text).toContain('sanne%40voorbeeld.nl');
    await history.close();
  });

  it('saw no request that the pages did not make', () => {
    expect(shop.unexpected.map((r) => `${r.method} ${r.host}${r.path}`)).toEqual([]);
  });
});

/**
 * Dark screenshots and axe in Firefox need a Firefox started with a dark system theme: WebDriver BiDi
 * cannot emulate the media feature as Chromium's DevTools protocol does above.
 */
describe('the panel, the chart and the HTML report in Firefox with a dark system theme', () => {
  let ext: BrowserUnderTest;
  withBrowser('firefox', (_shop, started) => (ext = started), { dark: true });

  it('look right and pass axe in both languages', async () => {
    const { tabId } = await refuseOnMetaPage(ext);
    const problems: Problem[] = [];
    for (const language of ['nl', 'en'] as const) {
      const panel = await ext.openPage(`devtools-panel.html?tabId=${tabId}&lang=${language}`, '[data-mark]');
      await panel.setViewport({ width: 1200, height: 900 });
      expect(await panel.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
      problems.push(...(await audit(panel, `panel firefox ${language} dark`)));
      await panel.screenshot({ path: resolve(SCREENSHOTS, `firefox-panel-${language}-dark.png`), fullPage: true });
      await panel.close();
      const history = await openVisit(ext, language);
      problems.push(...(await audit(history, `visit view firefox ${language} dark`)));
      await history.screenshot({ path: resolve(SCREENSHOTS, `firefox-visit-timeline-${language}-dark.png`), fullPage: true });
      await keepSavesAndCopies(history);
      await history.click('#visit-export-html');
      await history.waitForFunction(() => (window as unknown as { __kept: { saved: unknown[] } }).__kept.saved.length === 1);
      const [file] = await saved(history);
      await history.close();
      const path = join(await mkdtemp(join(tmpdir(), 'privacy-lens-html-')), 'report.html');
      await writeFile(path, file!.text);
      const { page, requests } = await openFile(ext.browser, path);
      expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
      problems.push(...(await audit(page, `HTML report firefox ${language} dark`)));
      await page.screenshot({ path: resolve(SCREENSHOTS, `firefox-html-report-${language}-dark.png`), fullPage: true });
      await page.close();
    }
    expect(problems, `axe found:\n${readable(problems)}`).toEqual([]);
  });
});

/** Runs the scan command as support staff do; resolves with its exit code and what it wrote. */
function scan(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('npx', ['tsx', 'lib/scan/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('npm run scan -- --html', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('writes the demo tour as one HTML file, in the terminal’s language, with a timeline per page, that asks for nothing', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'privacy-lens-scan-')), 'scan.html');
    const result = await scan(['--html', path], { LANG: 'nl_NL.UTF-8', LC_ALL: '' });
    expect(result.code, result.stderr).toBe(0);
    const html = await readFile(path, 'utf8');
    expect(html).toContain('<html lang="nl">');
    const { page, requests } = await openFile(browser, path);
    await page.setViewport({ width: 1100, height: 900 });
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    // The four pages of the demo tour, each with its chart; Meta against the refusal on the third.
    expect(await page.$$eval('main > section', (s) => s.length)).toBe(4);
    expect(await page.$$eval('main > section figure.tl > svg', (s) => s.length)).toBe(4);
    expect(await page.$eval('#page-3 h2', (h) => h.textContent)).toContain('/consent/meta-ignores-refusal');
    expect(await page.$$eval('#page-3 path.tl-mark--violation title', (t) => t.map((e) => e.textContent))).toContainEqual(expect.stringContaining('Meta Pixel, Tegen je keuze'));
    const problems = await audit(page, 'scan HTML report');
    expect(problems, `axe found:\n${readable(problems)}`).toEqual([]);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'scan-html-report-nl.png'), fullPage: true });
    await page.close();
  }, 240_000);

  it('says what is wrong with a path it cannot write, before it scans anything', async () => {
    const result = await scan(['--html', '/nonexistent-privacy-lens/report.html']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('scan: --html: the folder /nonexistent-privacy-lens does not exist: create it first, or choose another place');
    const folder = await mkdtemp(join(tmpdir(), 'privacy-lens-scan-'));
    const json = await scan(['--html', join(folder, 'report.json')]);
    expect(json.stderr).toContain('give a file name ending in .html');
  });
});

