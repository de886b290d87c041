import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../lib/report';
import { launchWithExtension, type ExtensionBrowser } from '../../lib/scan/chromium';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import { HOSTILE_PAGES } from '../fixtures/shop/hostile';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { audit, readable, type Problem } from './axe';
import { BROWSERS, withBrowser, type BrowserUnderTest } from './drivers';
import { SCREENSHOTS, copied, floodEnded, keepSavesAndCopies, readmeScreenshot, saved } from './helpers';

/** What the panel lists now: each row's kind, party and verdict, top to bottom. */
function panelRows(panel: Page | Frame) {
  return panel.$$eval('[data-row]', (rows) =>
    rows.map((row) => {
      const e = row as HTMLElement;
      return e.dataset.row === 'consent' ? `consent:${e.dataset.consentSource}${e.dataset.consentSignal ? `:${e.dataset.consentSignal}` : ''}` : `${e.dataset.entry}:${e.dataset.verdict}`;
    }),
  );
}

describe.each(BROWSERS)('the DevTools panel in %s (its page opened with ?tabId)', (name) => {
  let shop: FixtureShop;
  let ext: BrowserUnderTest;
  withBrowser(name, (startedShop, started) => {
    shop = startedShop;
    ext = started;
  });

  const openPanel = async (tabId: number | string, language: 'nl' | 'en' = 'en') => {
    const panel = await ext.openPage(`devtools-panel.html?tabId=${tabId}&lang=${language}`, '[data-view]');
    await panel.setViewport({ width: 1200, height: 900 });
    return panel;
  };

  it('shows the tab’s requests as they happen, in order, with the consent each one met and its verdict', async () => {
    await ext.clearCookies();
    const { page, tabId } = await ext.visit(CONSENT_SCENARIOS.metaIgnoresRefusal);
    const panel = await openPanel(tabId);
    await panel.waitForSelector('[data-view="tab"] [data-row]');
    const before = await panelRows(panel);
    // The banner waits: nothing of Meta's yet, and nothing has been refused.
    expect(before.filter((r) => r.startsWith('meta-pixel'))).toEqual([]);
    expect(before).not.toContain('consent:cookie-information');

    // The customer refuses in the shop's tab; the panel, left open, follows.
    await page.bringToFront();
    await page.click(CONSENT_SELECTORS.DECLINE_ALL);
    await page.waitForNetworkIdle({ idleTime: 500 });
    await ext.settle(page);
    await panel.waitForSelector('[data-row="request"][data-entry="meta-pixel"][data-verdict="against-choice"]', { timeout: 20_000 });
    const after = await panelRows(panel);
    const refusal = after.indexOf('consent:cookie-information');
    expect(refusal).toBeGreaterThan(0);
    // Meta fired after the refusal, every time, and each of its rows says so.
    const meta = after.flatMap((row, i) => (row.startsWith('meta-pixel') ? [i] : []));
    expect(meta.length).toBeGreaterThan(0);
    expect(meta.every((i) => i > refusal && after[i] === 'meta-pixel:against-choice')).toBe(true);
    expect(after).toContain('aws:necessary');
    expect(after).toContain('google-analytics:denied-ping');

    // The same state the popup reads, row for row: its kept requests and its consent changes.
    const state = (await ext.tabState(tabId))!;
    expect(after.filter((r) => !r.startsWith('consent:'))).toHaveLength(state.requests.length + state.unlistedRequests.length);
    expect(after.filter((r) => r.startsWith('consent:'))).toHaveLength(state.consent.length);
    const metaRow = await panel.$eval('[data-entry="meta-pixel"]', (e) => (e as HTMLElement).innerText);
    expect(metaRow).toContain('Cookie Information: everything refused');
    expect(metaRow).toContain('Against your choice');
    expect(await panel.$eval('[data-finding="against-choice"]', (e) => e.textContent)).toContain('Meta Pixel');

    // The chart: Meta's marks are red crosses right of the refusal's line.
    const chart = await panel.evaluate(() => {
      const line = document.querySelector('[data-consent-source="cookie-information"] line')!.getBoundingClientRect();
      const marks = [...document.querySelectorAll('[data-mark-entry="meta-pixel"]')].map((m) => ({ verdict: (m as SVGElement).dataset.markVerdict, left: m.getBoundingClientRect().left }));
      return { line: line.left, marks };
    });
    expect(chart.marks.length).toBeGreaterThan(0);
    for (const mark of chart.marks) {
      expect(mark.verdict).toBe('against-choice');
      expect(mark.left).toBeGreaterThan(chart.line - 6);
    }
    await panel.close();
    await page.close();
  });

  it('filters by company, verdict and kind, searches, and reads the same in Dutch; axe finds nothing', async () => {
    await ext.clearCookies();
    const { page, tabId } = await ext.visit(CONSENT_SCENARIOS.metaIgnoresRefusal);
    await page.bringToFront();
    // The refusal starts a chain (fbevents.js, its config, then the /tr/ hit) that a loaded machine
    // can begin after a network-idle window has already closed: wait for the hit itself.
    const metaHit = page.waitForRequest((request) => request.url().startsWith('https://www.facebook.com/tr/'));
    await page.click(CONSENT_SELECTORS.DECLINE_ALL);
    await metaHit;
    await page.waitForNetworkIdle({ idleTime: 500 });
    await ext.settle(page);
    const problems: Problem[] = [];
    for (const language of ['en', 'nl'] as const) {
      const panel = await openPanel(tabId, language);
      await panel.waitForSelector('[data-row="request"][data-entry="meta-pixel"][data-kind="hit"]');
      await panel.bringToFront();
      const total = Number(await panel.$eval('#panel-count', (e) => (e as HTMLElement).dataset.total));
      await panel.select('#panel-filter-company', 'Meta Platforms Ireland Limited');
      await panel.waitForFunction(() => [...document.querySelectorAll('[data-row="request"]')].every((e) => (e as HTMLElement).dataset.entry === 'meta-pixel'));
      await panel.select('#panel-filter-kind', 'hit');
      await panel.waitForFunction(() => document.querySelectorAll('[data-row="request"]').length === 1).catch(async (error: Error) => {
        const listed = await panel.$$eval('[data-row="request"]', (rows) => rows.map((r) => `${(r as HTMLElement).dataset.entry}:${(r as HTMLElement).dataset.kind}`));
        throw new Error(`${error.message}; the panel lists ${listed.join(', ') || 'nothing'}`);
      });
      expect(await panel.$eval('#panel-count', (e) => e.textContent)).toBe(language === 'en' ? `1 of ${total} shown` : `1 van ${total} getoond`);
      // The chart follows the filter: one mark, Meta's hit.
      expect(await panel.$$eval('[data-mark]', (marks) => marks.map((m) => (m as SVGElement).dataset.markEntry))).toEqual(['meta-pixel']);
      await panel.click('#panel-filter-reset');
      await panel.select('#panel-filter-verdict', 'violation');
      await panel.waitForFunction(() => [...document.querySelectorAll('[data-row="request"]')].every((e) => (e as HTMLElement).dataset.verdict === 'against-choice'));
      await panel.click('#panel-filter-reset');
      await panel.type('#panel-filter-search', 'googletagmanager');
      await panel.waitForFunction(() => [...document.querySelectorAll('[data-row="request"]')].map((e) => (e as HTMLElement).dataset.entry).join() === 'google-tag-manager');
      await panel.click('#panel-filter-reset');
      await panel.waitForFunction((n) => (document.querySelector('#panel-count') as HTMLElement).dataset.shown === String(n), {}, total);
      if (language === 'nl') expect(await panel.$eval('[data-entry="meta-pixel"]', (e) => (e as HTMLElement).innerText)).toContain('Tegen je keuze');

      // Open the chart's table too: axe looks at what is shown.
      await panel.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      problems.push(...(await audit(panel, `panel ${name} ${language}`)));
      if (name === 'chromium') {
        await panel.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
        problems.push(...(await audit(panel, `panel ${name} ${language} dark`)));
        await panel.screenshot({ path: resolve(SCREENSHOTS, `${name}-panel-${language}-dark.png`), fullPage: true });
        await panel.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      }
      await panel.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = false)));
      await panel.screenshot({ path: resolve(SCREENSHOTS, `${name}-panel-${language}-light.png`), fullPage: true });
      // Chromium's picture for the README is the panel inside its real DevTools (below).
      if (language === 'en' && name === 'firefox') await readmeScreenshot(panel, 'firefox-devtools-panel');
      await panel.close();
    }
    expect(problems, `axe found:\n${readable(problems)}`).toEqual([]);
    await page.close();
  });

  it('moves between the chart’s marks with the keyboard, each saying its request', async () => {
    const { page, tabId } = await ext.visit(CONSENT_SCENARIOS.metaIgnoresRefusal);
    const panel = await openPanel(tabId);
    await panel.waitForSelector('[data-mark]');
    await panel.bringToFront();
    // One tab stop for the whole chart.
    expect(await panel.$$eval('[data-mark][tabindex="0"]', (m) => m.length)).toBe(1);
    // Tab from the control before the chart reaches it, with a visible ring around the mark.
    await panel.focus('#panel-copy-bundle');
    let steps = 0;
    while (!(await panel.evaluate(() => document.activeElement?.hasAttribute('data-mark'))) && steps++ < 30) await panel.keyboard.press('Tab');
    expect(await panel.evaluate(() => (document.activeElement as unknown as SVGElement).dataset.mark)).toBe('0');
    await panel.waitForSelector('.tl-halo');
    const first = await panel.$eval('[data-timeline-tip]', (e) => e.textContent);
    expect(first).toMatch(/^0(\.\d+)? s: Amazon Web Services, Necessary\. https:\/\/www\.mijnliefsteboek\.nl\//);
    await panel.keyboard.press('ArrowDown');
    const second = await panel.evaluate(() => ({ mark: (document.activeElement as unknown as SVGElement).dataset.mark, label: document.activeElement?.getAttribute('aria-label') }));
    expect(second.mark).not.toBe('0');
    expect(await panel.$eval('[data-timeline-tip]', (e) => e.textContent)).toBe(second.label);
    await panel.keyboard.press('End');
    await panel.keyboard.press('Escape');
    expect(await panel.$('[data-timeline-tip]')).toBeNull();
    await panel.close();
    await page.close();
  });

  it('exports the tab as a report and as HTML, and copies a support bundle without personal data', async () => {
    const { page, tabId } = await ext.visit(`${CONSENT_SCENARIOS.metaIgnoresRefusal}?email=sanne%40voorbeeld.nl`);
    const panel = await openPanel(tabId);
    await panel.waitForSelector('[data-row]');
    await panel.bringToFront();
    await keepSavesAndCopies(panel);
    await panel.click('#panel-export-json');
    await panel.click('#panel-export-html');
    await panel.click('#panel-copy-bundle');
    await panel.waitForFunction(() => document.querySelector('#panel-notice')!.textContent === 'The support bundle is on the clipboard.');
    const [json, html] = await saved(panel);
    expect(json!.name).toMatch(/^privacy-lens-tab-\d{4}-\d{2}-\d{2}\.json$/);
    const report = parseReport(json!.text);
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.report.redacted).toBe(true);
    expect(report.report.pages[0]!.url).toBe('https://www.mijnliefsteboek.nl/consent/meta-ignores-refusal?[removed]');
    expect(report.report.pages[0]!.observations!.length).toBeGreaterThan(0);
    expect(html!.name).toMatch(/\.html$/);
    expect(html!.text).toContain('<svg viewBox=');
    expect(html!.text).not.toContain('sanne');
    const [bundle] = await copied(panel);
    const parsed = parseReport(bundle!);
    expect(parsed.ok && parsed.report.environment?.extensionVersion).toBe('0.1.0');
    expect(parsed.ok && parsed.report.redacted).toBe(true);
    expect(bundle).not.toContain('sanne');

    // Asked for personal data, the report keeps the page's address as it was.
    await panel.click('#panel-redact');
    await panel.click('#panel-export-json');
    const full = (await saved(panel))[2]!;
    expect(full.text).toContain('sanne%40voorbeeld.nl');
    await panel.close();

    // Where the browser refuses the clipboard (a DevTools frame can), the bundle is shown to copy by hand.
    const refused = await openPanel(tabId, 'nl');
    await refused.waitForSelector('[data-row]');
    await refused.bringToFront();
    await keepSavesAndCopies(refused, { clipboard: false });
    await refused.click('#panel-copy-bundle');
    await refused.waitForSelector('#panel-bundle-text');
    expect(await refused.$eval('#panel-notice', (e) => e.textContent)).toContain('De browser liet het paneel niet kopiëren');
    expect(JSON.parse(await refused.$eval('#panel-bundle-text', (e) => (e as HTMLTextAreaElement).value)).redacted).toBe(true);
    await refused.close();
    await page.close();
  });

  it('keeps up with a page that fires hundreds of requests, and says how many it does not list', async () => {
    // The panel is open on a quiet page of the shop; then the tab goes to a page that floods.
    const { page, tabId } = await ext.visit('/test/aws');
    const panel = await openPanel(tabId);
    await panel.waitForSelector('[data-view="tab"]');
    const quietVisit = await panel.$eval('[data-view="tab"]', (e) => (e as HTMLElement).dataset.visit);
    // What the panel shows, recorded by the panel page itself at each change of its DOM (so that no
    // value is missed between two looks from outside): how many requests it lists and leaves out.
    await panel.evaluate(() => {
      const shown: { at: number; seen: number }[] = [];
      (window as unknown as { __shown: typeof shown }).__shown = shown;
      new MutationObserver(() => {
        const seen = Number(document.querySelector<HTMLElement>('#panel-count')?.dataset.total ?? 0) + Number(document.querySelector<HTMLElement>('#panel-left-out')?.dataset.leftOut ?? 0);
        if (shown.at(-1)?.seen !== seen) shown.push({ at: Date.now(), seen });
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    // 900 requests in six seconds: more than a tab keeps for judging (500) and for unnamed hosts (100).
    await page.goto(`https://www.mijnliefsteboek.nl${HOSTILE_PAGES.flood}?perSecond=150&seconds=6`, { waitUntil: 'domcontentloaded' });
    await panel.bringToFront();
    // The panel follows the tab to its new page, and says so.
    await panel.waitForFunction((before) => { const view = document.querySelector('[data-view="tab"]') as HTMLElement | null; return view !== null && view.dataset.visit !== before; }, { timeout: 20_000 }, quietVisit);
    expect(await panel.$eval('#panel-notice', (e) => e.textContent)).toContain(`A new page: https://www.mijnliefsteboek.nl${HOSTILE_PAGES.flood}`);
    // Every request issued, then every one ended (waited for, not slept on).
    const { issued } = await floodEnded(page, shop);
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);
    const flood = { from: timeOrigin + issued.startedAt, to: timeOrigin + issued.endedAt };
    // The page's Resource Timing reports trail the flood: the panel and the tab state are compared
    // once they agree, which they must as soon as the state stops changing. What the panel shows is
    // read at once, in one look, so that a late change cannot fall between two reads.
    const look = () =>
      panel.evaluate(() => ({
        leftOut: Number(document.querySelector<HTMLElement>('#panel-left-out')?.dataset.leftOut ?? 0),
        leftOutText: document.querySelector('#panel-left-out')?.textContent ?? '',
        total: Number(document.querySelector<HTMLElement>('#panel-count')?.dataset.total ?? 0),
        marks: [...document.querySelectorAll<SVGElement>('[data-mark]')].map((m) => Number(m.dataset.count)),
        renders: (window as unknown as { __shown: { at: number; seen: number }[] }).__shown,
      }));
    let state = (await ext.tabState(tabId))!;
    let shown = await look();
    for (let i = 0; i < 60; i++) {
      await ext.settle(page);
      state = (await ext.tabState(tabId))!;
      shown = await look();
      if (shown.leftOut === state.requestsLeftOut + state.unlistedRequestsLeftOut && shown.total === state.requests.length + state.unlistedRequests.length) break;
    }
    const leftOut = state.requestsLeftOut + state.unlistedRequestsLeftOut;
    expect(leftOut).toBeGreaterThan(0);
    expect(shown.leftOut).toBe(leftOut);
    expect(shown.total).toBe(state.requests.length + state.unlistedRequests.length);
    expect(shown.leftOutText).toContain(`${leftOut.toLocaleString('en-GB')} requests from the middle of this visit are not shown`);
    // While the flood ran, the panel showed what the tab's state held then, more than once: it
    // follows the state as the background saves it (under a flood, Firefox's background saves about
    // once a second), and neither it nor the page froze. It ends on the state's last word.
    const duringFlood = shown.renders.filter((r) => r.at >= flood.from && r.at <= flood.to && r.seen > 0);
    console.log(`${name}: the panel showed ${shown.renders.map((r) => r.seen).join(', ')}; ${duringFlood.length} of them while the page flooded`);
    expect(duringFlood.length).toBeGreaterThanOrEqual(1);
    expect(shown.renders.length).toBeGreaterThanOrEqual(3);
    expect(shown.renders.at(-1)!.seen).toBe(shown.total + shown.leftOut);
    // Many requests, few marks: the chart merges what would overlap.
    expect(shown.marks.reduce((a, b) => a + b, 0)).toBe(shown.total);
    expect(shown.marks.length).toBeLessThan(400);
    await panel.screenshot({ path: resolve(SCREENSHOTS, `${name}-panel-flood-en.png`), fullPage: true });
    await panel.close();
    await page.close();
  }, 180_000);

  it('says what it needs when its address names no tab, or names one wrongly, in the reader’s language', async () => {
    const none = await ext.openPage('devtools-panel.html?lang=nl', '#panel-problem');
    expect(await none.$eval('#panel-problem', (e) => e.textContent)).toBe('Dit paneel hoort bij één tabblad. Open het in de ontwikkelhulpmiddelen van de browser (F12) op een pagina van de winkel.');
    const bad = await ext.openPage('devtools-panel.html?lang=en&tabId=%3Cimg%20src%3Dx%3E', '#panel-problem');
    expect(await bad.$eval('#panel-problem', (e) => e.textContent)).toContain('tabId must be a whole number');
    expect(await bad.$('img')).toBeNull();
    const notShop = await openPanel(2_147_000_000);
    expect(await notShop.$eval('[data-view]', (e) => e.getAttribute('data-view'))).toBe('not-shop');
    await Promise.all([none.close(), bad.close(), notShop.close()]);
  });

  it('saw no request that the pages did not make', () => {
    // The flood's beacons go to hosts the fixture leaves unanswered on purpose.
    expect(shop.unexpected.filter((r) => !r.host.endsWith('.flood-beacons.example')).map((r) => `${r.method} ${r.host}${r.path}`)).toEqual([]);
  });
});

/**
 * The real thing, in Chromium: DevTools opened on the shop's tab (headless Chromium opens it with
 * each tab when asked), the panel chosen in DevTools' own tab strip, and what it shows read from its
 * frame. Firefox's DevTools cannot be driven over WebDriver BiDi; its panel page is tested above.
 */
describe('the panel inside Chromium’s real DevTools', () => {
  let shop: FixtureShop;
  let ext: ExtensionBrowser;

  it('appears in DevTools for the inspected tab and shows that tab, live', async () => {
    shop = await startFixtureShop();
    ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true, extraArgs: ['--auto-open-devtools-for-tabs'] });
    try {
      const page = await ext.browser.newPage();
      await page.goto(`https://www.mijnliefsteboek.nl${CONSENT_SCENARIOS.metaIgnoresRefusal}`, { waitUntil: 'networkidle0' });
      await ext.settle(page);
      // Each DevTools window has our panel once its DevTools page has run; find the one showing the shop.
      const frame = await panelInDevTools(ext, (f) => f.$eval('#panel-url', (e) => e.textContent).then((url) => url === `https://www.mijnliefsteboek.nl${CONSENT_SCENARIOS.metaIgnoresRefusal}`, () => false));
      expect(await frame.$eval('[data-view]', (e) => e.getAttribute('data-view'))).toBe('tab');
      await page.bringToFront();
      await page.click(CONSENT_SELECTORS.DECLINE_ALL);
      await page.waitForNetworkIdle({ idleTime: 500 });
      await ext.settle(page);
      await frame.waitForSelector('[data-entry="meta-pixel"][data-verdict="against-choice"]', { timeout: 20_000 });
      expect(await panelRows(frame)).toContain('consent:cookie-information');
      // For the picture: DevTools in a window of its own (docked, half of it is the empty page area).
      const devtools = frame.page();
      await devtools.evaluate(`(async () => { const UI = await import('./ui/legacy/legacy.js'); UI.DockController.DockController.instance().setDockSide('undocked'); })()`);
      await devtools.setViewport({ width: 1200, height: 860 }).catch(() => undefined);
      await frame.waitForSelector('[data-mark]');
      await readmeScreenshot(devtools, 'chromium-devtools-panel');
      await page.close();
    } finally {
      await ext.close();
      await shop.close();
    }
  }, 180_000);
});

/** Chooses our panel in each open DevTools window until `isIt` says the panel's frame is the one wanted. */
async function panelInDevTools(ext: ExtensionBrowser, isIt: (frame: Frame) => Promise<boolean>): Promise<Frame> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const target of ext.browser.targets().filter((t) => t.url().startsWith('devtools://devtools/'))) {
      const devtools = await target.asPage().catch(() => null);
      if (!devtools) continue;
      // DevTools' own module: its inspector view lists the panels, ours included once registered. Sent
      // as text: the test runner would rewrite an import() written in this file.
      const shown = await devtools
        .evaluate(
          `(async () => {
            try {
              const UI = await import('./ui/legacy/legacy.js');
              const view = UI.InspectorView.InspectorView.instance();
              const id = view.tabbedPane.tabIds().find((tab) => tab.startsWith(${JSON.stringify(`chrome-extension://${ext.extensionId}`)}));
              if (!id) return false;
              await view.showPanel(id);
              return true;
            } catch {
              return false;
            }
          })()`,
        )
        .catch(() => false);
      if (!shown) continue;
      const frame = devtools.frames().find((f) => f.url().startsWith(`chrome-extension://${ext.extensionId}/devtools-panel.html`));
      if (frame && (await frame.waitForSelector('[data-view]', { timeout: 5_000 }).then(() => isIt(frame), () => false))) return frame;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the Privacy Lens panel never showed the shop’s tab in DevTools');
}
