import type { LogHealth } from '@/lib/db/health';
import type { MessageKey } from '@/lib/i18n';
import { useTranslator } from './i18n';

/** Says so when the log is full, newer than this version, or failing: never hidden from the user. */
export function LogHealthNotice({ state }: { state: LogHealth['state'] | null }) {
  const { t } = useTranslator();
  if (!state || state === 'ok') return null;
  return (
    <p class="health" role="alert" data-health={state}>
      {t(`health_${state.replace(/-/g, '_')}` as MessageKey)}
    </p>
  );
}
