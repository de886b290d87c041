import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseReport, type PageReport } from '../../lib/report';
import { launchWithExtension, type ExtensionBrowser } from '../../lib/scan/chromium';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { openPopup, readPopup, visit, waitForDownload, wholeJson } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');

/** One fixture scenario: a page, how its banner is answered (by the mouse here, by autoconsent in the scan). */
interface Scenario {
  path: string;
  click: string | null;
  consent: 'none' | 'reject-all' | 'accept-all';
}

/** A scenario of every kind the extension judges: unanswered, refused, accepted, broken, relayed, cookie-only, conflicting. */
const SCENARIOS: Scenario[] = [
  { path: '/', click: null, consent: 'none' },
  { path: CONSENT_SCENARIOS.respectful, click: CONSENT_SELECTORS.DECLINE_ALL, consent: 'reject-all' },
  { path: CONSENT_SCENARIOS.respectful, click: CONSENT_SELECTORS.ACCEPT_ALL, consent: 'accept-all' },
  { path: CONSENT_SCENARIOS.metaIgnoresRefusal, click: CONSENT_SELECTORS.DECLINE_ALL, consent: 'reject-all' },
  { path: CONSENT_SCENARIOS.gaCookieWhileDenied, click: CONSENT_SELECTORS.DECLINE_ALL, consent: 'reject-all' },
  { path: '/test/server-side', click: null, consent: 'none' },
  { path: '/test/cookies-only', click: null, consent: 'none' },
  { path: '/cmp/didomi/conflict', click: '#mlb-cmp-reject', consent: 'reject-all' },
  { path: '/checkout', click: null, consent: 'none' },
];

/** What every view must agree on: each tracker's verdict, and whose record decided. */
const verdictsOf = (page: Pick<PageReport, 'trackers' | 'consent'>) => ({
  trackers: Object.fromEntries(page.trackers.map((t) => [t.id, t.verdict])),
  consent: page.consent.source,
});

function scan(args: string[]): Promise<string> {
  return new Promise((done) => {
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), ['lib/scan/cli.ts', ...args], { cwd: ROOT });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', () => done(stdout));
  });
}

/**
 * The popup, the history page's export (judged again from the log) and the scan (another browser,
 * answering the banner with autoconsent) say the same of every scenario: one pipeline, one judge.
 */
describe('the popup, the log and the scan agree', () => {
  let shop: FixtureShop;
  let ext: ExtensionBrowser;
  let downloads: string;
  const popupSaid = new Map<string, ReturnType<typeof verdictsOf>>();
  const key = (s: Scenario) => `${s.path} ${s.consent}`;

  beforeAll(async () => {
    shop = await startFixtureShop();
    ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true });
    downloads = await mkdtemp(join(tmpdir(), 'privacy-lens-agreement-'));
  });
  afterAll(async () => {
    await ext?.close();
    await shop?.close();
  });
  beforeEach(async () => {
    await ext.browser.deleteCookie(...(await ext.browser.cookies()));
  });

  for (const scenario of SCENARIOS) {
    it(`the popup on ${scenario.path}, ${scenario.consent}`, async () => {
      const { page, tabId } = await visit(ext, scenario.path);
      if (scenario.click) {
        await page.bringToFront();
        await page.waitForSelector(scenario.click, { visible: true });
        await page.click(scenario.click);
        await page.waitForNetworkIdle({ idleTime: 500 });
        await ext.settle(page);
      }
      const popup = await openPopup(ext, tabId);
      const shown = await readPopup(popup);
      popupSaid.set(key(scenario), { trackers: shown.verdicts as ReturnType<typeof verdictsOf>['trackers'], consent: (shown.consent.source ?? 'none') as ReturnType<typeof verdictsOf>['consent'] });
      await popup.close();
      await page.close();
    });
  }

  it('the history page’s export says what the popup said, page by page', async () => {
    await ext.settle();
    const history = await ext.browser.newPage();
    const cdp = await history.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await history.goto(`chrome-extension://${ext.extensionId}/options.html?lang=en#history`);
    await history.waitForSelector('[data-visit]');
    await history.click('#export-json');
    const parsed = parseReport((await waitForDownload(downloads, '.json', wholeJson)).text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // In the order the scenarios ran.
    const pages = [...parsed.report.pages].filter((p) => SCENARIOS.some((s) => p.url.endsWith(s.path))).sort((a, b) => a.visitedAt.localeCompare(b.visitedAt));
    expect(pages.map((p) => new URL(p.url).pathname)).toEqual(SCENARIOS.map((s) => s.path));
    SCENARIOS.forEach((scenario, i) => expect(verdictsOf(pages[i]!), key(scenario)).toEqual(popupSaid.get(key(scenario))));
    await history.close();
  });

  it('the scan says what the popup said, with autoconsent answering the banner', async () => {
    for (const scenario of SCENARIOS) {
      const out = await scan([`https://www.mijnliefsteboek.nl${scenario.path}`, '--map-all', `127.0.0.1:${shop.port}`, '--insecure', '--consent', scenario.consent, '--json']);
      const parsed = parseReport(out);
      expect(parsed.ok, `${key(scenario)}: ${out.slice(0, 200)}`).toBe(true);
      if (!parsed.ok) continue;
      expect(verdictsOf(parsed.report.pages[0]!), key(scenario)).toEqual(popupSaid.get(key(scenario)));
    }
  }, 300_000);
});
