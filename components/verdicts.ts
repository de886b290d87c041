// The words live in lib/i18n/words.ts, where the HTML report (lib/report/html.ts) finds them too.
export { CATEGORY_KEYS, SOURCE_KEYS, VERDICT_KEYS, consentText } from '@/lib/i18n/words';
