import type { EntryView } from '@/lib/view/tab-summary';
import { Chip } from './Chip';
import { useTranslator } from './i18n';
import { CATEGORY_KEYS, SOURCE_KEYS, VERDICT_KEYS } from './verdicts';

/** The verdict of one tracker on the page, in words and colour, with one plain sentence of why. */
export function EntryVerdict({ entry }: { entry: EntryView }) {
  const { t, formatTime } = useTranslator();
  if (!entry.verdict) return null;
  const keys = VERDICT_KEYS[entry.verdict];
  const values = {
    category: t(CATEGORY_KEYS[entry.category]).toLowerCase(),
    source: entry.consent ? t(SOURCE_KEYS[entry.consent.source]) : '',
    time: entry.consent ? formatTime(entry.consent.at) : '',
  };
  return (
    <div class={`verdict verdict--${keys.tone}`} data-verdict={entry.verdict}>
      {/* "Necessary" is already the category chip's word: no second chip saying the same. */}
      {entry.verdict !== 'necessary' && <Chip tone={`verdict-${keys.tone}`}>{t(keys.label)}</Chip>}
      <p class="verdict__reason">{t(keys.reason, values)}</p>
      {entry.brokenPromise && (
        <p class="verdict__promise">
          {t('policyPromise')} <q lang="nl">{entry.brokenPromise}</q>
        </p>
      )}
    </div>
  );
}
