import { useMemo } from 'preact/hooks';
import { getEntry } from '@/lib/catalog';
import type { Finding } from '@/lib/consent/judge';
import type { ConsentChange } from '@/lib/consent/model';
import { judgeReportPage, type PageReport } from '@/lib/report';
import type { PromiseCheck } from '@/lib/promises';
import { promiseView } from '@/lib/view/tab-summary';
import { Promises } from '../Promises';
import { Chip } from '../Chip';
import { describeFinding } from '../Findings';
import { useTranslator } from '../i18n';
import { CATEGORY_KEYS, HAR_LIMIT_KEYS, VERDICT_KEYS, consentText } from '../verdicts';
import { reportFindingText, unlistedWho } from '@/lib/i18n/words';
import { VirtualList } from '../VirtualList';
import { RequestTags, WorkerNote } from '../RequestTags';
import { TimelineChart } from '../TimelineChart';
import { useId } from 'preact/hooks';
import { timelineOfPage } from '@/lib/timeline';

/**
 * One visit in full: the consent during it, every tracker with its verdict, the findings, and every
 * request in order. Used for the customer's own log and, read-only, for an imported report.
 * `findings`, for a visit of the customer's own log, are the judgement's own: they carry the facts
 * (cookie, category, personal data) that let every finding be said in the reader's language.
 */
export function PageView({
  page,
  consentHistory,
  findings,
  promises,
  imported,
  index = 0,
  visitLabel,
}: {
  page: PageReport;
  consentHistory?: ConsentChange[];
  findings?: Finding[];
  /** The customer's own visit: the promises as the log stored them, with their facts. */
  promises?: PromiseCheck[];
  /** Someone's report: its promises are judged again from the page's own requests. */
  imported?: { redacted: boolean; generatedAt: string };
  /** The page's place in a report, for ids that stay unique on a page showing several. */
  index?: number;
  /** The id of the element naming this visit among others (a report's "Visit 2 of 5"); else its address. */
  visitLabel?: string;
}) {
  const { t, formatDateTime, formatTime, formatNumber, language } = useTranslator();
  // Judging an imported page again reads all its requests: once per page and language, not per render.
  const redacted = imported?.redacted;
  const generatedAt = imported?.generatedAt;
  const promiseViews = useMemo(
    () =>
      promises
        ? promises.map((check) => promiseView(check, language))
        : generatedAt !== undefined
          ? judgeReportPage(page, { redacted: redacted ?? false, generatedAt }).map((judged) => promiseView(judged, language))
          : page.promises.map((p) => promiseView({ id: p.id, status: p.status, facts: null, reportEvidence: p.evidence, fromReport: true }, language)),
    [page, promises, redacted, generatedAt, language],
  );
  const { source } = page.consent;
  const chartId = `timeline-${useId()}`;
  // Each region's name ends with the visit's: a report shows several visits' sections.
  const urlId = `${chartId}-url`;
  const visitId = visitLabel ?? urlId;
  const timeline = useMemo(() => timelineOfPage(page, consentHistory), [page, consentHistory]);
  const recorded = source === 'none' ? null : { ...page.consent, source };
  // Unlisted hosts have their own line above.
  const shownFindings = findings
    ? findings.filter((f) => f.kind !== 'unlisted-third-party').map((f) => ({ kind: f.kind, text: describeFinding(f, t, formatTime), lang: undefined }))
    : page.findings.filter((f) => f.kind !== 'unlisted-third-party').map((f) => ({ kind: f.kind, ...reportFindingText(f, t) }));
  return (
    <article class="pageview" data-page={page.url}>
      <p class="popup__url" id={urlId}>
        {page.url}
      </p>
      <section>
        <h3>{t('visitConsentHistory')}</h3>
        {consentHistory && consentHistory.length > 0 ? (
          <ul class="consent-history">
            {consentHistory.map((change) => (
              <li key={`${change.at}-${change.receivedAt}`}>
                {formatDateTime(change.at)} · {consentText(change, t)}
              </li>
            ))}
          </ul>
        ) : recorded ? (
          <p>{consentText(recorded, t)}</p>
        ) : (
          <p>{t('visitConsentNone')}</p>
        )}
      </section>
      <section aria-labelledby={`${chartId}-heading ${visitId}`}>
        <h3 id={`${chartId}-heading`}>{t('timelineHeading')}</h3>
        <TimelineChart input={timeline} id={chartId} />
      </section>
      <section>
        <h3>{t('namedHeading')}</h3>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('columnTracker')}</th>
              <th scope="col">{t('cookiesLabel')}</th>
              <th scope="col">{t('columnVerdict')}</th>
            </tr>
          </thead>
          <tbody>
            {page.trackers.map((tracker) => (
              <tr key={tracker.id} data-entry={tracker.id} data-verdict={tracker.verdict}>
                <td>
                  {getEntry(tracker.id).product}
                  <br />
                  <small>
                    {tracker.company} · {formatNumber(tracker.requests)}×
                    {tracker.stopped ? <span data-stopped={tracker.stopped}> · {t('reportStopped', { count: tracker.stopped })}</span> : null}
                  </small>
                </td>
                <td>{tracker.cookies.join(', ') || '—'}</td>
                <td>
                  <Chip tone={`verdict-${VERDICT_KEYS[tracker.verdict].tone}`}>{t(VERDICT_KEYS[tracker.verdict].label)}</Chip>
                  {tracker.harLimits?.length ? (
                    <ul class="har-limits" aria-label={t('harLimitsLabel')} data-har-limits={tracker.harLimits.join(' ')}>
                      {tracker.harLimits.map((limit) => (
                        <li key={limit}>
                          <span aria-hidden="true">? </span>
                          {t(HAR_LIMIT_KEYS[limit])}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {page.unlisted.length > 0 && (
          <>
            <h4 class="pageview__unlisted-heading">{t('unlistedHeading')}</h4>
            <ul class="pageview__unlisted">
              {page.unlisted.map((u) => (
                <li key={u.host} data-host={u.host}>
                  <span class="unlisted__host">{u.host}</span> · {formatNumber(u.requests)}×{' '}
                  <span class="unlisted__who">{unlistedWho(u, language) ?? t('unlistedUnknown')}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <Promises promises={promiseViews} headingLevel={3} idPrefix={`page-${index}-promises`} alsoLabelledBy={visitId} />
      {shownFindings.length > 0 && (
        <section>
          <h3>{t('findingsHeading')}</h3>
          <ul class="findings-list">
            {shownFindings.map((f, i) => (
              <li key={i} data-finding={f.kind} lang={f.lang}>
                {f.text}
              </li>
            ))}
          </ul>
        </section>
      )}
      {page.observations && page.observations.length > 0 && (
        <section>
          <h3>{t('visitRequests')}</h3>
          <WorkerNote shown={page.observations.some((o) => o.worker)} />
          <div class="obs obs--head" aria-hidden="true">
            <span>{t('columnTime')}</span>
            <span>{t('columnTracker')}</span>
            <span>{t('columnAddress')}</span>
            <span>{t('columnVerdict')}</span>
          </div>
          <VirtualList
            items={page.observations}
            rowHeight={30}
            height={360}
            label={t('visitRequests')}
            rowKey={(_o, i) => String(i)}
            renderRow={(o) => (
              <div class="obs" data-observation={o.trackerId ?? 'unlisted'} data-stopped={o.stopped} data-worker={o.worker}>
                <span>{formatTime(Date.parse(o.at))}</span>
                <span>{o.trackerId ? getEntry(o.trackerId).product.split(' (')[0] : o.retiredEntry ? t('retiredEntry', { id: o.retiredEntry }) : t('notNamed')}</span>
                <span class="obs__url" title={o.url}>
                  <RequestTags stopped={o.stopped} worker={o.worker} />
                  {o.method} {o.url}
                </span>
                <span>{o.verdict ? t(VERDICT_KEYS[o.verdict].label) : '—'}</span>
              </div>
            )}
          />
        </section>
      )}
    </article>
  );
}
