import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../lib/scan/chromium';
import { CONSENT_SCENARIOS, CONSENT_SELECTORS } from '../fixtures/shop/consent-scenarios';
import { audit, readable, type Problem } from './axe';
import { SCREENSHOTS, ageRequests, waitForDownload, wholeJson, openPopup, visit, withShopAndExtension } from './helpers';

type Scheme = 'light' | 'dark';
const LANGUAGES = ['nl', 'en'] as const;
const SCHEMES: Scheme[] = ['light', 'dark'];

/** What the element in focus is, for the printed order: its tag, id or data attribute, and text. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return null;
    const style = getComputedStyle(e);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none';
    const name = e.id ? `#${e.id}` : e.dataset.requestType ? `[data-request-type=${e.dataset.requestType}]` : e instanceof HTMLInputElement ? `[type=${e.type}]` : '';
    const labelled = (e as HTMLInputElement).labels?.[0]?.innerText;
    const label = (e.getAttribute('aria-label') ?? labelled ?? e.innerText ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    // The same element object across calls: tag each one to tell a repeat from a twin.
    const key = e.dataset.a11yKey ?? (e.dataset.a11yKey = String(Math.random()));
    return { key, description: `${e.tagName.toLowerCase()}${name} "${label}"`, visible: outline || shadow };
  });
}

/** Every element Tab should reach, in document order (no positive tabindex anywhere). */
function tabStops(page: Page) {
  return page.evaluate(() => {
    const candidates = document.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), select, textarea, summary, [tabindex]');
    const seenRadioGroups = new Set<string>();
    return [...candidates]
      .filter((e) => e.tabIndex >= 0 && e.offsetParent !== null)
      .filter((e) => {
        // A radio group is one tab stop (arrow keys move within it).
        if (e instanceof HTMLInputElement && e.type === 'radio') {
          if (seenRadioGroups.has(e.name)) return false;
          seenRadioGroups.add(e.name);
        }
        return true;
      })
      .map((e) => (e.dataset.a11yKey ??= String(Math.random())));
  });
}

describe('accessibility in Chromium', () => {
  let ext: ExtensionBrowser;
  let downloads: string;
  const shopTabs: Record<'eager' | 'metaIgnoresRefusal' | 'notShop', number> = { eager: 0, metaIgnoresRefusal: 0, notShop: 0 };

  withShopAndExtension((_shop, startedExt) => (ext = startedExt));

  beforeAll(async () => {
    downloads = await mkdtemp(join(tmpdir(), 'privacy-lens-a11y-'));
    // Tabs stay open: the popup shows a live tab. The eager home page fires trackers before any
    // choice; on the Meta scenario the pixel fires after "decline all".
    shopTabs.eager = (await visit(ext, '/')).tabId;
    const meta = await visit(ext, CONSENT_SCENARIOS.metaIgnoresRefusal);
    await meta.page.bringToFront();
    await meta.page.click(CONSENT_SELECTORS.DECLINE_ALL);
    await meta.page.waitForNetworkIdle({ idleTime: 500 });
    await ext.settle(meta.page);
    shopTabs.metaIgnoresRefusal = meta.tabId;
    shopTabs.notShop = (await visit(ext, '/', 'www.example.org')).tabId;
  });

  async function newTabTo(predicate: (url: string) => boolean): Promise<Page> {
    const target = await ext.browser.waitForTarget((t) => t.type() === 'page' && predicate(t.url()), { timeout: 15_000 });
    return (await target.page())!;
  }

  /**
   * Presses Tab until focus comes round again, checking at each step that the focus can be seen.
   * Returns the printed order and, per stop, its key; `until` stops early on a matching element.
   */
  async function tabThrough(page: Page, until?: string) {
    const order: { key: string; description: string }[] = [];
    const invisible: string[] = [];
    for (let step = 0; step < 80; step++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      if (!now || now.key === order[0]?.key) break;
      order.push(now);
      if (!now.visible) invisible.push(now.description);
      if (until && (await page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, until))) break;
    }
    return { order, invisible };
  }

  it('reaches every control of the popup with Tab, in order, with visible focus, and files a request with Enter', async () => {
    const popup = await openPopup(ext, shopTabs.metaIgnoresRefusal, 'nl');
    await popup.waitForSelector('[data-request-type="access"]');
    await popup.bringToFront();

    const round = await tabThrough(popup);
    console.log(`popup focus order (nl):\n${round.order.map((s, i) => `  ${i + 1}. ${s.description}`).join('\n')}`);
    expect(round.invisible, 'controls whose focus cannot be seen').toEqual([]);
    expect(round.order.map((s) => s.key)).toEqual(await tabStops(popup));
    expect(round.order.map((s) => s.description)).toContainEqual(expect.stringContaining('[data-request-type=access]'));

    // From the top again, by keyboard only, to "Inzage", and Enter on it.
    await popup.reload();
    await popup.waitForSelector('[data-request-type="access"]');
    await popup.bringToFront();
    const toAccess = await tabThrough(popup, '[data-request-type="access"]');
    expect(toAccess.order.at(-1)?.description).toContain('Inzage');
    await popup.keyboard.press('Enter');
    const composer = await newTabTo((url) => url.includes('/request.html?type=access&lang=nl'));
    await composer.waitForSelector('#letter-body');
    await composer.close();
    await popup.close();
  });

  it('fills in the composer and records the request with the keyboard alone', async () => {
    const composer = await ext.browser.newPage();
    await composer.goto(`chrome-extension://${ext.extensionId}/request.html?type=access&lang=nl`);
    await composer.waitForSelector('#letter-body');
    await composer.bringToFront();
    const order: string[] = [];
    const typed = { '#field-name': 'Sanne de Vries', '#field-email': 'sanne@voorbeeld.nl' } as Record<string, string>;
    for (let step = 0; step < 40; step++) {
      await composer.keyboard.press('Tab');
      const now = await focused(composer);
      expect(now, `focus left the page after ${order.join(' → ')}`).not.toBeNull();
      expect(now!.visible, `focus cannot be seen on ${now!.description}`).toBe(true);
      order.push(now!.description);
      const id = await composer.evaluate(() => `#${document.activeElement?.id}`);
      if (typed[id]) await composer.keyboard.type(typed[id]);
      // Remembered details let the request list write follow-up letters (audited below).
      if (id === '#remember-details') await composer.keyboard.press('Space');
      if (id === '#confirm-sent') break;
    }
    console.log(`composer focus order (nl):\n${order.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}`);
    expect(order.findIndex((s) => s.startsWith('input#field-name'))).toBeLessThan(order.findIndex((s) => s.startsWith('input#field-email')));
    expect(order.at(-1)).toContain('#confirm-sent');
    await composer.keyboard.press('Space');
    expect(await composer.$eval('#remember-details', (e) => (e as HTMLInputElement).checked)).toBe(true);
    await composer.waitForFunction(() => document.querySelector('.composer__notice')?.textContent?.includes('Vastgelegd'), { timeout: 10_000 });
    await composer.close();
  });

  it('keeps its pages within their content security policy: none tries to compile code from a string', async () => {
    // zod tried `new Function` once on each page (refused: the manifest allows no eval) until
    // lib/parse/jitless.ts told it not to. The try is counted the moment it is made, by a stand-in for
    // the page's `Function`; the refusal's event would come later, in a task of its own.
    const base = `chrome-extension://${ext.extensionId}`;
    for (const [path, ready] of [
      [`popup.html?tabId=${shopTabs.metaIgnoresRefusal}`, '[data-view]'],
      ['request.html?type=access', '#letter-body'],
      ['options.html#history', '[data-visit]'],
    ] as const) {
      const page = await ext.browser.newPage();
      await page.evaluateOnNewDocument(() => {
        const seen: { compiled: number; refused: string[] } = { compiled: 0, refused: [] };
        (globalThis as { csp?: object }).csp = seen;
        globalThis.Function = new Proxy(Function, {
          construct: (target, args, newTarget) => (seen.compiled++, Reflect.construct(target, args, newTarget)),
          apply: (target, self, args) => (seen.compiled++, Reflect.apply(target, self, args)),
        });
        document.addEventListener('securitypolicyviolation', (e) => seen.refused.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      await page.goto(`${base}/${path}`);
      await page.waitForSelector(ready);
      expect(await page.evaluate(() => (globalThis as { csp?: object }).csp), path).toEqual({ compiled: 0, refused: [] });
      await page.close();
    }
  });

  it('has no axe violations on any page, in Dutch and English, light and dark', async () => {
    const problems: Problem[] = [];
    const base = `chrome-extension://${ext.extensionId}`;

    /** Audits what `page` shows now in both colour schemes; the CSS follows the media feature live. */
    async function bothSchemes(page: Page, where: string) {
      for (const scheme of SCHEMES) {
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        problems.push(...(await audit(page, `${where} ${scheme}`)));
      }
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    }

    async function open(url: string, ready: string, viewport = { width: 1100, height: 900 }) {
      const page = await ext.browser.newPage();
      await page.setViewport(viewport);
      await page.goto(url);
      await page.waitForSelector(ready);
      await page.bringToFront();
      return page;
    }

    let report: string | undefined;
    for (const language of LANGUAGES) {
      for (const [state, tabId] of Object.entries(shopTabs)) {
        const popup = await openPopup(ext, tabId, language);
        await popup.waitForSelector('[data-view]');
        // What the policy says is folded away: unfold it, or axe skips its contrast.
        await popup.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        await bothSchemes(popup, `popup ${state} ${language}`);
        if (state === 'metaIgnoresRefusal') await darkScreenshot(popup, `a11y-popup-dark-${language}.png`);
        await popup.close();
      }

      const composer = await open(`${base}/request.html?type=access&lang=${language}`, '#letter-body');
      await bothSchemes(composer, `composer ${language}`);
      await darkScreenshot(composer, `a11y-composer-dark-${language}.png`);
      await composer.close();

      const options = await open(`${base}/options.html?lang=${language}#history`, '[data-visit]');
      const cdp = await options.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      await bothSchemes(options, `history ${language}`);
      await darkScreenshot(options, `a11y-history-dark-${language}.png`);
      if (!report) report = await exportReport(options);
      await options.evaluate(() => document.querySelector<HTMLElement>('[data-visit]')!.click());
      await options.waitForSelector('.pageview');
      // Findings are said in the page's language, not in the log's English sentences.
      const findings = await options.$$eval('.pageview [data-finding]', (els) => els.map((e) => e.textContent ?? ''));
      expect(findings.length).toBeGreaterThan(0);
      for (const finding of findings) expect(finding).toMatch(language === 'nl' ? /kreeg/ : /received/);
      await bothSchemes(options, `visit detail ${language}`);
      await darkScreenshot(options, `a11y-visit-dark-${language}.png`);
      for (const [hash, ready] of [['requests', '[data-request]'], ['settings', '[data-stance]'], ['import', '#import-file']] as const) {
        await options.evaluate((h) => (location.hash = h), hash);
        await options.waitForSelector(ready);
        await bothSchemes(options, `${hash} ${language}`);
      }
      // The confirmation before erasing everything.
      await options.evaluate(() => (location.hash = 'settings'));
      await options.click('#erase');
      await options.waitForSelector('#erase-yes');
      await bothSchemes(options, `erase confirmation ${language}`);
      // An overdue request with its reminder letter open.
      await options.click('#erase-yes ~ button');
      await options.evaluate(() => (location.hash = 'requests'));
      await ageRequests(options, { sentDays: 40 });
      await options.reload();
      await options.waitForSelector('[data-next-step="reminder"]');
      await options.click('[data-next-step="reminder"]');
      await options.waitForSelector('[data-followup="reminder"]');
      await bothSchemes(options, `overdue request ${language}`);
      await ageRequests(options, { sentDays: -40 });
      await options.evaluate(() => (location.hash = 'import'));
      await options.waitForSelector('#import-file');
      const input = (await options.$('#import-file')) as ElementHandle<HTMLInputElement>;
      await input.uploadFile(report);
      await options.waitForSelector('#imported-report');
      await bothSchemes(options, `imported report ${language}`);
      await options.close();

      const bundle = await open(`${base}/bundle.html?tabId=${shopTabs.metaIgnoresRefusal}&lang=${language}`, '#bundle-preview');
      await bothSchemes(bundle, `support bundle ${language}`);
      await bundle.close();
    }
    expect(problems, `axe found:\n${readable(problems)}`).toEqual([]);
  });

  async function darkScreenshot(page: Page, name: string) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await page.screenshot({ path: resolve(SCREENSHOTS, name), fullPage: true });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  }

  /** The history as a report file, through the page's own export button, for the import view. */
  async function exportReport(page: Page): Promise<string> {
    await page.evaluate(() => document.querySelector<HTMLElement>('#export-json')!.click());
    return (await waitForDownload(downloads, '.json', wholeJson)).path;
  }
});
