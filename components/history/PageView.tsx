import { getEntry } from '@/lib/catalog';
import type { ConsentChange } from '@/lib/consent/model';
import type { PageReport } from '@/lib/report';
import { Chip } from '../Chip';
import { useTranslator } from '../i18n';
import { CATEGORY_KEYS, VERDICT_KEYS, consentText } from '../verdicts';
import { VirtualList } from '../VirtualList';

/**
 * One visit in full: the consent during it, every tracker with its verdict, the findings, and every
 * request in order. Used for the customer's own log and, read-only, for an imported report.
 */
export function PageView({ page, consentHistory }: { page: PageReport; consentHistory?: ConsentChange[] }) {
  const { t, formatDateTime, formatTime } = useTranslator();
  const { source } = page.consent;
  const recorded = source === 'none' ? null : { ...page.consent, source };
  return (
    <article class="pageview" data-page={page.url}>
      <p class="popup__url">{page.url}</p>
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
                    {tracker.company} · {tracker.requests}×
                  </small>
                </td>
                <td>{tracker.cookies.join(', ') || '—'}</td>
                <td>
                  <Chip tone={`verdict-${VERDICT_KEYS[tracker.verdict].tone}`}>{t(VERDICT_KEYS[tracker.verdict].label)}</Chip>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {page.unlisted.length > 0 && (
          <p>
            <strong>{t('unlistedHeading')}:</strong> {page.unlisted.map((u) => u.host).join(', ')}
          </p>
        )}
      </section>
      {page.findings.filter((f) => f.kind !== 'unlisted-third-party').length > 0 && (
        <section>
          <h3>{t('findingsHeading')}</h3>
          <ul class="findings-list">
            {page.findings
              .filter((f) => f.kind !== 'unlisted-third-party')
              .map((f, i) => (
                <li key={i} data-finding={f.kind}>
                  {describeReportFinding(f, t)}
                </li>
              ))}
          </ul>
        </section>
      )}
      {page.observations && page.observations.length > 0 && (
        <section>
          <h3>{t('visitRequests')}</h3>
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
              <div class="obs" data-observation={o.trackerId ?? 'unlisted'}>
                <span>{formatTime(Date.parse(o.at))}</span>
                <span>{o.trackerId ? getEntry(o.trackerId).product.split(' (')[0] : t('notNamed')}</span>
                <span class="obs__url" title={o.url}>
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

/** Verdict findings in the reader's language; the others keep the report's own English sentence. */
function describeReportFinding(finding: PageReport['findings'][number], t: ReturnType<typeof useTranslator>['t']): string {
  if (!finding.trackerId) return finding.detail;
  const product = getEntry(finding.trackerId).product;
  if (finding.kind === 'before-choice') return t('finding_beforeChoice', { product });
  if (finding.kind === 'against-choice') return t('finding_againstChoice', { product, category: t(CATEGORY_KEYS[getEntry(finding.trackerId).category]).toLowerCase() });
  return finding.detail;
}
