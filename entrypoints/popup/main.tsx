import '@/lib/parse/jitless';
import { effect, signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { setUpPage } from '@/lib/i18n/page';
import { requestHostAccess, watchHostAccess } from '@/lib/view/host-access';
import { watchPopupTab } from '@/lib/view/popup-source';
import { TranslatorProvider } from '@/components/i18n';
import { App } from './App';
import '@/components/theme.css';
import './style.css';

// `?tabId=` and `?lang=` let a test or a support engineer open the popup for a given tab and
// language in an ordinary tab; the toolbar popup itself uses neither.
// The popup speaks one language, so it takes the browser's copy of its strings when it can; when it
// must read the packaged file, that is read while the tab's state is asked for.
const page = setUpPage(browser, 'actionTitle', 'page-language');
const requestedTab = Number.parseInt(new URLSearchParams(location.search).get('tabId') ?? '', 10);
const { tab, stance, health, rights } = watchPopupTab(browser, Number.isInteger(requestedTab) ? requestedTab : null);
const { access } = watchHostAccess(browser);
const { translator, params } = await page;
const accessGranted = signal(false);
/** Opens one of the extension's pages; a language chosen with ?lang= carries over to it. */
function openExtensionPage(page: 'request' | 'bundle' | 'options', query: Record<string, string | number> = {}, hash = '') {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  if (params.has('lang')) search.set('lang', translator.language);
  const url = `/${page}.html${search.size ? `?${search}` : ''}${hash}` as `/request.html${string}`;
  void browser.tabs.create({ url: browser.runtime.getURL(url) });
}
render(
  <TranslatorProvider value={translator}>
    <App
      tab={tab}
      health={health}
      stance={stance}
      rights={rights}
      access={access}
      accessGranted={accessGranted}
      onGrantAccess={() => void requestHostAccess(browser).then((granted) => (accessGranted.value = granted))}
      onSetStance={() => openExtensionPage('options', {}, '#settings')}
      onRequest={(type) => openExtensionPage('request', { type })}
      onHistory={() => openExtensionPage('options', {}, '#history')}
      onReportProblem={(tabId) => openExtensionPage('bundle', { tabId })}
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
