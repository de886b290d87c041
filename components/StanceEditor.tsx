import { useState } from 'preact/hooks';
import type { Stance, StanceChoice } from '@/lib/consent/stance';
import type { MessageKey } from '@/lib/i18n';
import { useTranslator } from './i18n';
import { CATEGORY_KEYS } from './verdicts';

const CATEGORIES = ['functional', 'statistics', 'marketing'] as const;
const CHOICES: [StanceChoice, MessageKey][] = [
  ['allow', 'stanceAllow'],
  ['refuse', 'stanceRefuse'],
  ['unset', 'stanceUnset'],
];

/** The user's own stance per optional category: one radio group each, saved on every change. */
export function StanceEditor({ stance, onSave }: { stance: Stance; onSave(next: Stance): Promise<void> }) {
  const { t } = useTranslator();
  const [saved, setSaved] = useState(false);
  const choose = (category: (typeof CATEGORIES)[number], choice: StanceChoice) => {
    setSaved(false);
    void onSave({ ...stance, [category]: choice }).then(() => setSaved(true));
  };
  return (
    <section class="stance" aria-labelledby="stance-heading">
      <h2 id="stance-heading">{t('stanceHeading')}</h2>
      <p class="explain">{t('stanceExplain')}</p>
      {CATEGORIES.map((category) => (
        <fieldset key={category} class="stance__group" data-stance={category}>
          <legend>{t(CATEGORY_KEYS[category])}</legend>
          <p class="explain">{t(`stanceCategoryHelp_${category}`)}</p>
          <div class="stance__choices">
            {CHOICES.map(([choice, label]) => (
              <label key={choice}>
                <input type="radio" name={`stance-${category}`} value={choice} checked={stance[category] === choice} onChange={() => choose(category, choice)} />
                {t(label)}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <p class="stance__saved" role="status" aria-live="polite">
        {saved ? t('stanceSaved') : ''}
      </p>
    </section>
  );
}
