import { catalog, getPromise, type EntryId } from '@/lib/catalog';
import { brokenPromises } from '@/lib/history/filters';
import { isViolation, type Verdict } from '@/lib/consent/judge';
import type { Visit } from '@/lib/db/schema';
import { Chip } from '../Chip';
import { useTranslator } from '../i18n';
import { VERDICT_KEYS, consentText } from '../verdicts';
import { VirtualList } from '../VirtualList';

export const VISIT_ROW_HEIGHT = 76;
const SHOWN_VIOLATIONS = 2;

/** The timeline: one row per visit, newest first, only the rows in view rendered. */
export function VisitList({ visits, onOpen }: { visits: Visit[]; onOpen(visit: Visit): void }) {
  const { t, plural, formatDateTime, formatNumber, language } = useTranslator();
  if (visits.length === 0) return <p class="empty">{t('visitsNone')}</p>;
  return (
    <VirtualList
      items={visits}
      rowHeight={VISIT_ROW_HEIGHT}
      height={560}
      label={plural('visitsShown', visits.length)}
      rowKey={(visit) => visit.id}
      renderRow={(visit) => {
        const trackers = Object.entries(visit.summary?.trackers ?? {}) as [EntryId, Verdict][];
        const violations = trackers.filter(([, v]) => isViolation(v));
        const consent = visit.summary?.consent;
        const broken = brokenPromises(visit);
        return (
          <button type="button" class={`visit ${violations.length ? 'visit--violation' : ''}`} data-visit={visit.id} onClick={() => onOpen(visit)}>
            {/* The verb goes into the button's name as hidden text, not as an aria-label: a label would
                hide the row's visible words from speech input ("click 10 March…"), WCAG 2.5.3. */}
            <span class="visually-hidden">{t('visitOpen')}: </span>
            <span class="visit__when">{formatDateTime(visit.startedAt)}</span>
            <span class="visit__page">{pathOf(visit.url)}</span>
            <span class="visit__consent">{consentLine(consent, t)}</span>
            <span class="visit__trackers">
              {plural('visitTrackers', trackers.length)}
              {/* Two chips and a count: the promises column beside them leaves room for no more. */}
              {violations.slice(0, SHOWN_VIOLATIONS).map(([id, verdict]) => (
                <Chip key={id} tone={`verdict-${VERDICT_KEYS[verdict].tone}`}>
                  {catalog.entries.find((e) => e.id === id)?.product.split(' (')[0]}: {t(VERDICT_KEYS[verdict].label)}
                </Chip>
              ))}
              {violations.length > SHOWN_VIOLATIONS && <span> +{formatNumber(violations.length - SHOWN_VIOLATIONS)}</span>}
              {/* Here, not beside the address: there it left the address no room to tell the pages apart.
                  Last, so the verdicts before it stay whole; a space for the row's name as read aloud. */}
              {visit.shownAgain && ' '}
              {visit.shownAgain && <span class="visit__again" data-shown-again>· {t('visitShownAgain')}</span>}
            </span>
            {/* The promises column: how many the visit broke, and which. Rows from before promises were judged have none. */}
            {visit.summary?.promises && (
              <span class="visit__promises" data-broken-promises={broken.join(' ')}>
                {broken.length > 0 ? <Chip tone="verdict-violation">{plural('visitPromisesBroken', broken.length)}</Chip> : <Chip tone="verdict-ok">{t('visitPromisesNoneBroken')}</Chip>}
                {broken.length > 0 && <span class="visit__promise-names">{broken.map((id) => getPromise(id).title[language]).join(' · ')}</span>}
              </span>
            )}
          </button>
        );
      }}
    />
  );
}

function consentLine(consent: NonNullable<Visit['summary']>['consent'] | undefined, t: ReturnType<typeof useTranslator>['t']): string {
  return consent ? consentText(consent, t) : t('consentNoChoice');
}

export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host + parsed.pathname;
  } catch {
    return url.slice(0, 80);
  }
}
