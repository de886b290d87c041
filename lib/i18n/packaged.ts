import { LANGUAGES, messageFileSchema, provideMessages, type MessageFile } from './index';

type WebExtension = typeof import('wxt/browser').browser;

/**
 * The background's strings, read from the extension's own `_locales` files (the manifest's). A file
 * that cannot be read or parsed leaves its language to English, and English to the message keys: the
 * badge's title is worse, but no request goes unobserved for it.
 */
export async function providePackagedMessages(browser: WebExtension): Promise<void> {
  const read = async (language: (typeof LANGUAGES)[number]): Promise<[string, MessageFile] | null> => {
    try {
      const response = await fetch(browser.runtime.getURL(`/_locales/${language}/messages.json`));
      const parsed = messageFileSchema.safeParse(await response.json());
      if (parsed.success) return [language, parsed.data];
      console.error(`privacy-lens: the ${language} strings do not parse`, parsed.error.issues[0]);
    } catch (error) {
      console.error(`privacy-lens: the ${language} strings could not be read`, error);
    }
    return null;
  };
  const files = await Promise.all(LANGUAGES.map(read));
  provideMessages(Object.fromEntries(files.filter((entry) => entry !== null)));
}
