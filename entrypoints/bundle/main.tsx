import '@/lib/parse/jitless';
import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { TranslatorProvider, useTranslator } from '@/components/i18n';
import { TimelineChart } from '@/components/TimelineChart';
import { timelineOfPage } from '@/lib/timeline';
import { saveFile } from '@/lib/view/files';
import { STANCE_KEY, parseStance } from '@/lib/consent/stance';
import { openLog } from '@/lib/db';
import { untilLogWritten } from '@/lib/db/written';
import { exportVisits } from '@/lib/history';
import { setUpPage } from '@/lib/i18n/page';
import { readStoredTabState, tabStateKey } from '@/lib/observe/tab-state';
import { bundleEnvironment, type Report } from '@/lib/report';
import '@/components/theme.css';

// bundle.html?tabId=N: "report a tracker problem" for the visit in that tab, from the popup.
const { translator, params } = await setUpPage(browser, 'bundleTitle');
const language = translator.language;

const db = openLog();
const redact = signal(true);
const bundle = signal<{ report: Report; url: string } | null | 'none'>(null);
const saved = signal<string | null>(null);

async function build() {
  const tabId = Number.parseInt(params.get('tabId') ?? '', 10);
  const area = browser.storage.session ?? browser.storage.local;
  const key = tabStateKey(tabId);
  const state = readStoredTabState((await area.get(key))[key]);
  await untilLogWritten((message) => browser.runtime.sendMessage(message));
  const visit = state ? await db.visits.get(state.visitId) : undefined;
  if (!state || !visit) return void (bundle.value = 'none');
  const stance = parseStance((await browser.storage.local.get(STANCE_KEY))[STANCE_KEY]);
  // The environment a support engineer needs to reproduce the visit; nothing that identifies the customer.
  const environment = bundleEnvironment(navigator.userAgent, browser.runtime.getManifest().version, language);
  const report = await exportVisits(db, [visit], { stance, redact: redact.value, tool: { name: 'mijnliefsteboek-privacy-lens', version: browser.runtime.getManifest().version }, environment });
  bundle.value = { report, url: state.url };
}

function Bundle() {
  const { t } = useTranslator();
  const current = bundle.value;
  if (current === null) return <p aria-busy="true">{t('loading')}</p>;
  if (current === 'none') return <p>{t('bundleNoVisit')}</p>;
  const text = `${JSON.stringify(current.report, null, 2)}\n`;
  const save = () => {
    const name = `tracker-problem-${current.report.generatedAt.slice(0, 10)}.json`;
    saveFile(name, 'application/json', text);
    saved.value = name;
  };
  return (
    <>
      <p>{t('bundleExplain', { url: current.report.pages[0]?.url ?? current.url })}</p>
      <label class="checkbox">
        <input type="checkbox" id="bundle-redact" checked={redact.value} onChange={(e) => ((redact.value = e.currentTarget.checked), void build())} />
        {t('bundleRedact')}
      </label>
      {current.report.pages.map((page, i) => (
        <section key={i} aria-labelledby={`bundle-timeline-${i}-heading`}>
          <h2 id={`bundle-timeline-${i}-heading`}>{t('timelineHeading')}</h2>
          <TimelineChart input={timelineOfPage(page)} id={`bundle-timeline-${i}`} />
        </section>
      ))}
      <h2>{t('bundlePreview')}</h2>
      <pre class="bundle__preview" id="bundle-preview" tabIndex={0}>
        {text}
      </pre>
      <button type="button" class="button" id="bundle-save" onClick={save}>
        {t('bundleSave')}
      </button>
      <p role="status" class="composer__notice">
        {saved.value ? t('bundleSaved', { file: saved.value }) : ''}
      </p>
    </>
  );
}

render(
  <TranslatorProvider value={translator}>
    <main class="page">
      <h1>{translator.t('bundleHeading')}</h1>
      <Bundle />
    </main>
  </TranslatorProvider>,
  document.getElementById('app')!,
);
void build();
