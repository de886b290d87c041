import { catalog as defaultCatalog, type Catalog, type CatalogEntry, type ConsentCategory, type EntryId } from '../catalog';
import type { Language } from '../i18n';
import { activeEntries, type TabState } from '../observe/tab-state';

export interface EntryView {
  id: EntryId;
  product: string;
  category: ConsentCategory;
  role: CatalogEntry['role'];
  requests: number;
  cookies: { name: string; alreadyThere: boolean }[];
  via: string[];
  purpose: string;
  policyName: string;
  /** The policy's own Dutch sentence, and in English our summary of it. */
  policyQuote: string;
  policySummary: string | null;
  note: string | null;
}

export interface CompanyView {
  company: string;
  entries: EntryView[];
}

export interface TabSummary {
  url: string;
  companies: CompanyView[];
  unlisted: { host: string; requests: number }[];
  unlistedOverflow: number;
}

/**
 * What the popup shows for a tab, grouped by company because a GDPR request goes to a company.
 * Companies and their entries keep the catalog's order, so the list does not jump as requests arrive.
 */
export function summariseTab(state: TabState, language: Language, catalog: Catalog = defaultCatalog): TabSummary {
  const active = new Set(activeEntries(state));
  const companies: CompanyView[] = [];
  for (const entry of catalog.entries) {
    const activity = state.entries[entry.id];
    if (!active.has(entry.id) || !activity) continue;
    const cookies = [
      ...activity.cookiesSet.map((name) => ({ name, alreadyThere: false })),
      ...activity.cookiesPresent.filter((name) => !activity.cookiesSet.includes(name)).map((name) => ({ name, alreadyThere: true })),
    ];
    const view: EntryView = {
      id: entry.id,
      product: entry.product,
      category: entry.category,
      role: entry.role,
      requests: activity.requests,
      cookies,
      via: activity.via,
      purpose: entry.purpose[language],
      policyName: entry.policyName,
      policyQuote: entry.policy.quote,
      policySummary: language === 'nl' ? null : entry.policy.summaryEn,
      note: entry.note?.[language] ?? null,
    };
    const group = companies.find((c) => c.company === entry.company);
    if (group) group.entries.push(view);
    else companies.push({ company: entry.company, entries: [view] });
  }
  const unlisted = Object.entries(state.unlisted)
    .map(([host, requests]) => ({ host, requests }))
    .sort((a, b) => b.requests - a.requests || a.host.localeCompare(b.host));
  return { url: state.url, companies, unlisted, unlistedOverflow: state.unlistedOverflow };
}
