import type { Finding } from '@/lib/consent/judge';
import type { PersonalDataHit } from '@/lib/consent/personal-data';
import { getEntry } from '@/lib/catalog';
import type { MessageKey } from '@/lib/i18n';
import { useTranslator } from './i18n';
import { CATEGORY_KEYS, SOURCE_KEYS } from './verdicts';

const PERSONAL_DATA_KEYS: Record<PersonalDataHit['kind'], MessageKey> = {
  email: 'pd_email',
  'hashed-email': 'pd_hashedEmail',
  phone: 'pd_phone',
  'hashed-phone': 'pd_hashedPhone',
};

/** Findings that the tracker rows do not show on their own: Consent Mode, personal data, your stance. */
export function Findings({ findings }: { findings: Finding[] }) {
  const { t, formatTime } = useTranslator();
  if (findings.length === 0) return null;
  return (
    <section class="findings" aria-labelledby="findings-heading">
      <h2 id="findings-heading">{t('findingsHeading')}</h2>
      <ul>
        {findings.map((finding) => (
          <li key={`${finding.kind}-${finding.trackerId ?? finding.category ?? ''}-${finding.cookie ?? ''}`} class="finding" data-finding={finding.kind} data-tracker={finding.trackerId}>
            <span aria-hidden="true">⚠ </span>
            {describeFinding(finding, t, formatTime)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A finding in the reader's language, from its facts rather than its English `detail`. */
export function describeFinding(finding: Finding, t: (key: MessageKey, values?: Record<string, string | number>) => string, formatTime: (at: number) => string): string {
  const product = finding.trackerId ? getEntry(finding.trackerId).product : '';
  switch (finding.kind) {
    case 'consent-signal-conflict': {
      const conflict = finding.conflict;
      if (!conflict) return finding.detail;
      return t(conflict.direction === 'granted' ? 'finding_signalConflict_granted' : 'finding_signalConflict_denied', {
        category: finding.category ? t(CATEGORY_KEYS[finding.category]).toLowerCase() : '',
        recordSource: t(SOURCE_KEYS[conflict.record.source]),
        recordTime: formatTime(conflict.record.at),
        signalSource: t(SOURCE_KEYS[conflict.signal.source]),
        signalTime: formatTime(conflict.signal.at),
      });
    }
    case 'consent-mode-mismatch':
      return t('finding_consentModeMismatch', { product, cookie: finding.cookie ?? '' });
    case 'personal-data':
      return t('finding_personalData', { product, what: (finding.personalData ?? []).map((hit) => t(PERSONAL_DATA_KEYS[hit.kind], { where: hit.where })).join(', ') });
    case 'stance-mismatch': {
      const category = finding.category ? t(CATEGORY_KEYS[finding.category]).toLowerCase() : '';
      return t(finding.bannerGranted ? 'finding_stanceMismatch_granted' : 'finding_stanceMismatch_denied', { category });
    }
    case 'before-choice':
      return t('finding_beforeChoice', { product });
    case 'against-choice': {
      const category = finding.trackerId ? t(CATEGORY_KEYS[getEntry(finding.trackerId).category]).toLowerCase() : '';
      return t('finding_againstChoice', { product, category });
    }
    case 'unlisted-third-party':
      return t('finding_unlisted', { host: finding.host ?? '' });
  }
}
