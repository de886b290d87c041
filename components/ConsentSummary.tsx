import type { BannerState, ConsentChange } from '@/lib/consent/model';
import { useTranslator } from './i18n';
import { CATEGORY_KEYS, SOURCE_KEYS } from './verdicts';

/** What the shop's banner recorded for this visit, in one line per category. */
export function ConsentSummary({
  now,
  bannerSeen,
  from = now ? 'record' : 'none',
  banner = null,
  onSetStance,
}: {
  now: ConsentChange | null;
  bannerSeen: boolean;
  from?: 'record' | 'consent-mode' | 'none';
  banner?: BannerState['cmp'] | null;
  onSetStance?: () => void;
}) {
  const { t, formatTime } = useTranslator();
  // The banner is named even when its record cannot be read, rather than a silent "unknown".
  const bannerLine = banner && from !== 'record' && (
    <p class="consent__banner" data-banner={banner}>
      {t('consentBannerUnread', { name: t(SOURCE_KEYS[banner]) })}
    </p>
  );
  let body;
  if (!now) body = <p data-consent="none">{t(bannerSeen ? 'consentWaiting' : 'consentNone')}</p>;
  else {
    const source = t(SOURCE_KEYS[now.source]);
    const optional = [...now.granted, ...now.denied].filter((c) => c !== 'necessary');
    body = (
      <>
        <p data-consent={now.source} data-consent-from={from}>
          {from === 'consent-mode'
            ? t('consentFromConsentMode', { time: formatTime(now.at) })
            : now.carriedOver
              ? t('consentCarriedOver', { source })
              : t('consentFrom', { source, time: formatTime(now.at) })}
        </p>
        <ul class="consent__list">
          {optional.map((category) => {
            const granted = now.granted.includes(category);
            return (
              <li key={category} class={granted ? 'consent--granted' : 'consent--denied'} data-category={category} data-granted={String(granted)}>
                <span aria-hidden="true">{granted ? '✓' : '✗'}</span> {t(CATEGORY_KEYS[category])}: {t(granted ? 'consentGranted' : 'consentDenied')}
              </li>
            );
          })}
        </ul>
      </>
    );
  }
  return (
    <section class="consent" aria-labelledby="consent-heading">
      <h2 id="consent-heading">{t('consentHeading')}</h2>
      {bannerLine}
      {body}
      {onSetStance && (
        <button type="button" class="link-button" onClick={onSetStance}>
          {t('stanceLink')}
        </button>
      )}
    </section>
  );
}
