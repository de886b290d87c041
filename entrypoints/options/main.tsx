import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { TranslatorProvider } from '@/components/i18n';
import { NO_STANCE, STANCE_KEY, Stance, parseStance } from '@/lib/consent/stance';
import { createTranslator, pickLanguage } from '@/lib/i18n';
import { App } from './App';
import '@/components/theme.css';

const params = new URLSearchParams(location.search);
const language = pickLanguage(params.get('lang') ?? browser.i18n.getUILanguage());
const translator = createTranslator(language);
document.documentElement.lang = language;
document.title = translator.t('settingsTitle');

const stance = signal<Stance | null>(null);
void browser.storage.local.get(STANCE_KEY).then((items) => (stance.value = parseStance(items[STANCE_KEY])), () => (stance.value = NO_STANCE));

async function save(next: Stance) {
  // Parsed on the way out too: only a valid stance is ever stored.
  const valid = Stance.parse({ ...next, updatedAt: Date.now() });
  await browser.storage.local.set({ [STANCE_KEY]: valid });
  stance.value = valid;
}

render(
  <TranslatorProvider value={translator}>
    <App stance={stance} onSave={save} />
  </TranslatorProvider>,
  document.getElementById('app')!,
);
