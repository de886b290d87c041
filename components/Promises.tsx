import { getEntry } from '@/lib/catalog';
import type { MessageKey } from '@/lib/i18n';
import { describeEvidence, type PromiseStatus } from '@/lib/promises';
import type { PromiseView } from '@/lib/view/tab-summary';
import { Chip } from './Chip';
import { useTranslator } from './i18n';

const STATUS: Record<PromiseStatus, { label: MessageKey; tone: string }> = {
  broken: { label: 'promiseStatus_broken', tone: 'verdict-violation' },
  kept: { label: 'promiseStatus_kept', tone: 'verdict-ok' },
  unknown: { label: 'promiseStatus_unknown', tone: 'verdict-unknown' },
};

/**
 * The privacy policy's promises, each kept, broken or "cannot tell" in words and colour, with one line
 * of evidence and the policy's own sentence on demand. `linked`: the evidence links to the trackers'
 * rows and the list of unnamed parties on the same page (the popup); a page showing several visits
 * (an imported report) has no such rows to point at. `headingLevel`: 2 in the popup, 3 in a visit.
 * `alsoLabelledBy`: an element naming the visit, so that a report's sections of several visits do not
 * all announce the same "Promises" landmark.
 */
export function Promises({
  promises,
  linked = false,
  headingLevel = 2,
  idPrefix = 'promises',
  alsoLabelledBy,
}: {
  promises: PromiseView[];
  linked?: boolean;
  headingLevel?: 2 | 3;
  idPrefix?: string;
  alsoLabelledBy?: string;
}) {
  const { t } = useTranslator();
  if (promises.length === 0) return null;
  const count = (status: PromiseStatus) => promises.filter((p) => p.status === status).length;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="promises" aria-labelledby={alsoLabelledBy ? `${idPrefix}-heading ${alsoLabelledBy}` : `${idPrefix}-heading`}>
      <Heading id={`${idPrefix}-heading`}>{t('promisesHeading')}</Heading>
      <p class="explain">{t('promisesExplain')}</p>
      <p class="promises__counts" data-promise-counts={`${count('broken')}/${count('kept')}/${count('unknown')}`}>
        {t('promisesCounts', { broken: count('broken'), kept: count('kept'), unknown: count('unknown') })}
      </p>
      <ul class="promises__list">
        {promises.map((view) => (
          <PromiseRow key={view.id} view={view} linked={linked} />
        ))}
      </ul>
    </section>
  );
}

function PromiseRow({ view, linked }: { view: PromiseView; linked: boolean }) {
  const translator = useTranslator();
  const { t } = translator;
  const status = STATUS[view.status];
  return (
    <li class={`promise promise--${view.status}`} data-promise={view.id} data-status={view.status} data-evidence={view.facts?.code ?? 'report'}>
      <div class="promise__head">
        <span class="promise__title">{view.title}</span>
        <Chip tone={status.tone}>{t(status.label)}</Chip>
      </div>
      {view.facts ? (
        <p class="promise__evidence">{describeEvidence(view.facts, translator)}</p>
      ) : (
        // An imported report's own words (it keeps the evidence as an English sentence): marked as English.
        <p class="promise__evidence" lang="en">
          {view.reportEvidence}
        </p>
      )}
      {view.fromReport && <p class="promise__note">{t('promiseFromReport')}</p>}
      {linked && view.links && (
        <p class="promise__links">
          {t('promiseSee')}{' '}
          {view.links === 'unlisted' ? (
            <a href="#unlisted-heading">{t('promiseSeeUnlisted')}</a>
          ) : (
            view.links.map((entry, i) => (
              <span key={entry}>
                {i > 0 && ', '}
                <a href={`#entry-${entry}`}>{getEntry(entry).product.split(' (')[0]}</a>
              </span>
            ))
          )}
        </p>
      )}
      <details class="promise__quote">
        <summary>{t('promiseQuote')}</summary>
        <blockquote lang="nl">{view.quote}</blockquote>
        {view.rendering && (
          <p class="promise__rendering">
            {t('promiseRendering')} <span lang="en">{view.rendering}</span>
          </p>
        )}
        <p class="promise__section">{t('promiseWhere', { section: view.section })}</p>
      </details>
    </li>
  );
}
