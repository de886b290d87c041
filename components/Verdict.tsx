import type { EntryView } from '@/lib/view/tab-summary';
import { Chip } from './Chip';
import { useTranslator } from './i18n';
import type { Verdict } from '@/lib/consent/judge';
import type { MessageKey } from '@/lib/i18n';
import { CATEGORY_KEYS, SOURCE_KEYS, VERDICT_KEYS } from './verdicts';

/** The reasons that name the cookie whose write decided the verdict. */
const COOKIE_REASON_KEYS: Partial<Record<Verdict, MessageKey>> = {
  'before-choice': 'reason_beforeChoiceCookie',
  'against-choice': 'reason_againstChoiceCookie',
  unknown: 'reason_unknownCookie',
};

/** The verdict of one tracker on the page, in words and colour, with one plain sentence of why. */
export function EntryVerdict({ entry }: { entry: EntryView }) {
  const { t, formatTime } = useTranslator();
  if (!entry.verdict) return null;
  const keys = VERDICT_KEYS[entry.verdict];
  const values = {
    category: t(CATEGORY_KEYS[entry.category]).toLowerCase(),
    source: entry.consent ? t(SOURCE_KEYS[entry.consent.source]) : '',
    time: entry.consent ? formatTime(entry.consent.at) : '',
    product: entry.product.split(' (')[0]!,
    cookie: entry.cookie?.name ?? '',
    cookieTime: entry.cookie ? formatTime(entry.cookie.at) : '',
  };
  // A cookie decided the verdict: the sentence names it and when it was written.
  const reason = (entry.cookie && COOKIE_REASON_KEYS[entry.verdict]) || keys.reason;
  return (
    <div class={`verdict verdict--${keys.tone}`} data-verdict={entry.verdict}>
      {/* "Necessary" is already the category chip's word: no second chip saying the same. */}
      {entry.verdict !== 'necessary' && <Chip tone={`verdict-${keys.tone}`}>{t(keys.label)}</Chip>}
      <p class="verdict__reason" data-cookie-evidence={entry.cookie && reason !== keys.reason ? entry.cookie.name : undefined}>
        {t(reason, values)}
        {entry.cookie?.by === 'server' && reason !== keys.reason && <> {t('cookieByServer')}</>}
      </p>
      {entry.brokenPromise && (
        <p class="verdict__promise">
          {t('policyPromise')} <q lang="nl">{entry.brokenPromise}</q>
        </p>
      )}
    </div>
  );
}
