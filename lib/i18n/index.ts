/**
 * The UI's strings come from the same `_locales` files the browser uses for the manifest, read by us
 * rather than only through `i18n.getMessage`, so that a page can be shown in either language (tests,
 * screenshots, a language setting) whatever the browser's own language is. How the files arrive
 * depends on who asks: the background and the pages read the packaged files (`./packaged`, `./page`),
 * which keeps their 20 kB (gzip) out of the script every cold start parses and out of the pages' chunk;
 * the popup takes the browser's copy of its language's file when it can; the scan command and the tests
 * carry them in their bundle (`./bundled`).
 */
export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type MessageKey = keyof typeof import('../../public/_locales/nl/messages.json');

/** A locale file's strings, as the bundle carries them. */
export type MessageFile = Record<string, { message: string }>;
/** A language's strings: the template of a key, or undefined where it has none. */
export type MessageLookup = (key: string) => string | undefined;
const lookups: Partial<Record<Language, MessageLookup>> = {};

/** Hands the strings of one or both languages to every translator, made before or after. */
export function provideMessages(given: Partial<Record<Language, MessageFile | MessageLookup>>): void {
  for (const language of LANGUAGES) {
    const messages = given[language];
    if (messages) lookups[language] = typeof messages === 'function' ? messages : (key) => (Object.hasOwn(messages, key) ? messages[key]!.message : undefined);
  }
}

/** Dutch for Dutch browsers (the shop's customers), English for every other language. */
export function pickLanguage(preferred: string | undefined | null): Language {
  return preferred?.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

export interface Translator {
  language: Language;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** `key_one` / `key_other` chosen by the language's plural rules. */
  plural(key: string, count: number): string;
  formatNumber(value: number): string;
  formatDateTime(at: number): string;
  formatTime(at: number): string;
  /** A calendar date (YYYY-MM-DD) written out: "28 februari 2027", "28 February 2027". */
  formatCalendarDate(date: string): string;
}

export function createTranslator(language: Language): Translator {
  const locale = language === 'nl' ? 'nl-NL' : 'en-GB';
  // Each formatter is made on first use: making them all costs the background's cold start some
  // 10 ms, and a woken worker rarely needs more than the badge's plural.
  const once = <T,>(make: () => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const rules = once(() => new Intl.PluralRules(language));
  const numbers = once(() => new Intl.NumberFormat(locale));
  const dates = once(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }));
  const times = once(() => new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }));
  const longDates = once(() => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }));

  function lookup(key: string, values?: Record<string, string | number>): string {
    // Read at each call: the background's translators exist before its files have been read.
    const template = lookups[language]?.(key) ?? lookups.en?.(key) ?? key;
    if (!values) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? formatNumber(value) : value;
    });
  }

  // Whole numbers from 0 to 999 are written alike in both languages (no grouping, no decimals), so
  // they skip Intl.NumberFormat, whose first use costs some 12 ms: the worker's first badge title on a
  // cold start, and a page's first render, mostly need only such numbers.
  function formatNumber(value: number): string {
    return Number.isInteger(value) && value >= 0 && value < 1000 && !Object.is(value, -0) ? String(value) : numbers().format(value);
  }

  return {
    language,
    t: lookup,
    plural(key, count) {
      const form = rules().select(count) === 'one' ? 'one' : 'other';
      return lookup(`${key}_${form}`, { count });
    },
    formatNumber,
    formatDateTime: (at) => dates().format(at),
    formatTime: (at) => times().format(at),
    formatCalendarDate(date) {
      const [year, month, day] = date.split('-').map(Number) as [number, number, number];
      return longDates().format(Date.UTC(year, month - 1, day));
    },
  };
}
