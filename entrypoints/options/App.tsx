import type { Signal } from '@preact/signals';
import { StanceEditor } from '@/components/StanceEditor';
import { useTranslator } from '@/components/i18n';
import type { Stance } from '@/lib/consent/stance';

export function App({ stance, onSave }: { stance: Signal<Stance | null>; onSave(next: Stance): Promise<void> }) {
  const { t } = useTranslator();
  return (
    <main class="page">
      <h1>{t('extName')}</h1>
      {stance.value ? <StanceEditor stance={stance.value} onSave={onSave} /> : <p aria-busy="true">{t('loading')}</p>}
    </main>
  );
}
