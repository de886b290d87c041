import { createTranslator, pickLanguage, type MessageKey, type Translator } from './index';
import { provideBrowserMessages, providePackagedMessages } from './packaged';

type WebExtension = typeof import('wxt/browser').browser;

/**
 * Language, strings and title for an extension page. The language is `?lang=nl|en` when given (tests,
 * a support engineer, a language chosen on the page that opened this one), the browser's otherwise.
 *
 * The strings come from the packaged `_locales` files, as the background's do, so the package carries
 * them once instead of once more in the pages' shared chunk (BENCHMARKS.md). A page that needs only its
 * own language (`strings: 'page-language'`, the popup) takes the browser's copy of its file when it
 * can; the others read both files, since a letter or a report may be written in the other language.
 */
export async function setUpPage(
  browser: WebExtension,
  titleKey: MessageKey,
  strings: 'both-languages' | 'page-language' = 'both-languages',
): Promise<{ translator: Translator; params: URLSearchParams }> {
  const params = new URLSearchParams(location.search);
  const language = pickLanguage(params.get('lang') ?? browser.i18n.getUILanguage());
  if (strings === 'both-languages' || !provideBrowserMessages(browser, language)) await providePackagedMessages(browser);
  const translator = createTranslator(language);
  document.documentElement.lang = translator.language;
  document.title = translator.t(titleKey);
  return { translator, params };
}
