import type { HostAccess } from '@/lib/view/host-access';
import { useTranslator } from './i18n';

/**
 * Shown when the browser withholds access to the shop or the trackers: without it the extension sees
 * nothing, and an empty popup would read as "no trackers". One button asks the browser for it again.
 */
export function HostAccessNotice({ access, onRequest }: { access: HostAccess; onRequest(): void }) {
  const { t } = useTranslator();
  if (access !== 'missing') return null;
  return (
    <section class="health host-access" role="alert" data-host-access="missing" aria-labelledby="host-access-title">
      <h2 id="host-access-title">{t('hostAccessTitle')}</h2>
      <p>{t('hostAccessBody')}</p>
      <button type="button" class="button" id="grant-host-access" onClick={onRequest}>
        {t('hostAccessButton')}
      </button>
    </section>
  );
}
