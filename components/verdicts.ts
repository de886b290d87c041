import type { MessageKey } from '@/lib/i18n';
import type { HarLimit } from '@/lib/report/schema';

// The words live in lib/i18n/words.ts, where the HTML report (lib/report/html.ts) finds them too.
export { CATEGORY_KEYS, SOURCE_KEYS, VERDICT_KEYS, consentText } from '@/lib/i18n/words';

/** What a verdict judged from a HAR file rests on that a HAR cannot show, in words (lib/har). */
export const HAR_LIMIT_KEYS: Record<HarLimit, MessageKey> = {
  'page-world': 'harLimit_page_world',
  'consent-mode-hits': 'harLimit_consent_mode_hits',
  'script-cookie': 'harLimit_script_cookie',
};
