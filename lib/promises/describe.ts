import { catalog as defaultCatalog, getEntry, type Catalog, type EntryId } from '../catalog';
import type { Translator, MessageKey } from '../i18n';
import { requestTitle } from '../requests/titles';
import type { PromiseCode, PromiseFacts } from './facts';

/** The locale key of a sentence of evidence: `promise_<code>`, dashes as underscores. */
export const evidenceKey = (code: PromiseCode) => `promise_${code.replace(/-/g, '_')}` as MessageKey;

/** "Meta Pixel", not "Meta Pixel (Facebook)": the short name reads better inside a sentence. */
const product = (entry: EntryId) => getEntry(entry).product.split(' (')[0]!;

const sourceKey = (source: string) => `source_${source.replace(/-(\w)/g, (_all, c: string) => c.toUpperCase())}` as MessageKey;

/**
 * The one line of evidence of a judged promise, in the translator's language, from its facts. The
 * popup, the history, the report (English), the scan and the letters all say it through here. Requests
 * stopped before they were sent are left out of what a company received, and said so after it.
 */
export function describeEvidence(facts: PromiseFacts, t: Translator, catalog: Catalog = defaultCatalog): string {
  const said = sentence(facts, t, catalog);
  const stopped = 'stopped' in facts ? facts.stopped : undefined;
  return stopped ? `${said} ${t.plural('promiseStopped', stopped)}` : said;
}

function sentence(facts: PromiseFacts, t: Translator, catalog: Catalog): string {
  const list = (items: string[]) => new Intl.ListFormat(t.language === 'nl' ? 'nl-NL' : 'en-GB', { type: 'conjunction' }).format(items);
  const category = (name: string) => t.t(`category_${name}` as MessageKey).toLowerCase();
  const key = evidenceKey(facts.code);
  switch (facts.code) {
    case 'identifiers-no-hits':
    case 'events-none':
    case 'invitation-none':
      return t.t(key, { product: product(facts.entry) });
    case 'identifiers-absent':
      return t.t(key, { product: product(facts.entry), hits: facts.hits });
    case 'identifiers-sent':
      return t.t(key, { product: product(facts.entry), hits: facts.hits, identifying: facts.identifying, params: list(facts.params) });
    case 'events-allowed':
    case 'events-other':
      return t.t(key, { product: product(facts.entry), events: list(facts.events.map((e) => (e.count > 1 ? `${e.name} (${t.formatNumber(e.count)}×)` : e.name))) });
    case 'events-personal':
      return t.t(key, { product: product(facts.entry), params: list(facts.params) });
    case 'events-other-and-personal':
      return t.t(key, { product: product(facts.entry), events: list(facts.events.map((e) => (e.count > 1 ? `${e.name} (${t.formatNumber(e.count)}×)` : e.name))), params: list(facts.params) });
    case 'invitation-with-consent':
    case 'invitation-before-consent':
    case 'invitation-against-consent':
    case 'invitation-consent-unknown':
    case 'invitation-verdict-not-kept':
      return t.t(key, { product: product(facts.entry), data: list(facts.data.map((d) => t.t(d === 'email' ? 'promiseData_email' : 'promiseData_orderNumber'))), category: category(facts.category) });
    case 'consent-violations': {
      const before = facts.trackers.filter((v) => v.verdict === 'before-choice').map((v) => product(v.entry));
      const against = facts.trackers.filter((v) => v.verdict === 'against-choice').map((v) => product(v.entry));
      const parts = [...(before.length ? [t.t('promise_consent_before', { products: list(before) })] : []), ...(against.length ? [t.t('promise_consent_against', { products: list(against) })] : [])];
      return t.t(key, { what: parts.join('; ') });
    }
    case 'consent-unreadable':
      return t.t(key, { products: list(facts.entries.map(product)) });
    case 'consent-respected':
      return t.t(key, { count: facts.consented, source: t.t(sourceKey(facts.source)) });
    case 'consent-pings-only':
      return t.t(key, { products: list(facts.entries.map(product)) });
    case 'consent-nothing-optional':
    case 'no-processor-requests':
    case 'region-no-hosting':
    case 'all-named':
    case 'unnamed-not-watched':
    case 'answer-no-requests':
    case 'answer-not-known':
    case 'not-in-report':
      return t.t(key);
    case 'plain-http':
      return t.t(key, { products: list(facts.entries.map(product)), requests: facts.requests, host: facts.host });
    case 'all-encrypted':
      return t.t(key, { requests: facts.requests });
    case 'region-eu':
    case 'region-outside-eu': {
      const where = t.t(facts.from === 'header' ? 'promiseRegionFromHeader' : 'promiseRegionFromHost', { host: facts.host ?? '' });
      const sentence = t.t(key, { region: facts.region, place: regionPlace(facts.region, t.language, catalog), where });
      return facts.edge ? `${sentence} ${t.t('promiseEdge', { edge: facts.edge })}` : sentence;
    }
    case 'region-unknown':
      return facts.edge ? `${t.t(key)} ${t.t('promiseEdge', { edge: facts.edge })}` : t.t(key);
    case 'unnamed-parties': {
      const hosts = [...facts.hosts, ...(facts.more ? [t.t('promiseMoreHosts', { count: facts.more })] : [])];
      const sentence = t.t(key, { hosts: list(hosts) });
      return facts.banner ? `${sentence} ${t.t('promiseUnnamedBanner', { host: facts.banner })}` : sentence;
    }
    case 'answer-overdue': {
      const sentence = t.t(key, { type: lowerFirst(requestTitle(facts.type, t.language)), sent: t.formatCalendarDate(facts.sent), due: t.formatCalendarDate(facts.due) });
      return facts.overdue > 1 ? `${sentence} ${t.t('promiseMoreOverdue', { count: facts.overdue - 1 })}` : sentence;
    }
    case 'answer-given':
      return t.t(key, { count: facts.answered });
    case 'answer-pending':
      return t.t(key, { type: lowerFirst(requestTitle(facts.type, t.language)), due: t.formatCalendarDate(facts.due) });
  }
}

/** Where an AWS region is, in words; the code itself for a region the data does not list. */
export function regionPlace(region: string, language: 'nl' | 'en', catalog: Catalog = defaultCatalog): string {
  for (const { rule } of catalog.promises) if (rule.kind === 'storage-region' && rule.regions[region]) return rule.regions[region]!.place[language];
  return region;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
