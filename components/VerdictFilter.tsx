import { VERDICTS, type Verdict } from '@/lib/consent/judge';
import { VERDICT_KEYS } from '@/lib/i18n/words';
import { useTranslator } from './i18n';

export type VerdictChoice = Verdict | 'violation';

/** "Verdict: all · any violation · each verdict", as the history and the DevTools panel filter by it. */
export function VerdictFilter({ id, value, onChange }: { id: string; value: VerdictChoice | undefined; onChange: (value: VerdictChoice | undefined) => void }) {
  const { t } = useTranslator();
  return (
    <label>
      {t('filterVerdict')}
      <select id={id} value={value ?? ''} onChange={(e) => onChange((e.currentTarget.value || undefined) as VerdictChoice | undefined)}>
        <option value="">{t('filterAll')}</option>
        <option value="violation">{t('filterViolations')}</option>
        {VERDICTS.map((v) => (
          <option key={v} value={v}>
            {t(VERDICT_KEYS[v].label)}
          </option>
        ))}
      </select>
    </label>
  );
}
