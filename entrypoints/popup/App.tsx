import type { Signal } from '@preact/signals';
import { CompanyCard } from '@/components/CompanyCard';
import { ConsentSummary } from '@/components/ConsentSummary';
import { Findings } from '@/components/Findings';
import { Promises } from '@/components/Promises';
import { HostAccessNotice } from '@/components/HostAccessNotice';
import { LogHealthNotice } from '@/components/LogHealthNotice';
import type { LogHealth } from '@/lib/db/health';
import { UnlistedList } from '@/components/UnlistedList';
import type { Stance } from '@/lib/consent/stance';
import { REQUEST_TYPES, type RequestType } from '@/lib/requests/types';
import { useTranslator } from '@/components/i18n';
import type { HostAccess } from '@/lib/view/host-access';
import type { PopupTab } from '@/lib/view/popup-source';
import type { RightsDigest } from '@/lib/requests/standing';
import { summariseTab } from '@/lib/view/tab-summary';

interface AppProps {
  tab: Signal<PopupTab>;
  health: Signal<LogHealth['state'] | null>;
  stance: Signal<Stance>;
  /** The customer's rights requests, for the promise of an answer within a month (null: not known yet). */
  rights: Signal<RightsDigest[] | null>;
  access: Signal<HostAccess>;
  /** True once the user granted host access from this popup: the open page must be reloaded. */
  accessGranted: Signal<boolean>;
  onGrantAccess(): void;
  onSetStance(): void;
  onRequest(type: RequestType): void;
  onHistory(): void;
  onReportProblem(tabId: number): void;
}

export function App({ tab, health, stance, rights, access, accessGranted, onGrantAccess, onSetStance, onRequest, onHistory, onReportProblem }: AppProps) {
  const { t, plural, language } = useTranslator();
  const current = tab.value;

  if (current.status === 'loading' || access.value === 'checking') {
    return <main class="popup" aria-busy="true"><p class="empty">{t('loading')}</p></main>;
  }
  const accessNotice = <HostAccessNotice access={access.value} onRequest={onGrantAccess} />;
  const grantedNote = accessGranted.value && access.value === 'granted' && (
    <p class="notice" role="status" data-host-access="granted">{t('hostAccessGranted')}</p>
  );
  // Without host access the browser hides the tab's address too, so "not the shop" could be wrong:
  // the notice alone says what is going on.
  if ((access.value === 'missing' || grantedNote) && current.status !== 'ready') {
    return (
      <main class="popup" data-view="no-access">
        <h1>{t('popupHeading')}</h1>
        {accessNotice}
        {grantedNote}
      </main>
    );
  }
  if (current.status === 'not-shop') {
    return (
      <main class="popup" data-view="not-shop">
        <h1>{t('notShopTitle')}</h1>
        <p>{t('notShopBody')}</p>
      </main>
    );
  }
  if (current.status === 'no-state') {
    return (
      <main class="popup" data-view="no-state">
        <h1>{t('popupHeading')}</h1>
        <p>{t('noStateBody')}</p>
      </main>
    );
  }

  const summary = summariseTab(current.state, language, stance.value, { rights: rights.value });
  return (
    <main class="popup" data-view="tab">
      <header class="popup__header">
        <h1>{t('popupHeading')}</h1>
        <p class="popup__page">
          <span class="label">{t('pageLabel')}: </span>
          <span class="popup__url" title={summary.url}>{displayUrl(summary.url)}</span>
        </p>
        {current.state.shownAgain && (
          <p class="notice" role="note" data-shown-again>
            {t('shownAgainNote')}
          </p>
        )}
        <p class="popup__counts" aria-live="polite">
          {plural('companiesActive', summary.companies.length)} · {plural('unlistedCount', summary.unlisted.length + summary.unlistedOverflow)}
        </p>
        {summary.violations > 0 && (
          <p class="popup__alert" role="alert" data-violations={summary.violations}>
            <span aria-hidden="true">⚠ </span>
            {plural('violationsSummary', summary.violations)}
            <span class="popup__promise">
              {t('policyPromise')} <q lang="nl">{summary.consentPromise}</q>
            </span>
          </p>
        )}
      </header>
      {accessNotice}
      {grantedNote}
      <LogHealthNotice state={health.value} />
      <ConsentSummary now={summary.consent.now} bannerSeen={summary.consent.bannerSeen} from={summary.consent.from} banner={summary.consent.banner} onSetStance={onSetStance} />
      <Findings findings={summary.findings} />
      <Promises promises={summary.promises} linked />
      <section aria-labelledby="named-heading">
        <h2 id="named-heading">{t('namedHeading')}</h2>
        {summary.companies.length === 0 ? (
          <p class="empty">{t('namedEmpty')}</p>
        ) : (
          <ul class="companies">
            {summary.companies.map((company) => (
              <CompanyCard key={company.company} company={company} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="unlisted-heading" class="unlisted-section">
        <h2 id="unlisted-heading">{t('unlistedHeading')}</h2>
        <UnlistedList hosts={summary.unlisted} overflow={summary.unlistedOverflow} />
      </section>
      <section class="rights" aria-labelledby="rights-heading">
        <h2 id="rights-heading">{t('rightsHeading')}</h2>
        <p class="explain">{t('rightsExplain')}</p>
        <div class="rights__buttons">
          {REQUEST_TYPES.map((type) => (
            <button key={type} type="button" class="button button--quiet" data-request-type={type} onClick={() => onRequest(type)}>
              {t(`requestType_${type}`)}
            </button>
          ))}
        </div>
      </section>
      <p class="popup__links">
        <button type="button" class="link-button" id="open-history" onClick={onHistory}>
          {t('popupHistory')}
        </button>
        <button type="button" class="link-button" id="report-problem" onClick={() => onReportProblem(current.state.tabId)}>
          {t('popupReport')}
        </button>
      </p>
      <footer class="popup__footer">{t('liveNote')}</footer>
    </main>
  );
}

/** Host and path only: query strings can carry identifiers, and the popup is often screenshotted. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host + parsed.pathname;
  } catch {
    return url.slice(0, 80);
  }
}
