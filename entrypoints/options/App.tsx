import type { Signal } from '@preact/signals';
import { RequestList, type RequestActions } from '@/components/RequestList';
import { StanceEditor } from '@/components/StanceEditor';
import { useTranslator } from '@/components/i18n';
import type { Stance } from '@/lib/consent/stance';
import type { Customer, RightsRequestRecord } from '@/lib/requests';

export function App(props: {
  stance: Signal<Stance | null>;
  onSaveStance(next: Stance): Promise<void>;
  requests: Signal<RightsRequestRecord[]>;
  customer: Signal<Customer | null>;
  requestActions: RequestActions;
}) {
  const { t } = useTranslator();
  return (
    <main class="page">
      <h1>{t('extName')}</h1>
      <RequestList requests={props.requests.value} now={Date.now()} customer={props.customer.value} actions={props.requestActions} />
      {props.stance.value ? <StanceEditor stance={props.stance.value} onSave={props.onSaveStance} /> : <p aria-busy="true">{t('loading')}</p>}
    </main>
  );
}
