import { signal } from '@preact/signals';
import { liveQuery } from 'dexie';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { TranslatorProvider } from '@/components/i18n';
import { NO_STANCE, STANCE_KEY, Stance, parseStance } from '@/lib/consent/stance';
import { openLog } from '@/lib/db';
import { createTranslator, pickLanguage } from '@/lib/i18n';
import { CUSTOMER_KEY, listRequests, parseStoredCustomer, updateRequest, type Customer, type RightsRequestRecord } from '@/lib/requests';
import { App } from './App';
import '@/components/theme.css';

const params = new URLSearchParams(location.search);
const language = pickLanguage(params.get('lang') ?? browser.i18n.getUILanguage());
const translator = createTranslator(language);
document.documentElement.lang = language;
document.title = translator.t('settingsTitle');

const db = openLog();
const stance = signal<Stance | null>(null);
const requests = signal<RightsRequestRecord[]>([]);
const customer = signal<Customer | null>(null);
void browser.storage.local.get([STANCE_KEY, CUSTOMER_KEY]).then(
  (items) => {
    stance.value = parseStance(items[STANCE_KEY]);
    customer.value = parseStoredCustomer(items[CUSTOMER_KEY]);
  },
  () => (stance.value = NO_STANCE),
);
// The list follows the log: a request recorded in the composer shows up here at once.
liveQuery(() => listRequests(db)).subscribe({ next: (rows) => (requests.value = rows) });

async function saveStance(next: Stance) {
  // Parsed on the way out too: only a valid stance is ever stored.
  const valid = Stance.parse({ ...next, updatedAt: Date.now() });
  await browser.storage.local.set({ [STANCE_KEY]: valid });
  stance.value = valid;
}

render(
  <TranslatorProvider value={translator}>
    <App
      stance={stance}
      onSaveStance={saveStance}
      requests={requests}
      customer={customer}
      requestActions={{
        setStatus: (id, status) => updateRequest(db, id, { status }),
        setNotes: (id, notes) => updateRequest(db, id, { notes }),
        followedUp: (id, step) => updateRequest(db, id, { followUp: step }),
      }}
    />
  </TranslatorProvider>,
  document.getElementById('app')!,
);
