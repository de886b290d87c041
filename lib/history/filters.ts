import { catalog as defaultCatalog, type Catalog, type PromiseId } from '../catalog';
import { isViolation, type Verdict } from '../consent/judge';
import type { Visit } from '../db/schema';

export interface HistoryFilter {
  /** Calendar dates (YYYY-MM-DD) in the user's time zone, both included. */
  from?: string;
  to?: string;
  /** A company as the catalog names it ("Meta Platforms Ireland Limited"). */
  company?: string;
  /** A verdict, or any violation (before or against the choice). */
  verdict?: Verdict | 'violation';
  /** Words to find in the page address or a tracker's name. */
  search?: string;
  /** Visits that broke this promise of the privacy policy, or any of them. */
  promise?: PromiseId | 'any';
}

/** The promises a visit broke, as its log row says (rows written before promises were judged have none). */
export function brokenPromises(visit: Visit): PromiseId[] {
  const statuses = visit.summary?.promises ?? {};
  return (Object.keys(statuses) as PromiseId[]).filter((id) => statuses[id] === 'broken');
}

/** The visits that match every filter given, newest first. */
export function filterVisits(visits: Visit[], filter: HistoryFilter, catalog: Catalog = defaultCatalog): Visit[] {
  const from = filter.from ? localMidnight(filter.from) : -Infinity;
  const to = filter.to ? localMidnight(filter.to) + 86_400_000 : Infinity;
  const companyEntries = filter.company ? new Set(catalog.entries.filter((e) => e.company === filter.company).map((e) => e.id)) : null;
  const words = (filter.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return visits
    .filter((visit) => {
      if (visit.startedAt < from || visit.startedAt >= to) return false;
      const trackers = Object.entries(visit.summary?.trackers ?? {}) as [string, Verdict][];
      if (companyEntries && !trackers.some(([id]) => companyEntries.has(id as never))) return false;
      if (filter.verdict) {
        const relevant = companyEntries ? trackers.filter(([id]) => companyEntries.has(id as never)) : trackers;
        const wanted = filter.verdict === 'violation' ? relevant.some(([, v]) => isViolation(v)) : relevant.some(([, v]) => v === filter.verdict);
        if (!wanted) return false;
      }
      if (filter.promise) {
        const broken = brokenPromises(visit);
        if (filter.promise === 'any' ? broken.length === 0 : !broken.includes(filter.promise)) return false;
      }
      if (words.length) {
        const haystack = [visit.url, ...trackers.map(([id]) => catalog.entries.find((e) => e.id === id)?.product ?? id)].join(' ').toLowerCase();
        if (!words.every((w) => haystack.includes(w))) return false;
      }
      return true;
    })
    .sort((a, b) => b.startedAt - a.startedAt);
}

function localMidnight(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day).getTime();
}
