import { useTranslator } from './i18n';

/**
 * The tags before a request's address in the DevTools panel and the history: it never arrived (a
 * blocker, the browser or the network stopped it), or a service worker sent it
 * (lib/observe/worker-requests.ts). Each tag ends in a space, so that a screen reader and a copy
 * keep it apart from the address.
 */
export function RequestTags({ stopped, worker }: { stopped?: boolean; worker?: boolean }) {
  const { t } = useTranslator();
  return (
    <>
      {stopped && <><span class="stopped-tag">{t('requestStopped')}</span> </>}
      {worker && <><span class="worker-tag" data-worker-tag>{t('requestWorker')}</span> </>}
    </>
  );
}

/**
 * What the "service worker" tag means, said once above a list that holds one: text on the page rather
 * than a title on each tag, which neither a keyboard, a touch screen nor most screen readers reach.
 */
export function WorkerNote({ shown }: { shown: boolean }) {
  const { t } = useTranslator();
  return shown ? <p class="explain" data-worker-note>{t('requestWorkerNote')}</p> : null;
}
