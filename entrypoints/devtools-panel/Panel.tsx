import type { Signal } from '@preact/signals';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Chip } from '@/components/Chip';
import { ConsentSummary } from '@/components/ConsentSummary';
import { Findings } from '@/components/Findings';
import { LogHealthNotice } from '@/components/LogHealthNotice';
import { RequestTags, WorkerNote } from '@/components/RequestTags';
import { TimelineChart } from '@/components/TimelineChart';
import { VirtualList } from '@/components/VirtualList';
import { VerdictFilter } from '@/components/VerdictFilter';
import { useTranslator } from '@/components/i18n';
import { isViolation } from '@/lib/consent/judge';
import type { Stance } from '@/lib/consent/stance';
import type { LogHealth } from '@/lib/db/health';
import { KIND_KEYS, VERDICT_KEYS, consentChoices } from '@/lib/i18n/words';
import { judgeTab } from '@/lib/observe/judge-tab';
import type { TabState } from '@/lib/observe/tab-state';
import { shortProduct, timelineConsent, timelineText } from '@/lib/timeline';
import { filterPanelRows, panelChoices, panelRows, panelTimeline, type PanelFilter, type PanelRow, type PanelTarget } from '@/lib/view/panel';
import type { PopupTab } from '@/lib/view/popup-source';

export interface PanelActions {
  exportJson(state: TabState, redact: boolean): string;
  exportHtml(state: TabState, redact: boolean): string;
  /** The support bundle's text, and whether it reached the clipboard. */
  copyBundle(state: TabState, redact: boolean): Promise<{ copied: boolean; text: string }>;
}

const ROW_HEIGHT = 30;

export function Panel(props: { target: PanelTarget; tab: Signal<PopupTab> | null; stance: Signal<Stance> | null; health: Signal<LogHealth['state'] | null> | null; actions: PanelActions }) {
  const { t } = useTranslator();
  const { target } = props;
  if (!target.ok || !props.tab) {
    return (
      <main class="panel" data-view="no-tab">
        <h1>{t('panelHeading')}</h1>
        <p class="field-error" role="alert" id="panel-problem">
          {t(!target.ok && target.problem === 'bad-tab' ? 'panelBadTab' : 'panelNoTab')}
        </p>
      </main>
    );
  }
  const current = props.tab.value;
  if (current.status === 'loading') {
    return (
      <main class="panel" aria-busy="true">
        <p class="empty">{t('loading')}</p>
      </main>
    );
  }
  if (current.status !== 'ready') {
    return (
      <main class="panel" data-view={current.status}>
        <h1>{t('panelHeading')}</h1>
        <LogHealthNotice state={props.health?.value ?? null} />
        {current.status === 'not-shop' ? (
          <p>
            <strong>{t('notShopTitle')}.</strong> {t('notShopBody')}
          </p>
        ) : (
          <p>{t('noStateBody')}</p>
        )}
      </main>
    );
  }
  return <TabPanel state={current.state} stance={props.stance?.value ?? null} health={props.health?.value ?? null} actions={props.actions} />;
}

function TabPanel({ state, stance, health, actions }: { state: TabState; stance: Stance | null; health: LogHealth['state'] | null; actions: PanelActions }) {
  const translator = useTranslator();
  const { t } = translator;
  const text = useMemo(() => timelineText(translator), [translator]);
  const [filter, setFilter] = useState<PanelFilter>({});
  const [redact, setRedact] = useState(true);
  const [notice, setNotice] = useState('');
  const [bundleText, setBundleText] = useState<string | null>(null);
  // One judgement of what the tab holds, by the popup's own judge; the rows only lay it out.
  const judgement = useMemo(() => judgeTab(state, stance), [state, stance]);
  const rows = useMemo(() => panelRows(state, judgement), [state, judgement]);
  const choices = useMemo(() => panelChoices(rows), [rows]);
  const shown = useMemo(() => filterPanelRows(rows, filter), [rows, filter]);
  // What the tab left out is said once, above the chart and the list, not by the chart again.
  const timeline = useMemo(() => ({ ...panelTimeline(state, shown), leftOut: 0 }), [state, shown]);
  const total = rows.filter((r) => r.type === 'request').length;
  const shownRequests = shown.filter((r) => r.type === 'request').length;
  const leftOut = state.requestsLeftOut + state.unlistedRequestsLeftOut;

  // A new page in the inspected tab is said once, for screen readers and for the eye.
  const visit = useRef(state.visitId);
  useEffect(() => {
    if (visit.current === state.visitId) return;
    visit.current = state.visitId;
    setNotice(t('panelNewPage', { url: state.url }));
    setBundleText(null);
  }, [state.visitId]);

  const set = (patch: Partial<PanelFilter>) => setFilter({ ...filter, ...patch });
  const findings = judgement.findings.filter((f) => f.kind !== 'unlisted-third-party');

  return (
    <main class="panel" data-view="tab" data-visit={state.visitId}>
      <header class="panel__header">
        <h1>{t('panelHeading')}</h1>
        <p class="panel__url" id="panel-url">
          {state.url}
        </p>
        {state.shownAgain && (
          <p class="notice" role="note" data-shown-again>
            {t('shownAgainNote')}
          </p>
        )}
        <LogHealthNotice state={health} />
        <div class="panel__actions" role="group" aria-label={t('panelActions')}>
          <label class="checkbox">
            <input type="checkbox" id="panel-redact" checked={redact} onChange={(e) => setRedact(e.currentTarget.checked)} />
            {t('bundleRedact')}
          </label>
          <button type="button" class="button button--quiet" id="panel-export-json" onClick={() => setNotice(t('bundleSaved', { file: actions.exportJson(state, redact) }))}>
            {t('exportJson')}
          </button>
          <button type="button" class="button button--quiet" id="panel-export-html" onClick={() => setNotice(t('bundleSaved', { file: actions.exportHtml(state, redact) }))}>
            {t('exportHtml')}
          </button>
          <button
            type="button"
            class="button"
            id="panel-copy-bundle"
            onClick={() =>
              void actions.copyBundle(state, redact).then(({ copied, text: bundle }) => {
                setBundleText(copied ? null : bundle);
                setNotice(t(copied ? 'panelCopied' : 'panelCopyFailed'));
              })
            }
          >
            {t('panelCopyBundle')}
          </button>
        </div>
        <p role="status" class="composer__notice" id="panel-notice">
          {notice}
        </p>
        {bundleText !== null && (
          <label class="field">
            {t('panelBundleFallback')}
            <textarea id="panel-bundle-text" readOnly rows={6} value={bundleText} />
          </label>
        )}
      </header>
      <div class="panel__summary">
        <ConsentSummary now={judgement.consentNow} bannerSeen={judgement.bannerSeen} from={judgement.consentFrom} banner={state.banner && !state.banner.showing ? state.banner.cmp : null} />
        <div aria-live="polite" class="panel__findings">
          <Findings findings={findings} />
        </div>
      </div>
      {leftOut > 0 && (
        <p class="notice" id="panel-left-out" data-left-out={leftOut}>
          {translator.plural('timelineLeftOut', leftOut)}
        </p>
      )}
      <section aria-labelledby="panel-timeline-heading">
        <h2 id="panel-timeline-heading">{t('timelineHeading')}</h2>
        <TimelineChart input={timeline} id="panel-timeline" />
      </section>
      <section aria-labelledby="panel-requests-heading">
        <h2 id="panel-requests-heading">{t('visitRequests')}</h2>
        <form class="filters" aria-label={t('panelFilters')} onSubmit={(e) => e.preventDefault()}>
          <label>
            {t('filterCompany')}
            <select id="panel-filter-company" value={filter.company ?? ''} onChange={(e) => set({ company: e.currentTarget.value || undefined })}>
              <option value="">{t('filterAll')}</option>
              {choices.companies.map((company) => (
                <option key={company} value={company}>
                  {company}
                </option>
              ))}
              {choices.unnamed && <option value="unnamed">{t('unlistedHeading')}</option>}
            </select>
          </label>
          <VerdictFilter id="panel-filter-verdict" value={filter.verdict} onChange={(verdict) => set({ verdict })} />
          <label>
            {t('filterKind')}
            <select id="panel-filter-kind" value={filter.kind ?? ''} onChange={(e) => set({ kind: (e.currentTarget.value || undefined) as PanelFilter['kind'] })}>
              <option value="">{t('filterAll')}</option>
              {choices.kinds.map((kind) => (
                <option key={kind} value={kind}>
                  {t(KIND_KEYS[kind])}
                </option>
              ))}
            </select>
          </label>
          {/* Shown while it is on too: a new page with none stopped must not hide a filter that hides its rows. */}
          {(choices.stopped > 0 || filter.stopped) && (
            <label class="checkbox">
              <input type="checkbox" id="panel-filter-stopped" checked={filter.stopped ?? false} onChange={(e) => set({ stopped: e.currentTarget.checked || undefined })} />
              {t('panelFilterStopped', { count: choices.stopped })}
            </label>
          )}
          <label>
            {t('filterSearch')}
            <input type="search" id="panel-filter-search" placeholder={t('panelSearchPlaceholder')} value={filter.search ?? ''} onInput={(e) => set({ search: e.currentTarget.value || undefined })} />
          </label>
          <button type="button" class="button button--quiet" id="panel-filter-reset" onClick={() => setFilter({})}>
            {t('filterReset')}
          </button>
        </form>
        <p class="explain" aria-live="polite" id="panel-count" data-shown={shownRequests} data-total={total}>
          {t('panelShown', { shown: shownRequests, total })}
        </p>
        <WorkerNote shown={shown.some((row) => row.type === 'request' && row.worker)} />
        {total === 0 ? (
          <p class="empty">{t('panelNoRequests')}</p>
        ) : shownRequests === 0 ? (
          <p class="empty">{t('panelNoMatch')}</p>
        ) : (
          <>
            <div class="prow prow--head" aria-hidden="true">
              <span>{t('columnTime')}</span>
              <span>{t('columnAddress')}</span>
              <span>{t('columnParty')}</span>
              <span>{t('columnKind')}</span>
              <span>{t('columnConsentThen')}</span>
              <span>{t('columnVerdict')}</span>
            </div>
            <VirtualList items={shown} rowHeight={ROW_HEIGHT} height={420} label={t('visitRequests')} follow rowKey={(row, i) => `${row.type}-${row.at}-${i}`} renderRow={(row) => <Row row={row} startedAt={state.startedAt} text={text} />} />
          </>
        )}
      </section>
    </main>
  );
}

function Row({ row, startedAt, text }: { row: PanelRow; startedAt: number; text: ReturnType<typeof timelineText> }) {
  const { t } = useTranslator();
  if (row.type === 'consent') {
    const label = `${text.consentLabel(timelineConsent(row.change, startedAt))}: ${consentChoices(row.change, t)}`;
    return (
      <div class="prow prow--consent" data-row="consent" data-consent-source={row.change.source} data-consent-signal={row.change.signal}>
        <span>{text.seconds(row.at)}</span>
        <span title={label}>{t('panelConsentRow', { text: label })}</span>
      </div>
    );
  }
  const consent = row.consent ? `${text.consentLabel(timelineConsent(row.consent, startedAt))}: ${consentChoices(row.consent, t)}` : t('panelNoChoiceYet');
  return (
    <div class={`prow${isViolation(row.verdict) ? ' prow--violation' : ''}`} data-row="request" data-entry={row.entryId ?? 'unnamed'} data-kind={row.kind ?? 'none'} data-verdict={row.verdict ?? 'none'} data-stopped={row.stopped || undefined} data-worker={row.worker || undefined}>
      <span>{text.seconds(row.at)}</span>
      <span class="prow__address" title={row.url}>
        <RequestTags stopped={row.stopped} worker={row.worker} />
        {row.url}
      </span>
      <span title={row.company ?? undefined}>{row.entryId ? shortProduct(row.entryId) : `${t('notNamed')}${row.company ? `: ${row.company}` : ''}`}</span>
      <span>{row.kind ? t(KIND_KEYS[row.kind]) : '—'}</span>
      <span title={consent}>{consent}</span>
      <span>{row.verdict ? <Chip tone={`verdict-${VERDICT_KEYS[row.verdict].tone}`}>{t(VERDICT_KEYS[row.verdict].label)}</Chip> : '—'}</span>
    </div>
  );
}
