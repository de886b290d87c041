import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'puppeteer';

export type ConsentAnswer = 'accept-all' | 'reject-all' | 'none';

/** autoconsent finds a banner well within this; after it, a page without one is taken as having none. */
const NO_BANNER_AFTER_MS = 3_000;

const require = createRequire(import.meta.url);
// The package exports its main bundle and its rules; the Puppeteer bundle sits beside the former.
const distDir = dirname(require.resolve('@duckduckgo/autoconsent'));
let loaded: Promise<{ script: string; rules: unknown[] }> | undefined;

/**
 * The package's full rule files (rules/autoconsent/*.json). Its compact bundle is not enough here:
 * it keeps only what opting out needs, and the scan also accepts.
 */
async function loadRules(): Promise<unknown[]> {
  const dir = join(distDir, '..', 'rules', 'autoconsent');
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  return Promise.all(files.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown));
}

function load() {
  return (loaded ??= Promise.all([readFile(join(distDir, 'autoconsent.playwright.js'), 'utf8'), loadRules()]).then(([script, rules]) => ({ script, rules })));
}

export interface AutoconsentSession {
  /** Resolves with what happened: the banner answered, none found, or it did not finish in time. */
  done(timeoutMs: number): Promise<'answered' | 'no-banner' | 'timeout' | 'failed'>;
}

/**
 * Answers consent banners the way DuckDuckGo's autoconsent does, with its own rules and bridge
 * (docs/puppeteer.md in the package): the page script asks Node to evaluate rule snippets in the
 * page's main world, which is how it calls `CookieInformation.declineAllCategories()` and the like.
 * Set up before the page loads.
 */
export async function answerBanners(page: Page, answer: Exclude<ConsentAnswer, 'none'>): Promise<AutoconsentSession> {
  const { script, rules } = await load();
  let detected = false;
  let settle: (outcome: 'answered' | 'no-banner' | 'failed') => void = () => undefined;
  const outcome = new Promise<'answered' | 'no-banner' | 'failed'>((resolve) => (settle = resolve));
  const reply = (message: unknown) =>
    page.evaluate((m) => (window as unknown as { autoconsentReceiveMessage?: (m: unknown) => unknown }).autoconsentReceiveMessage?.(m), message).catch(() => undefined);
  const config = {
    enabled: true,
    autoAction: answer === 'accept-all' ? 'optIn' : 'optOut',
    disabledCmps: [],
    enablePrehide: false,
    enableCosmeticRules: false,
    enableGeneratedRules: true,
    enableHeuristicDetection: false,
    detectRetries: 20,
    isMainWorld: false,
    prehideTimeout: 2000,
    logs: { lifecycle: false, rulesteps: false, detectionsteps: false, evals: false, errors: false, messages: false, waits: false },
  };
  await page.exposeFunction('autoconsentSendMessage', async (message: { type?: string; id?: string; code?: string; result?: boolean }) => {
    switch (message?.type) {
      case 'init':
        return reply({ type: 'initResp', config, rules: { autoconsent: rules } });
      case 'eval': {
        const result = await page.evaluate(message.code ?? 'false').catch(() => false);
        return reply({ type: 'evalResp', id: message.id, result });
      }
      case 'cmpDetected':
      case 'popupFound':
        detected = true;
        return undefined;
      case 'optOutResult':
      case 'optInResult':
        return settle(message.result ? 'answered' : 'failed');
      case 'autoconsentError':
        return settle('failed');
      default:
        return undefined;
    }
  });
  await page.evaluateOnNewDocument(script);
  return {
    // A page without a banner never says so: give detection a few seconds, then stop waiting.
    done: (timeoutMs) =>
      Promise.race([
        outcome,
        new Promise<'timeout' | 'no-banner'>((resolve) => {
          const started = Date.now();
          const check = setInterval(() => {
            const waited = Date.now() - started;
            if (!detected && waited >= NO_BANNER_AFTER_MS) resolve('no-banner');
            else if (waited >= timeoutMs) resolve('timeout');
            else return;
            clearInterval(check);
          }, 100);
        }),
      ]),
  };
}
