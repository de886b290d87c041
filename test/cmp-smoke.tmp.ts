/**
 * Throwaway smoke check of the CMP pages in Chromium with the built extension. Not a test: prints
 * what it sees, exits 1 on a failed check.
 */
import type { Page } from 'puppeteer';
import { launchWithExtension } from '../lib/scan/chromium';
import { answerBanners } from '../lib/scan/autoconsent';
import { readPlatformCookies } from '../lib/consent/platforms/cookies';
import { PLATFORM_SIGNATURES } from '../lib/consent/platforms/signatures';
import { audit, readable } from './e2e/axe';
import { CMP_SCENARIOS, CMP_SHOP_ROUTES, CMP_STORAGE, type CmpScenario } from './fixtures/shop/cmps';

// The wiring pages.ts will do: CMP_SHOP_ROUTES spread into SHOP_SITE, before server.ts builds its map.
const pages = await import('./fixtures/shop/pages');
Object.assign(pages.SHOP_SITE, CMP_SHOP_ROUTES);
const { startFixtureShop } = await import('./fixtures/shop/server');

const only = process.argv[2];
const shop = await startFixtureShop();
const ext = await launchWithExtension({ hostRules: [`MAP * 127.0.0.1:${shop.port}`], insecure: true });
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
  console.log(`  ${ok ? 'ok ' : 'FAIL'} ${what}`);
};

async function fresh(page: Page) {
  const cdp = await page.createCDPSession();
  await cdp.send('Network.clearBrowserCookies');
  for (const origin of ['https://www.mijnliefsteboek.nl', 'https://mijnliefsteboek.nl']) {
    await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
  }
  await cdp.detach();
}

async function storage(page: Page, scenario: CmpScenario) {
  const cookies = Object.fromEntries((await page.cookies()).map((c) => [c.name, c]));
  const local = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
  const spec = CMP_STORAGE[scenario.platform] as { cookies?: readonly string[]; localStorage?: readonly string[] };
  return { cookies, local, spec };
}

const visible = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const e = document.querySelector<HTMLElement>(s);
    if (!e) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
  }, selector);

const since = (from: number) => shop.requests.slice(from).map((r) => `${r.host}${r.path}`);
const gcsOf = (urls: string[]) => urls.filter((u) => u.startsWith('region1.google-analytics.com/g/collect')).map((u) => new URL(`https://${u}`).searchParams.get('gcs'));

async function answer(scenario: CmpScenario, which: 'accept' | 'reject') {
  const page = await ext.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await fresh(page);
  shop.clearRequests();
  const url = `https://www.mijnliefsteboek.nl${scenario.path}`;
  await page.goto(url, { waitUntil: 'networkidle0', timeout: 20_000 });
  const signature = PLATFORM_SIGNATURES.find((s) => s.platform === scenario.platform);
  const root = signature ? signature.selectors.join(',') : '#mlb-banner';
  check(await visible(page, `#mlb-cmp-${which}`), `${scenario.path} ${which}: button visible`);
  check((await page.$(root)) !== null, `${scenario.path}: banner root ${root}`);
  const before = shop.requests.length;
  const onLoad = since(0);
  check(!onLoad.some((u) => u.startsWith('connect.facebook.net')), `${scenario.path}: no Meta before a choice`);
  await page.click(`#mlb-cmp-${which}`);
  await new Promise((r) => setTimeout(r, 300));
  await page.waitForNetworkIdle({ idleTime: 500, timeout: 10_000 });
  const after = since(before);
  const { cookies, local, spec } = await storage(page, scenario);
  for (const name of spec.cookies ?? []) {
    const c = cookies[name];
    check(!!c && c.domain === '.mijnliefsteboek.nl' && c.path === '/' && c.sameSite === 'Lax' && c.expires > Date.now() / 1000 + 86_400 * 100, `${scenario.path} ${which}: cookie ${name} (${c ? `${c.domain} ${c.sameSite} ${Math.round((c.expires - Date.now() / 1000) / 86_400)}d` : 'missing'})`);
  }
  for (const key of spec.localStorage ?? []) check(key in local, `${scenario.path} ${which}: localStorage ${key}`);
  const record = readPlatformCookies(new Map(Object.values(cookies).map((c) => [c.name, c.value])));
  if (scenario.platform === 'usercentrics' || scenario.platform === 'consent-mode-only') check(record === null, `${scenario.path}: no cookie record (${JSON.stringify(record)})`);
  else {
    const want = which === 'accept' ? 'granted' : 'denied';
    check(!!record && record.source === scenario.platform && record[want].includes('marketing'), `${scenario.path} ${which}: extension reads ${JSON.stringify(record)}`);
  }
  check(!(await visible(page, `#mlb-cmp-${which}`)), `${scenario.path} ${which}: banner hidden`);
  if (scenario.variant === 'careful') {
    await ext.settle(page);
    const state = await ext.tabState(await ext.tabIdOf(page));
    const last = state?.consent.at(-1);
    console.log(`  extension: banner ${JSON.stringify(state?.banner && { cmp: state.banner.cmp, showing: state.banner.showing })}, consent ${last ? `${last.source} granted ${last.granted} denied ${last.denied}` : 'none'}`);
  }
  const meta = after.some((u) => u.startsWith('connect.facebook.net/nl_NL/fbevents.js'));
  const wantMeta = which === 'accept' || scenario.variant === 'meta-ignores-refusal';
  check(meta === wantMeta, `${scenario.path} ${which}: Meta ${meta ? 'loaded' : 'not loaded'}`);
  const gcs = gcsOf(after);
  const wantGranted = which === 'accept' || scenario.variant === 'conflict';
  check(wantGranted ? gcs.includes('G111') : !gcs.includes('G111'), `${scenario.path} ${which}: GA gcs after the choice ${JSON.stringify(gcs)}`);
  // A later page load: no banner, the stored choice applied again.
  const reload = shop.requests.length;
  await page.goto(url, { waitUntil: 'networkidle0', timeout: 20_000 });
  check(!(await visible(page, `#mlb-cmp-${which}`)), `${scenario.path} ${which}: no banner on the next load`);
  const again = since(reload);
  check(again.some((u) => u.startsWith('connect.facebook.net/nl_NL/fbevents.js')) === wantMeta, `${scenario.path} ${which}: Meta on the next load as after the choice`);
  const gcsAgain = gcsOf(again);
  check(gcsAgain.length > 0 && (wantGranted ? gcsAgain.at(-1) === 'G111' : !gcsAgain.includes('G111')), `${scenario.path} ${which}: GA gcs on the next load ${JSON.stringify(gcsAgain)}`);
  check(errors.length === 0, `${scenario.path} ${which}: no page errors ${errors.join(' | ')}`);
  check(shop.unexpected.length === 0, `${scenario.path} ${which}: nothing unexpected ${shop.unexpected.map((r) => r.host + r.path).join(' ')}`);
  await page.close();
}

async function autoconsent(scenario: CmpScenario, mode: 'reject-all' | 'accept-all') {
  const page = await ext.browser.newPage();
  await fresh(page);
  const session = await answerBanners(page, mode);
  await page.goto(`https://www.mijnliefsteboek.nl${scenario.path}`, { waitUntil: 'networkidle0', timeout: 20_000 });
  const outcome = await session.done(15_000);
  await new Promise((r) => setTimeout(r, 500));
  const { cookies } = await storage(page, scenario);
  const record = readPlatformCookies(new Map(Object.values(cookies).map((c) => [c.name, c.value])));
  const detail = scenario.platform === 'usercentrics' ? await page.evaluate(() => localStorage.getItem('ucData')) : JSON.stringify(record);
  console.log(`  autoconsent ${mode} on ${scenario.path}: ${outcome}; ${detail}`);
  await page.close();
  return outcome;
}

async function accessibility(scenario: CmpScenario) {
  const page = await ext.browser.newPage();
  await fresh(page);
  await page.goto(`https://www.mijnliefsteboek.nl${scenario.path}`, { waitUntil: 'networkidle0', timeout: 20_000 });
  const problems = (await audit(page, scenario.path)).filter((p) => !baseline.has(`${p.rule} ${p.target}`));
  check(problems.length === 0, `${scenario.path}: axe ${problems.length ? `\n${readable(problems)}` : 'clean'}`);
  await page.screenshot({ path: `/tmp/cmp-${scenario.platform}.png` });
  await page.close();
}

// What the shop's layout itself has, on a page without any banner (pages.ts, not the CMP pages).
const baseline = new Set<string>();
{
  const page = await ext.browser.newPage();
  await page.goto('https://www.mijnliefsteboek.nl/test/aws', { waitUntil: 'networkidle0' });
  const problems = await audit(page, '/test/aws');
  for (const p of problems) baseline.add(`${p.rule} ${p.target}`);
  console.log(`axe on the layout alone (/test/aws), left out below:\n${readable(problems)}`);
  await page.close();
}

try {
  const autoconsentResults: Record<string, string> = {};
  for (const scenario of CMP_SCENARIOS) {
    if (only && !scenario.path.includes(only)) continue;
    console.log(scenario.path);
    await answer(scenario, 'reject');
    await answer(scenario, 'accept');
    if (scenario.variant === 'careful') {
      await accessibility(scenario);
      autoconsentResults[`${scenario.platform} optOut`] = await autoconsent(scenario, 'reject-all');
      autoconsentResults[`${scenario.platform} optIn`] = await autoconsent(scenario, 'accept-all');
    }
  }
  console.log(autoconsentResults);
} finally {
  await ext.close();
  await shop.close();
}
console.log(failures.length ? `${failures.length} FAILED:\n${failures.join('\n')}` : 'all checks passed');
process.exit(failures.length ? 1 : 0);
