import { pickLanguage, type MessageKey, type Translator } from './index';
import { createTranslator } from './bundled';

/**
 * Language and title for an extension page: `?lang=nl|en` when given (tests, a support engineer, a
 * language chosen on the page that opened this one), the browser's language otherwise.
 */
export function setUpPage(uiLanguage: string, titleKey: MessageKey): { translator: Translator; params: URLSearchParams } {
  const params = new URLSearchParams(location.search);
  const translator = createTranslator(pickLanguage(params.get('lang') ?? uiLanguage));
  document.documentElement.lang = translator.language;
  document.title = translator.t(titleKey);
  return { translator, params };
}
