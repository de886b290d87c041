import * as z from 'zod/mini';
import { LANGUAGES, provideMessages, type Language, type MessageLookup } from './index';

type WebExtension = typeof import('wxt/browser').browser;

/** A locale file as read: an object of entries, each checked when it is first looked up. */
const LocaleFile = z.lazy(() => z.record(z.string(), z.unknown()));
/** One entry of a locale file, as `_locales/<language>/messages.json` holds it. */
const MessageEntry = z.lazy(() => z.object({ message: z.string() }));

/**
 * Both languages' strings, read from the extension's own `_locales` files (the manifest's), for the
 * background and the pages. A file that cannot be read or parsed leaves its language to English, and
 * English to the message keys: the badge's title is worse, but no request goes unobserved for it.
 */
export async function providePackagedMessages(browser: WebExtension): Promise<void> {
  const read = async (language: Language): Promise<[Language, MessageLookup] | null> => {
    try {
      const response = await fetch(browser.runtime.getURL(`/_locales/${language}/messages.json`));
      const parsed = LocaleFile.safeParse(await response.json());
      if (parsed.success) return [language, checkedOnLookup(language, parsed.data)];
      console.error(`privacy-lens: the ${language} strings do not parse`, parsed.error.issues[0]);
    } catch (error) {
      console.error(`privacy-lens: the ${language} strings could not be read`, error);
    }
    return null;
  };
  const files = await Promise.all(LANGUAGES.map(read));
  provideMessages(Object.fromEntries(files.filter((entry) => entry !== null)));
}

/**
 * The browser's own strings, when the locale file it chose for the manifest is `language`'s (each file
 * names its language under `localeLanguage`): they are in the page already, and `i18n.getMessage` reads
 * them at once, where reading a packaged file is a fetch through the browser of 8 to 30 ms, measured in
 * the popup (BENCHMARKS.md). False when the browser chose the other file (a language given with ?lang=,
 * or a browser in neither language, which the browser gives Dutch, the default locale, and we English).
 */
export function provideBrowserMessages(browser: WebExtension, language: Language): boolean {
  if (browser.i18n.getMessage('localeLanguage') !== language) return false;
  // getMessage is typed against the manifest's keys; a lookup asks by any key, and an unknown one reads ''.
  provideMessages({ [language]: (key: string) => browser.i18n.getMessage(key as 'localeLanguage') || undefined });
  return true;
}

/**
 * A file's strings, each entry checked the first time it is looked up. A woken worker looks up two or
 * three of some 440 entries per language, and checking them all at start-up was one of its largest
 * costs before its first event (BENCHMARKS.md). A bad entry falls back to English, and says so, on its
 * own.
 */
function checkedOnLookup(language: Language, file: Record<string, unknown>): MessageLookup {
  const checked = new Map<string, string | undefined>();
  return (key) => {
    if (checked.has(key)) return checked.get(key);
    let template: string | undefined;
    if (Object.hasOwn(file, key)) {
      const entry = MessageEntry.safeParse(file[key]);
      if (entry.success) template = entry.data.message;
      else console.error(`privacy-lens: the ${language} string "${key}" does not parse`, entry.error.issues[0]);
    }
    checked.set(key, template);
    return template;
  };
}
