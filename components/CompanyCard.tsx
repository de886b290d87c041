import type { CompanyView, EntryView } from '@/lib/view/tab-summary';
import { Chip } from './Chip';
import { EntryVerdict } from './Verdict';
import { useTranslator } from './i18n';

export function CompanyCard({ company }: { company: CompanyView }) {
  return (
    <li class="company" data-company={company.company}>
      <h3 class="company__name">{company.company}</h3>
      <ul class="company__entries">
        {company.entries.map((entry, index) => (
          // What server-side tagging means is said once per company, at its first relayed product.
          <EntryRow key={entry.id} entry={entry} company={company.company} explainRelays={index === company.entries.findIndex((e) => e.relays.length > 0)} />
        ))}
      </ul>
    </li>
  );
}

/** Server-side tagging: which hosts passed the vendor's own requests on, and what that means. */
function Relays({ entry, company, explain }: { entry: EntryView; company: string; explain: boolean }) {
  const { t } = useTranslator();
  if (entry.relays.length === 0) return null;
  const hosts = (party: 'shop' | 'other') => entry.relays.filter((r) => r.party === party).map((r) => r.host);
  return (
    <div class="entry__relays" data-relays={entry.relays.map((r) => r.host).join(' ')}>
      {(['shop', 'other'] as const).map(
        (party) => hosts(party).length > 0 && <p key={party} class="entry__relay">{t(party === 'shop' ? 'relayShop' : 'relayOther', { hosts: hosts(party).join(', ') })}</p>,
      )}
      {explain && <p class="entry__relay-explain">{t('relayExplain', { company })}</p>}
    </div>
  );
}

/**
 * Requests the page made that never left the browser (a content blocker, the browser's own tracking
 * protection, the network): still the page's doing, and judged so, but the company got nothing of them.
 */
function Stopped({ entry, company }: { entry: EntryView; company: string }) {
  const { t } = useTranslator();
  if (entry.stopped === 0) return null;
  const key = entry.stopped >= entry.requests ? 'stoppedAll' : entry.stopped === 1 ? 'stopped_one' : 'stopped_other';
  return (
    <p class="entry__stopped" data-stopped={entry.stopped}>
      {t(key, { count: entry.stopped, total: entry.requests, company })}
    </p>
  );
}

function EntryRow({ entry, company, explainRelays }: { entry: EntryView; company: string; explainRelays: boolean }) {
  const { t, plural } = useTranslator();
  return (
    // The id is what a promise's evidence links to ("see: Meta Pixel").
    <li class="entry" id={`entry-${entry.id}`} data-entry={entry.id}>
      <div class="entry__head">
        <span class="entry__product">{entry.product}</span>
        <span class="entry__requests" data-requests={entry.requests}>
          {plural('requests', entry.requests)}
        </span>
      </div>
      <div class="entry__chips">
        <Chip tone={`category-${entry.category}`}>{t(`category_${entry.category}` as 'category_necessary')}</Chip>
        <Chip tone="role" title={t(entry.role === 'processor' ? 'roleHelp_processor' : 'roleHelp_thirdParty')}>
          {t(entry.role === 'processor' ? 'role_processor' : 'role_thirdParty')}
        </Chip>
        {entry.via.length > 0 && <span class="entry__via">{t('viaPartners', { partners: entry.via.join(', ') })}</span>}
      </div>
      <Relays entry={entry} company={company} explain={explainRelays} />
      <EntryVerdict entry={entry} />
      <Stopped entry={entry} company={company} />
      <p class="entry__purpose">{entry.purpose}</p>
      <p class="entry__cookies">
        <span class="label">{t('cookiesLabel')}: </span>
        {entry.cookies.length === 0
          ? t('cookiesNone')
          : entry.cookies.map((cookie, index) => (
              <span key={cookie.name}>
                {index > 0 && ', '}
                <code class="cookie" data-cookie={cookie.name}>
                  {cookie.alreadyThere ? t('cookiePresentBefore', { name: cookie.name }) : cookie.name}
                </code>
              </span>
            ))}
      </p>
      <details class="entry__policy">
        <summary>{t('policySays')}</summary>
        <blockquote lang="nl">{entry.policyQuote}</blockquote>
        {entry.policySummary && <p class="entry__summary">{entry.policySummary}</p>}
        {entry.policyName !== entry.product && <p class="entry__policy-name">{t('policyNameNote', { name: entry.policyName })}</p>}
        {entry.note && <p class="entry__note">{entry.note}</p>}
      </details>
    </li>
  );
}
