import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nl from '../../public/_locales/nl/messages.json';
import { harReport } from '../../lib/har';
import { parseReport, type PageReport, type Report } from '../../lib/report';
import type { ConsentAnswer } from '../../lib/scan/autoconsent';
import { launchWithExtension, type ExtensionBrowser } from '../../lib/scan/chromium';
import { growHar } from '../bench/har-corpus';
import { asFirefoxExport, visitBothWays } from '../fixtures/har/capture';
import type { RecordedHar } from '../fixtures/har/recorder';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { audit, readable } from './axe';
import { runScanCli } from './scan-cli';

const SHOP = 'https://www.mijnliefsteboek.nl';
/** Pages whose every verdict a HAR can show: the demo tour and a second consent platform (Didomi's record carries its moment). */
const PAGES = ['/', '/consent/respectful', '/consent/meta-ignores-refusal', '/checkout', '/cmp/didomi/meta-ignores-refusal'];
/** Pages where it cannot: Klaro's record has no moment of its own, Usercentrics keeps its record in localStorage. */
const HAR_BLIND = ['/cmp/klaro/meta-ignores-refusal', '/cmp/usercentrics/meta-ignores-refusal'];
const MODES: ConsentAnswer[] = ['none', 'accept-all', 'reject-all'];
const tool = { name: 'mijnliefsteboek-privacy-lens', version: '0.1.0' };

const verdicts = (page: PageReport) => Object.fromEntries(page.trackers.map((t) => [t.id, t.verdict]));
const consentOf = (page: PageReport) => ({ source: page.consent.source, granted: page.consent.granted, denied: page.consent.denied, from: page.consent.from });
/**
 * For a failure's message: when each side dated the choice and the requests of the trackers whose verdicts
 * differ (a verdict turns on which side of the choice a request falls).
 */
function momentsBehind(live: PageReport, har: PageReport): string {
  const differ = Object.entries(verdicts(live)).filter(([id, verdict]) => verdicts(har)[id] !== verdict).map(([id]) => id);
  const side = (name: string, page: PageReport) =>
    `${name}: choice ${page.consent.decidedAt ?? 'none'}; changes ${JSON.stringify((page.consentChanges ?? []).map((c) => `${c.at} ${c.source}${c.signal ? `/${c.signal}` : ''}`))}; ` +
    (page.observations ?? [])
      .filter((o) => o.trackerId !== null && differ.includes(o.trackerId))
      .map((o) => `${o.at} ${o.trackerId} ${o.url.slice(0, 80)}`)
      .join(', ');
  return `\n${side('live', live)}\n${side('HAR', har)}`;
}
const violations = (page: PageReport) => page.findings.filter((f) => f.kind === 'before-choice' || f.kind === 'against-choice').map((f) => `${f.kind}:${f.trackerId}`).sort();

function judged(har: RecordedHar): Report {
  const result = harReport(JSON.stringify(har), tool);
  if (!result.ok) throw new Error(`the captured HAR did not judge: ${JSON.stringify(result.problem)}`);
  return result.report;
}

describe('a HAR captured through the DevTools protocol is judged like the live scan', () => {
  let shop: FixtureShop;
  let ext: ExtensionBrowser;
  let dir: string;
  const live = new Map<string, PageReport>();
  const captured = new Map<string, RecordedHar>();
  /** What the comparison found, printed for the record (the issue asks for the results). */
  const table: string[] = [];

  beforeAll(async () => {
    shop = await startFixtureShop();
    ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true, language: 'en' });
    dir = await mkdtemp(join(tmpdir(), 'privacy-lens-har-'));
  });
  afterAll(async () => {
    if (table.length) console.log(`HAR vs live, page by page:\n${table.join('\n')}`);
    await ext?.close();
    await shop?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe.each(MODES)('consent %s', (consent) => {
    const pages = consent === 'reject-all' ? [...PAGES, ...HAR_BLIND] : PAGES;
    beforeAll(async () => {
      // Each page as the live scan visits it, with the DevTools protocol recording the same visit.
      for (const path of pages) {
        // Once, whatever the machine's load: the live side dates "no choice yet" by when the content script
        // saw the banner, not by when the background heard of it (lib/observe/observer.ts, bannerSeen).
        const visit = await visitBothWays(ext, `${SHOP}${path}`, consent);
        if (!visit.live) throw new Error(`the extension saw no visit of ${path}`);
        live.set(`${consent} ${path}`, visit.live);
        captured.set(`${consent} ${path}`, visit.har);
      }
    });

    it.each(PAGES)('%s: the same trackers, verdicts, consent and violations', (path) => {
      const livePage = live.get(`${consent} ${path}`)!;
      const har = judged(captured.get(`${consent} ${path}`)!);
      const harPage = har.pages.find((p) => new URL(p.url).pathname === path)!;
      table.push(`${consent.padEnd(10)} ${path.padEnd(34)} live ${JSON.stringify(verdicts(livePage))}\n${' '.repeat(46)}HAR  ${JSON.stringify(verdicts(harPage))}`);
      expect(harPage.capture).toMatchObject({ from: 'har', cookies: true });
      expect(verdicts(harPage), momentsBehind(livePage, harPage)).toEqual(verdicts(livePage));
      expect(consentOf(harPage)).toEqual(consentOf(livePage));
      expect(violations(harPage)).toEqual(violations(livePage));
      // Every verdict here could be shown: none is marked.
      expect(harPage.trackers.filter((t) => t.harLimits).map((t) => t.id)).toEqual([]);
    });
  });

  it('marks every verdict a HAR cannot show, where it differs from the live one', () => {
    for (const path of HAR_BLIND) {
      const livePage = live.get(`reject-all ${path}`)!;
      const harPage = judged(captured.get(`reject-all ${path}`)!).pages.find((p) => new URL(p.url).pathname === path)!;
      table.push(`reject-all ${path.padEnd(34)} live ${JSON.stringify(verdicts(livePage))}\n${' '.repeat(46)}HAR  ${JSON.stringify(verdicts(harPage))} marked ${JSON.stringify(harPage.trackers.filter((t) => t.harLimits).map((t) => `${t.id}:${t.harLimits}`))}`);
      expect(Object.keys(verdicts(harPage)).sort()).toEqual(Object.keys(verdicts(livePage)).sort());
      for (const tracker of harPage.trackers) if (tracker.verdict !== verdicts(livePage)[tracker.id]) expect(tracker.harLimits, `${path} ${tracker.id}`).toContain('page-world');
      // The live extension read the refusal from the platform's API; the HAR could not, and says so.
      expect(verdicts(livePage)['meta-pixel']).toBe('against-choice');
      expect(harPage.trackers.find((t) => t.id === 'meta-pixel')).toMatchObject({ verdict: 'before-choice', harLimits: ['page-world'] });
    }
  });

  it('reads Firefox’s export shape of the same traffic with the same verdicts', () => {
    for (const consent of ['reject-all', 'accept-all'] as const) {
      const path = '/consent/meta-ignores-refusal';
      const report = judged(asFirefoxExport(captured.get(`${consent} ${path}`)!));
      const page = report.pages.find((p) => new URL(p.url).pathname === path)!;
      expect(page.capture?.creator).toBe('Firefox 140.0');
      expect(verdicts(page)).toEqual(verdicts(live.get(`${consent} ${path}`)!));
    }
  });

  it('judges a HAR file from the command line, and says what a HAR cannot show', async () => {
    const file = join(dir, 'reject-all.har');
    await writeFile(file, JSON.stringify(captured.get('reject-all /consent/meta-ignores-refusal')));
    const table = await runScanCli(['--har', file]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('Judged from a HAR file (Chromium DevTools), not seen live.');
    expect(table.stdout).toContain('It cannot show the page’s own world');
    expect(table.stdout).toMatch(/Meta Pixel \(Facebook\).*AGAINST CHOICE/);
    const json = await runScanCli(['--har', file, '--json', '--out', join(dir, 'out.json')]);
    const parsed = parseReport(json.stdout);
    expect(parsed.ok && parsed.report.pages.map((p) => new URL(p.url).pathname)).toEqual(['/consent/meta-ignores-refusal', '/test/none']);
  });

  it('says what is wrong with a broken, cut-off, foreign or huge file, and exits 2', async () => {
    const good = JSON.stringify(captured.get('none /'));
    const cases: [string, string | null, string][] = [
      ['empty.har', '', 'is empty'],
      ['cut.har', good.slice(0, good.length / 3), 'is cut off before its end'],
      ['page.har', '<!doctype html><title>Network</title>', 'is not a HAR file (it is not JSON)'],
      ['report.har', JSON.stringify({ schemaVersion: 1, pages: [] }), 'is JSON but not a HAR file'],
      ['future.har', JSON.stringify({ log: { version: '3.0', entries: [] } }), 'is HAR version 3.0'],
      ['bad-entry.har', JSON.stringify({ log: { version: '1.2', entries: [{ startedDateTime: 'gisteren', request: { method: 'GET', url: SHOP, headers: [] }, response: { status: 200, headers: [] } }] } }), 'at log.entries[0].startedDateTime'],
      ['elsewhere.har', JSON.stringify({ log: { version: '1.2', entries: [{ startedDateTime: '2026-11-30T10:00:00Z', request: { method: 'GET', url: 'https://www.example.org/', headers: [{ name: 'Sec-Fetch-Dest', value: 'document' }] }, response: { status: 200, headers: [] } }] } }), 'holds no page of the shop'],
      ['huge.har', null, 'is larger than 200 MB'],
    ];
    for (const [name, text, message] of cases) {
      const file = join(dir, name);
      if (text === null) {
        await writeFile(file, '');
        await truncate(file, 201 * 1024 * 1024);
      } else await writeFile(file, text);
      const result = await runScanCli(['--har', file]);
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toContain(message);
    }
  });

  describe('the history page', () => {
    async function openImport() {
      const page = await ext.browser.newPage();
      await page.goto(`chrome-extension://${ext.extensionId}/options.html?lang=nl#import`);
      await page.waitForSelector('#har-file');
      return page;
    }

    it('opens a HAR file next to a report, with the same verdicts as the live scan and what a HAR cannot show', async () => {
      const file = join(dir, 'history.har');
      await writeFile(file, JSON.stringify(captured.get('reject-all /cmp/klaro/meta-ignores-refusal')));
      const page = await openImport();
      expect(await page.$eval('#har-heading', (h) => h.textContent)).toBe(nl.harHeading.message);
      const input = await page.$('input#har-file');
      await input!.uploadFile(file);
      await page.waitForSelector('#imported-report');
      const shown = await page.$$eval('[data-page] tr[data-entry]', (rows) => rows.map((r) => [r.closest('[data-page]')!.getAttribute('data-page'), r.getAttribute('data-entry'), r.getAttribute('data-verdict'), r.querySelector('[data-har-limits]')?.getAttribute('data-har-limits') ?? null]));
      const klaro = shown.filter(([url]) => url?.endsWith('/cmp/klaro/meta-ignores-refusal'));
      expect(Object.fromEntries(klaro.map(([, id, verdict]) => [id, verdict]))).toEqual({ ...verdicts(live.get('reject-all /cmp/klaro/meta-ignores-refusal')!), 'meta-pixel': 'before-choice' });
      expect(klaro.find(([, id]) => id === 'meta-pixel')![3]).toBe('page-world');
      const notice = await page.$eval('#har-notice', (n) => n.textContent ?? '');
      expect(notice).toContain(nl.harJudged.message.replace('{creator}', 'Chromium DevTools'));
      expect(notice).toContain(nl.harCannotShow.message.slice(0, 40));
      expect(await page.$eval('[data-entry="meta-pixel"] .har-limits', (l) => l.textContent)).toContain(nl.harLimit_page_world.message);
      // axe-core on the view, light and dark, as the accessibility suite runs it on every page.
      const problems = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        problems.push(...(await audit(page, `HAR view ${scheme}`)));
      }
      expect(readable(problems)).toBe('');
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      await page.setViewport({ width: 1100, height: 900 });
      await page.screenshot({ path: 'test-results/screenshots/history-har-klaro.png', fullPage: true });
      await page.close();
    });

    it('says in the reader’s language what is wrong with a file that is no HAR', async () => {
      const page = await openImport();
      for (const [name, text, message] of [
        ['cut.har', '{"log":{"entries":[{"startedDateTime":"2026', nl.harProblem_truncated.message],
        ['report.har', JSON.stringify({ schemaVersion: 1, pages: [] }), nl.harProblem_not_a_har.message],
      ] as const) {
        const file = join(dir, name);
        await writeFile(file, text);
        await (await page.$('input#har-file'))!.uploadFile(file);
        await page.waitForFunction((m) => document.querySelector('#import-error')?.textContent === m, {}, message);
      }
      expect(await page.$('#imported-report')).toBeNull();
      await page.close();
    });

    it('keeps answering while a 150 MB HAR is judged', async () => {
      const file = join(dir, 'large.har');
      // Page loads of a real capture with 200 kB bodies each, as "Save all as HAR with content" writes them.
      await writeFile(file, growHar(captured.get('accept-all /')! as never, 150 * 1024 * 1024, 200_000));
      const page = await openImport();
      await page.bringToFront();
      // A heartbeat on the page's main thread: a timer every 20 ms, each tick's time kept. Work on that thread
      // (reading, parsing, judging the file there) would stop it for as long as it runs.
      await page.evaluate(() => {
        const w = window as unknown as { ticks: number[]; shownAt?: number };
        w.ticks = [];
        const beat = setInterval(() => w.ticks.push(performance.now()), 20);
        new MutationObserver((_, observer) => {
          if (!document.querySelector('#imported-report')) return;
          w.shownAt = performance.now();
          clearInterval(beat);
          observer.disconnect();
        }).observe(document.body, { childList: true, subtree: true });
      });
      const started = await page.evaluate(() => performance.now());
      await (await page.$('input#har-file'))!.uploadFile(file);
      await page.waitForSelector('#imported-report', { timeout: 120_000 });
      const { ticks, shownAt } = await page.evaluate(() => {
        const w = window as unknown as { ticks: number[]; shownAt: number };
        return { ticks: w.ticks, shownAt: w.shownAt };
      });
      const waited = [started, ...ticks.filter((t) => t > started && t < shownAt)];
      const longest = Math.max(...waited.slice(1).map((t, i) => t - waited[i]!));
      console.log(`150 MB HAR in the history page: ${Math.round(shownAt - started)} ms to the report, ${waited.length - 1} heartbeats meanwhile, longest gap ${Math.round(longest)} ms`);
      // A second or so of reading, parsing and judging (20 beats at least), while the page's thread kept beating:
      // the work is not on it. Parsing 150 MB of JSON on it alone would stop it for more than a second.
      expect(waited.length).toBeGreaterThan(20);
      expect(longest).toBeLessThan(1_000);
      expect(await page.$$eval('[data-page]', (p) => p.length)).toBeGreaterThan(10);
      await page.close();
    });
  });
});
