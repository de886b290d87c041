import type { Signal } from '@preact/signals';
import { useState } from 'preact/hooks';
import { VisitList } from '@/components/history/VisitList';
import { LogHealthNotice } from '@/components/LogHealthNotice';
import type { LogHealth } from '@/lib/db/health';
import { PageView } from '@/components/history/PageView';
import { RequestList, type RequestActions } from '@/components/RequestList';
import { StanceEditor } from '@/components/StanceEditor';
import { VerdictFilter } from '@/components/VerdictFilter';
import { useTranslator } from '@/components/i18n';
import { catalog } from '@/lib/catalog';
import type { Finding } from '@/lib/consent/judge';
import type { ConsentChange } from '@/lib/consent/model';
import type { Stance } from '@/lib/consent/stance';
import type { Visit } from '@/lib/db/schema';
import { RETENTION_CHOICES, filterVisits, type HistoryFilter, type Retention } from '@/lib/history';
import type { MessageKey } from '@/lib/i18n';
import { failureReason } from '@/lib/i18n/words';
import type { HarReportResult } from '@/lib/har/file';
import type { ImportResult, PageReport, Report } from '@/lib/report';
import type { PromiseCheck } from '@/lib/promises';
import { latestBrokenPromises, type Customer, type ReminderSettings, type RightsRequestRecord } from '@/lib/requests';

export type Tab = 'history' | 'requests' | 'settings' | 'import';
const TABS: Tab[] = ['history', 'requests', 'settings', 'import'];
const key = (prefix: string, id: string | number) => `${prefix}_${String(id).replace(/-/g, '_')}` as MessageKey;

export interface HistoryActions {
  openVisit(visit: Visit): Promise<{ page: PageReport; consent: ConsentChange[]; findings: Finding[]; promises: PromiseCheck[] }>;
  exportVisits(visits: Visit[], format: 'json' | 'csv', redact: boolean): Promise<void>;
  /** The shareable HTML report of the visits; personal data only when asked for. */
  exportHtml(visits: Visit[], includePersonalData: boolean): Promise<void>;
  setRetention(days: Retention): Promise<void>;
  setNotify(wanted: boolean): Promise<boolean>;
  eraseEverything(): Promise<void>;
  importFile(file: File): Promise<ImportResult>;
  /** Judges a HAR file off the page's main thread. */
  importHar(file: File): Promise<HarReportResult>;
}

export function App(props: {
  tab: Signal<Tab>;
  health: Signal<LogHealth['state'] | null>;
  visits: Signal<Visit[]>;
  stance: Signal<Stance | null>;
  onSaveStance(next: Stance): Promise<void>;
  requests: Signal<RightsRequestRecord[]>;
  customer: Signal<Customer | null>;
  retention: Signal<Retention>;
  reminders: Signal<ReminderSettings>;
  requestActions: RequestActions;
  history: HistoryActions;
}) {
  const { t } = useTranslator();
  const tab = props.tab.value;
  return (
    <main class="page page--wide">
      <h1>{t('extName')}</h1>
      <LogHealthNotice state={props.health.value} />
      {/* Links, not ARIA tabs: each part has its own address (#history, #requests, ...), and ARIA tabs
          would promise arrow-key navigation and one tab stop that a row of links does not need. */}
      <nav class="tabs" aria-label={t('optionsNav')}>
        {TABS.map((id) => (
          <a key={id} href={`#${id}`} id={`tab-${id}`} aria-current={tab === id ? 'page' : undefined} class={`tabs__tab ${tab === id ? 'tabs__tab--on' : ''}`}>
            {t(key('tab', id))}
          </a>
        ))}
      </nav>
      {/* A plain container, not a region: each part brings its own headings and sections, and a
          region named after the link would repeat the name of the section inside it. */}
      <div>
        {tab === 'history' && <HistoryTab visits={props.visits.value} actions={props.history} />}
        {tab === 'requests' && (
          <RequestList
            requests={props.requests.value}
            now={Date.now()}
            customer={props.customer.value}
            actions={props.requestActions}
            // A complaint about a late answer is that promise already: it cites the others.
            brokenPromises={latestBrokenPromises(props.visits.value, { except: ['answer-within-a-month'] })}
          />
        )}
        {tab === 'settings' && <SettingsTab {...props} />}
        {tab === 'import' && <ImportTab actions={props.history} />}
      </div>
    </main>
  );
}

function HistoryTab({ visits, actions }: { visits: Visit[]; actions: HistoryActions }) {
  const { t, plural, formatDateTime, language } = useTranslator();
  const [filter, setFilter] = useState<HistoryFilter>({});
  const [open, setOpen] = useState<{ visit: Visit; page: PageReport; consent: ConsentChange[]; findings: Finding[]; promises: PromiseCheck[] } | null>(null);
  const [redact, setRedact] = useState(false);
  // The HTML report is made to be shared: personal data stays out unless unticked (its own box).
  const [htmlRedact, setHtmlRedact] = useState(true);
  const [notice, setNotice] = useState('');
  // A visit that would not open (the log refused the read): said where the customer clicked.
  const [openProblem, setOpenProblem] = useState('');
  const failed = (key: 'exportFailed' | 'visitOpenFailed', set: (text: string) => void) => (error: unknown) => set(t(key, { reason: failureReason(error) }));
  const shown = filterVisits(visits, filter);
  const companies = [...new Set(catalog.entries.map((e) => e.company))];

  if (open) {
    return (
      <div class="history-detail">
        <button type="button" class="button button--quiet" id="visit-back" onClick={() => setOpen(null)}>
          ← {t('visitBack')}
        </button>
        <h2>{t('visitHeading', { time: formatDateTime(open.visit.startedAt) })}</h2>
        <PageView page={open.page} consentHistory={open.consent} findings={open.findings} promises={open.promises} />
        <section class="export" aria-labelledby="visit-export-heading">
          <h3 id="visit-export-heading">{t('exportHtmlHeading')}</h3>
          <p class="explain">{t('exportHtmlExplain')}</p>
          <HtmlExport redact={htmlRedact} setRedact={setHtmlRedact} id="visit-export-html" label={t('visitExportHtml')} onExport={() => actions.exportHtml([open.visit], !htmlRedact).then(() => setNotice(plural('exportDone', 1)), failed('exportFailed', setNotice))} />
          <p role="status" class="composer__notice">
            {notice}
          </p>
        </section>
      </div>
    );
  }
  const set = (patch: Partial<HistoryFilter>) => setFilter({ ...filter, ...patch });
  return (
    <>
      <h2>{t('historyHeading')}</h2>
      <p class="explain">{t('historyExplain')}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('filterFrom')}
          <input type="date" id="filter-from" value={filter.from ?? ''} onInput={(e) => set({ from: e.currentTarget.value || undefined })} />
        </label>
        <label>
          {t('filterTo')}
          <input type="date" id="filter-to" value={filter.to ?? ''} onInput={(e) => set({ to: e.currentTarget.value || undefined })} />
        </label>
        <label>
          {t('filterCompany')}
          <select id="filter-company" value={filter.company ?? ''} onChange={(e) => set({ company: e.currentTarget.value || undefined })}>
            <option value="">{t('filterAll')}</option>
            {companies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <VerdictFilter id="filter-verdict" value={filter.verdict} onChange={(verdict) => set({ verdict })} />
        <label>
          {t('filterPromise')}
          <select id="filter-promise" value={filter.promise ?? ''} onChange={(e) => set({ promise: (e.currentTarget.value || undefined) as HistoryFilter['promise'] })}>
            <option value="">{t('filterAll')}</option>
            <option value="any">{t('filterPromiseAny')}</option>
            {catalog.promises.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title[language]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filterSearch')}
          <input type="search" id="filter-search" placeholder={t('filterSearchPlaceholder')} value={filter.search ?? ''} onInput={(e) => set({ search: e.currentTarget.value || undefined })} />
        </label>
        <button type="button" class="button button--quiet" onClick={() => setFilter({})}>
          {t('filterReset')}
        </button>
      </form>
      <p class="explain" aria-live="polite" id="visits-count">
        {plural('visitsShown', shown.length)}
      </p>
      {openProblem && (
        <p role="alert" class="field-error" id="visit-open-problem">
          {openProblem}
        </p>
      )}
      <VisitList
        visits={shown}
        onOpen={(visit) =>
          void actions.openVisit(visit).then((detail) => {
            setOpenProblem('');
            setOpen({ visit, ...detail });
          }, failed('visitOpenFailed', setOpenProblem))
        }
      />
      <section class="export" aria-labelledby="export-heading">
        <h3 id="export-heading">{t('exportHeading')}</h3>
        <p class="explain">{t('exportExplain')}</p>
        <label class="checkbox">
          <input type="checkbox" id="export-redact" checked={redact} onChange={(e) => setRedact(e.currentTarget.checked)} />
          {t('exportRedact')}
        </label>
        <p>
          <button type="button" class="button" id="export-json" disabled={shown.length === 0} onClick={() => void actions.exportVisits(shown, 'json', redact).then(() => setNotice(plural('exportDone', shown.length)), failed('exportFailed', setNotice))}>
            {t('exportJson')}
          </button>{' '}
          <button type="button" class="button button--quiet" id="export-csv" disabled={shown.length === 0} onClick={() => void actions.exportVisits(shown, 'csv', redact).then(() => setNotice(plural('exportDone', shown.length)), failed('exportFailed', setNotice))}>
            {t('exportCsv')}
          </button>
        </p>
        <h4 class="export__subheading">{t('exportHtmlHeading')}</h4>
        <p class="explain">{t('exportHtmlExplain')}</p>
        <HtmlExport redact={htmlRedact} setRedact={setHtmlRedact} id="export-html" label={t('exportHtml')} disabled={shown.length === 0} onExport={() => actions.exportHtml(shown, !htmlRedact).then(() => setNotice(plural('exportDone', shown.length)), failed('exportFailed', setNotice))} />
        <p role="status" class="composer__notice">
          {notice}
        </p>
      </section>
    </>
  );
}

function HtmlExport(props: { redact: boolean; setRedact(value: boolean): void; id: string; label: string; disabled?: boolean; onExport(): Promise<void> }) {
  const { t } = useTranslator();
  return (
    <>
      <label class="checkbox">
        <input type="checkbox" id={`${props.id}-redact`} checked={props.redact} onChange={(e) => props.setRedact(e.currentTarget.checked)} />
        {t('bundleRedact')}
      </label>
      <p>
        <button type="button" class="button" id={props.id} disabled={props.disabled} onClick={() => void props.onExport()}>
          {props.label}
        </button>
      </p>
    </>
  );
}

function SettingsTab(props: { stance: Signal<Stance | null>; onSaveStance(next: Stance): Promise<void>; retention: Signal<Retention>; reminders: Signal<ReminderSettings>; history: HistoryActions }) {
  const { t } = useTranslator();
  const [confirming, setConfirming] = useState(false);
  const [erase, setErase] = useState<'idle' | 'erasing' | 'done' | 'failed'>('idle');
  const [denied, setDenied] = useState(false);
  return (
    <>
      {props.stance.value ? <StanceEditor stance={props.stance.value} onSave={props.onSaveStance} /> : <p aria-busy="true">{t('loading')}</p>}
      <section aria-labelledby="reminders-heading">
        <h2 id="reminders-heading">{t('remindersHeading')}</h2>
        <p class="explain">{t('remindersExplain')}</p>
        <label class="checkbox">
          <input type="checkbox" id="reminders-notify" checked={props.reminders.value.notify} onChange={(e) => void props.history.setNotify(e.currentTarget.checked).then((granted) => setDenied(e.currentTarget.checked && !granted))} />
          {t('remindersNotify')}
        </label>
        <p role="status">{denied ? t('remindersDenied') : ''}</p>
      </section>
      <section aria-labelledby="retention-heading">
        <h2 id="retention-heading">{t('retentionHeading')}</h2>
        <p class="explain">{t('retentionExplain')}</p>
        <select id="retention" aria-labelledby="retention-heading" value={String(props.retention.value)} onChange={(e) => void props.history.setRetention(Number(e.currentTarget.value) as Retention)}>
          {RETENTION_CHOICES.map((days) => (
            <option key={days} value={String(days)}>
              {t(key('retention', days))}
            </option>
          ))}
        </select>
      </section>
      <section aria-labelledby="erase-heading" class="erase">
        <h2 id="erase-heading">{t('eraseHeading')}</h2>
        <p class="explain">{t('eraseExplain')}</p>
        {!confirming ? (
          <button type="button" class="button button--danger" id="erase" onClick={() => (setConfirming(true), setErase('idle'))}>
            {t('eraseButton')}
          </button>
        ) : (
          <div role="alertdialog" aria-labelledby="erase-confirm" class="erase__confirm">
            <p id="erase-confirm">{t('eraseConfirm')}</p>
            <button
              type="button"
              class="button button--danger"
              id="erase-yes"
              disabled={erase === 'erasing'}
              onClick={() => {
                setErase('erasing');
                void props.history.eraseEverything().then(
                  () => (setConfirming(false), setErase('done')),
                  () => setErase('failed'),
                );
              }}
            >
              {t('eraseConfirmYes')}
            </button>{' '}
            <button type="button" class="button button--quiet" onClick={() => setConfirming(false)}>
              {t('eraseCancel')}
            </button>
          </div>
        )}
        {erase === 'failed' ? (
          <p role="alert" class="field-error" id="erase-problem">
            {t('eraseFailed')}
          </p>
        ) : (
          <p role="status">{erase === 'done' ? t('eraseDone') : erase === 'erasing' ? t('eraseBusy') : ''}</p>
        )}
      </section>
    </>
  );
}

function ImportTab({ actions }: { actions: HistoryActions }) {
  const { t, formatDateTime } = useTranslator();
  const [result, setResult] = useState<ImportResult | HarReportResult | null>(null);
  const [from, setFrom] = useState<'report' | 'har'>('report');
  const [reading, setReading] = useState(false);
  const report: Report | null = result?.ok ? result.report : null;
  const open = (kind: 'report' | 'har', reader: (file: File) => Promise<ImportResult | HarReportResult>) => (e: { currentTarget: HTMLInputElement }) => {
    const file = e.currentTarget.files?.[0];
    if (!file) return;
    setFrom(kind);
    setResult(null);
    setReading(true);
    void reader(file).then((r) => (setResult(r), setReading(false)));
  };
  const problem = result && !result.ok ? result.problem : null;
  const capture = report?.pages.find((p) => p.capture)?.capture;
  return (
    <>
      <h2>{t('importHeading')}</h2>
      <p class="explain">{t('importExplain')}</p>
      <label class="field">
        {t('importChoose')}
        <input type="file" id="import-file" accept=".json,application/json" onChange={open('report', actions.importFile)} />
      </label>
      <section aria-labelledby="har-heading">
        <h2 id="har-heading">{t('harHeading')}</h2>
        <p class="explain">{t('harExplain')}</p>
        <label class="field">
          {t('harChoose')}
          <input type="file" id="har-file" accept=".har,.json,application/json" onChange={open('har', actions.importHar)} />
        </label>
      </section>
      <p role="status" id="import-status" aria-busy={reading}>
        {reading && from === 'har' ? t('harReading') : ''}
      </p>
      {problem && (
        <p class="field-error" role="alert" id="import-error">
          {t(key(from === 'har' ? 'harProblem' : 'importProblem', problem.code), 'values' in problem ? (problem.values as Record<string, string | number>) : undefined)}
        </p>
      )}
      {report && (
        <div class="imported" id="imported-report">
          <p class="imported__banner" role="status">
            {t('importReadOnly', { date: formatDateTime(Date.parse(report.generatedAt)), tool: `${report.tool.name} ${report.tool.version}` })}
            {report.redacted && ` ${t('importRedacted')}`}
            {report.environment && ` ${t('importEnvironment', { browser: report.environment.browser, version: report.environment.extensionVersion, catalog: report.catalogVersion })}`}
          </p>
          {capture && (
            <div class="imported__har" id="har-notice">
              <p>
                <strong>{t('harJudged', { creator: capture.creator })}</strong> {t('harCannotShow')}
              </p>
              {!capture.cookies && <p id="har-no-cookies">{t('harNoCookies')}</p>}
            </div>
          )}
          {report.pages.map((page, i) => (
            <section key={i} class="imported__page">
              <h3 id={`imported-${i}-heading`}>{t('importVisit', { n: i + 1, total: report.pages.length, date: formatDateTime(Date.parse(page.visitedAt)) })}</h3>
              <PageView page={page} imported={{ redacted: report.redacted, generatedAt: report.generatedAt }} index={i} visitLabel={`imported-${i}-heading`} />
            </section>
          ))}
          <button type="button" class="button button--quiet" onClick={() => setResult(null)}>
            {t('importClose')}
          </button>
        </div>
      )}
    </>
  );
}
