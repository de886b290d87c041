import nl from '../../public/_locales/nl/messages.json';
import en from '../../public/_locales/en/messages.json';
import { createTranslator as translatorOfProvided, provideMessages, type Language, type Translator } from './index';

/** Both languages' strings carried in the bundle: for the pages, the scan command and the tests. */
export function provideBundledMessages(): void {
  provideMessages({ nl, en });
}

/** A translator for a page: its strings are in the page's own bundle, so they are there at once. */
export function createTranslator(language: Language): Translator {
  provideBundledMessages();
  return translatorOfProvided(language);
}
