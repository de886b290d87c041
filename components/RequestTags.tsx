import { useTranslator } from './i18n';

/**
 * The tags before a request's address in the DevTools panel and the history: it never arrived (a
 * blocker, the browser or the network stopped it), or a service worker sent it, so the page's own
 * Network panel does not list it (lib/observe/worker-requests.ts).
 */
export function RequestTags({ stopped, worker }: { stopped?: boolean; worker?: boolean }) {
  const { t } = useTranslator();
  return (
    <>
      {stopped && <span class="stopped-tag">{t('requestStopped')}</span>}
      {worker && <span class="stopped-tag" data-worker-tag title={t('requestWorkerTitle')}>{t('requestWorker')}</span>}
    </>
  );
}
