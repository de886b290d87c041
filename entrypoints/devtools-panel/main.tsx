import '@/lib/parse/jitless';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { TranslatorProvider } from '@/components/i18n';
import { CATALOG_VERSION } from '@/lib/catalog';
import { setUpPage } from '@/lib/i18n/page';
import type { TabState } from '@/lib/observe/tab-state';
import { bundleEnvironment, reportOfVisits, reportToHtml, visitFromTab } from '@/lib/report';
import { copyText, saveFile } from '@/lib/view/files';
import { panelTarget } from '@/lib/view/panel';
import { watchPopupTab } from '@/lib/view/popup-source';
import { Panel } from './Panel';
import '@/components/theme.css';
import './style.css';

// devtools-panel.html: inside DevTools it shows the inspected tab; opened as an ordinary page (tests,
// a support engineer without DevTools) it takes `?tabId=N`, checked with zod. `?lang=` as every page.
const { translator } = await setUpPage(browser, 'panelTitle');
const devtools = (browser as unknown as { devtools?: { inspectedWindow?: { tabId?: unknown } } }).devtools;
const target = panelTarget(devtools?.inspectedWindow?.tabId, location.search);
// The state arrives up to twenty times a second on a busy page: the panel takes the latest once per
// frame while it is shown, and at most four times a second while DevTools hides it.
const schedule = (work: () => void) => void (document.hidden ? setTimeout(work, 250) : requestAnimationFrame(work));
const source = target.ok ? watchPopupTab(browser, target.tabId, { schedule }) : null;

const tool = { name: 'mijnliefsteboek-privacy-lens', version: browser.runtime.getManifest().version };
/** The tab as a report: what the panel shows, judged as the panel judges it (the same stance). */
const reportOf = (state: TabState, redact: boolean, bundle: boolean) =>
  reportOfVisits([visitFromTab(state)], {
    stance: source?.stance.value ?? null,
    redact,
    tool,
    catalogVersion: CATALOG_VERSION,
    ...(bundle ? { environment: bundleEnvironment(navigator.userAgent, tool.version, translator.language) } : {}),
  });
const stamp = () => new Date().toISOString().slice(0, 10);

render(
  <TranslatorProvider value={translator}>
    <Panel
      target={target}
      tab={source?.tab ?? null}
      stance={source?.stance ?? null}
      health={source?.health ?? null}
      actions={{
        exportJson(state, redact) {
          const name = `privacy-lens-tab-${stamp()}.json`;
          saveFile(name, 'application/json', `${JSON.stringify(reportOf(state, redact, false), null, 2)}\n`);
          return name;
        },
        exportHtml(state, redact) {
          const name = `privacy-lens-tab-${stamp()}.html`;
          saveFile(name, 'text/html', reportToHtml(reportOf(state, false, false), { language: translator.language, includePersonalData: !redact }));
          return name;
        },
        async copyBundle(state, redact) {
          const text = `${JSON.stringify(reportOf(state, redact, true), null, 2)}\n`;
          return { copied: await copyText(text), text };
        },
      }}
    />
  </TranslatorProvider>,
  document.getElementById('app')!,
);
