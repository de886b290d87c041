import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createTranslator, provideMessages } from '../../../lib/i18n';
import { provideBundledMessages } from '../../../lib/i18n/bundled';
import { providePackagedMessages } from '../../../lib/i18n/packaged';
import { setUpPage } from '../../../lib/i18n/page';

type Browser = Parameters<typeof providePackagedMessages>[0];
const browserAt = (base: string) => ({ runtime: { getURL: (path: string) => `${base}${path}` } }) as unknown as Browser;

/** `fetch` answering from the repository's own `_locales`, or with `broken` for the files it names. */
function serveLocales(broken: Record<string, string> = {}) {
  vi.stubGlobal('fetch', async (url: string) => {
    const path = new URL(url).pathname;
    const body = broken[path] ?? (await readFile(`public${path}`, 'utf8'));
    return new Response(body, { headers: { 'content-type': 'application/json' } });
  });
}

describe('the background reads its strings from the packaged locale files', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    provideBundledMessages();
  });

  it('translates with the files it read, the same words the pages carry in their bundle', async () => {
    const dutch = createTranslator('nl');
    const bundled = dutch.plural('badgeTitleActive', 3);
    provideMessages({ nl: {}, en: {} });
    expect(dutch.t('actionTitle')).toBe('actionTitle');
    serveLocales();
    await providePackagedMessages(browserAt('chrome-extension://abc'));
    // A translator made before the files arrived speaks once they have.
    expect(dutch.plural('badgeTitleActive', 3)).toBe(bundled);
    expect(createTranslator('en').t('actionTitle')).not.toBe('actionTitle');
  });

  it('falls back to English for a file that does not parse, and says why', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    provideMessages({ nl: {}, en: {} });
    serveLocales({ '/_locales/nl/messages.json': '["geen", "bestand"]' });
    await providePackagedMessages(browserAt('chrome-extension://abc'));
    expect(createTranslator('nl').t('actionTitle')).toBe(createTranslator('en').t('actionTitle'));
    expect(createTranslator('en').t('actionTitle')).not.toBe('actionTitle');
    expect(error).toHaveBeenCalledWith(expect.stringContaining('the nl strings do not parse'), expect.anything());
  });

  it('falls back to English for an entry that does not parse, and only for that entry', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const dutchFile = JSON.parse(await readFile('public/_locales/nl/messages.json', 'utf8')) as Record<string, unknown>;
    serveLocales({ '/_locales/nl/messages.json': JSON.stringify({ ...dutchFile, actionTitle: { text: 'geen message' } }) });
    await providePackagedMessages(browserAt('chrome-extension://abc'));
    const dutch = createTranslator('nl');
    const english = createTranslator('en');
    expect(dutch.t('actionTitle')).toBe(english.t('actionTitle'));
    expect(english.t('actionTitle')).not.toBe('actionTitle');
    expect(dutch.t('extName')).toBe((dutchFile.extName as { message: string }).message);
    expect(dutch.t('extName')).not.toBe(english.t('extName'));
    // Said once, however often the entry is looked up.
    dutch.t('actionTitle');
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('the nl string "actionTitle" does not parse'), expect.anything());
  });
});

describe('a page takes its strings from the browser when it can, and from the packaged files otherwise', () => {
  let fetched: string[] = [];
  beforeEach(async () => {
    provideMessages({ nl: {}, en: {} });
    fetched = [];
    serveLocales();
    const serve = globalThis.fetch;
    vi.stubGlobal('fetch', (url: string) => (fetched.push(new URL(url).pathname), serve(url)));
    vi.stubGlobal('document', { documentElement: {}, title: '' });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    provideBundledMessages();
  });

  /** A browser in Dutch, whose copy of the strings is the Dutch file (the one it chose for the manifest). */
  async function dutchBrowser(search: string) {
    vi.stubGlobal('location', { search });
    const dutchFile = JSON.parse(await readFile('public/_locales/nl/messages.json', 'utf8')) as Record<string, { message: string }>;
    return {
      dutchFile,
      browser: {
        runtime: { getURL: (path: string) => `chrome-extension://abc${path}` },
        i18n: { getUILanguage: () => 'nl-NL', getMessage: (key: string) => dutchFile[key]?.message ?? '' },
      } as unknown as Browser,
    };
  }

  it('the popup, in the browser\'s language, reads nothing: the browser has its strings', async () => {
    const { browser, dutchFile } = await dutchBrowser('?tabId=3');
    const { translator, params } = await setUpPage(browser, 'actionTitle', 'page-language');
    expect(fetched).toEqual([]);
    expect(translator.language).toBe('nl');
    expect(translator.t('actionTitle')).toBe(dutchFile.actionTitle!.message);
    expect(translator.plural('badgeTitleActive', 3)).toContain('3');
    expect(document.title).toBe(dutchFile.actionTitle!.message);
    expect(params.get('tabId')).toBe('3');
  });

  it('the popup in another language than the browser\'s reads that language\'s file', async () => {
    const { browser, dutchFile } = await dutchBrowser('?lang=en');
    const { translator } = await setUpPage(browser, 'actionTitle', 'page-language');
    expect(fetched.sort()).toEqual(['/_locales/en/messages.json', '/_locales/nl/messages.json']);
    expect(translator.language).toBe('en');
    expect(translator.t('actionTitle')).not.toBe(dutchFile.actionTitle!.message);
    expect(translator.t('actionTitle')).not.toBe('actionTitle');
  });

  it('a page that may write in either language reads both files', async () => {
    const { browser, dutchFile } = await dutchBrowser('');
    const { translator } = await setUpPage(browser, 'composerTitle');
    expect(fetched.sort()).toEqual(['/_locales/en/messages.json', '/_locales/nl/messages.json']);
    expect(translator.t('composerTitle')).toBe(dutchFile.composerTitle!.message);
    expect(createTranslator('en').t('composerTitle')).not.toBe('composerTitle');
    expect(createTranslator('en').t('composerTitle')).not.toBe(dutchFile.composerTitle!.message);
  });
});
