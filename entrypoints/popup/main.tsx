import { effect } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createTranslator, pickLanguage } from '@/lib/i18n';
import { watchPopupTab } from '@/lib/view/popup-source';
import { TranslatorProvider } from '@/components/i18n';
import { App } from './App';
import '@/components/theme.css';
import './style.css';

// `?tabId=` and `?lang=` let a test or a support engineer open the popup for a given tab and
// language in an ordinary tab; the toolbar popup itself uses neither.
const params = new URLSearchParams(location.search);
const requestedTab = Number.parseInt(params.get('tabId') ?? '', 10);
const language = pickLanguage(params.get('lang') ?? browser.i18n.getUILanguage());
document.documentElement.lang = language;

const { tab, stance, health } = watchPopupTab(browser, Number.isInteger(requestedTab) ? requestedTab : null);
const openSettings = () => void browser.tabs.create({ url: browser.runtime.getURL('/options.html#settings') });
// A language chosen with ?lang= carries over to the composer; otherwise it follows the browser too.
const openComposer = (type: string) => void browser.tabs.create({ url: browser.runtime.getURL(`/request.html?type=${type}${params.has('lang') ? `&lang=${language}` : ''}`) });
render(
  <TranslatorProvider value={createTranslator(language)}>
    <App
      tab={tab}
      health={health}
      stance={stance}
      onSetStance={openSettings}
      onRequest={openComposer}
      onHistory={() => void browser.runtime.openOptionsPage()}
      onReportProblem={(tabId) => void browser.tabs.create({ url: browser.runtime.getURL(`/bundle.html?tabId=${tabId}${params.has('lang') ? `&lang=${language}` : ''}`) })}
    />
  </TranslatorProvider>,
  document.getElementById('app')!,
);

// A mark for the benchmark (npm run bench): the first frame with the tab's content on screen.
const stop = effect(() => {
  if (tab.value.status === 'loading') return;
  requestAnimationFrame(() => performance.mark('privacy-lens:content-painted'));
  queueMicrotask(() => stop());
});
