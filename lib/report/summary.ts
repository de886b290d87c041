import type { EntryId } from '../catalog/vocabulary';
import { isViolation } from '../consent/judge';
import type { PageReport, Report, SiteScan, SiteSummary } from './schema';
import { compareText } from '../order';

/**
 * Who was active across a site's pages: per tracker the pages it was active on, the pages on which it
 * broke the choice, and the first of each in the site's order (the pages' `position`, else as given).
 */
export function summariseSite(pages: readonly PageReport[]): SiteSummary {
  const ordered = inSiteOrder(pages);
  const trackers = new Map<EntryId, SiteSummary['trackers'][number]>();
  const unlisted = new Map<string, SiteSummary['unlisted'][number]>();
  let pagesWithViolations = 0;
  for (const page of ordered) {
    let violated = false;
    for (const tracker of page.trackers) {
      const summary = trackers.get(tracker.id) ?? { id: tracker.id, company: tracker.company, pages: 0, violations: 0, firstPage: page.url, firstViolation: null };
      trackers.set(tracker.id, summary);
      summary.pages++;
      if (isViolation(tracker.verdict)) {
        summary.violations++;
        summary.firstViolation ??= page.url;
        violated = true;
      }
    }
    if (violated) pagesWithViolations++;
    for (const { host } of page.unlisted) {
      const summary = unlisted.get(host) ?? { host, pages: 0, firstPage: page.url };
      unlisted.set(host, summary);
      summary.pages++;
    }
  }
  return {
    pages: ordered.length,
    pagesWithViolations,
    trackers: [...trackers.values()].sort((a, b) => b.violations - a.violations || b.pages - a.pages || compareText(a.id, b.id)),
    unlisted: [...unlisted.values()].sort((a, b) => b.pages - a.pages || compareText(a.host, b.host)),
  };
}

/** Pages by their place in the site's URL list; pages without one keep their order after those with one. */
export function inSiteOrder(pages: readonly PageReport[]): PageReport[] {
  return pages
    .map((page, index) => ({ page, index }))
    .sort((a, b) => (a.page.position ?? Infinity) - (b.page.position ?? Infinity) || a.index - b.index)
    .map(({ page }) => page);
}

export type MergeProblem =
  | { code: 'catalog-differs'; values: { versions: string[] } }
  | { code: 'different-sites'; values: { starts: string[] } }
  | { code: 'missing-shards'; values: { missing: number[]; count: number } };

/**
 * Shard reports of one site scan as one report: the pages in the site's order (a page two shards both
 * scanned is kept once), the shards it now holds, and the summary across them all. What would make the
 * result wrong (a different catalog, another site, a missing shard) is said, never silently passed.
 */
export function mergeReports(reports: readonly Report[], now = Date.now()): { report: Report; problems: MergeProblem[]; duplicates: string[] } {
  const problems: MergeProblem[] = [];
  const versions = [...new Set(reports.map((r) => r.catalogVersion))];
  if (versions.length > 1) problems.push({ code: 'catalog-differs', values: { versions } });
  const sites = reports.flatMap((r) => (r.site ? [r.site] : []));
  const starts = [...new Set(sites.map((s) => `${s.source} ${s.start ?? ''}`.trim()))];
  if (starts.length > 1) problems.push({ code: 'different-sites', values: { starts } });
  const shards = [...new Map(sites.flatMap((s) => s.shards).map((s) => [`${s.index}/${s.count}`, s])).values()].sort((a, b) => a.count - b.count || a.index - b.index);
  const count = shards[0]?.count;
  if (count !== undefined) {
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !shards.some((s) => s.index === i && s.count === count));
    if (missing.length) problems.push({ code: 'missing-shards', values: { missing, count } });
  }
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const pages = inSiteOrder(reports.flatMap((r) => r.pages)).filter((page) => {
    if (!seen.has(page.url)) return seen.add(page.url);
    duplicates.push(page.url);
    return false;
  });
  const first = reports[0]!;
  const site: SiteScan | undefined = sites[0] && { ...sites[0], urls: Math.max(...sites.map((s) => s.urls)), shards, failed: sites.flatMap((s) => s.failed) };
  return {
    report: {
      schemaVersion: first.schemaVersion,
      generatedAt: new Date(now).toISOString(),
      tool: first.tool,
      catalogVersion: first.catalogVersion,
      // Redacted only when every part was: a report that says so is not redacted again (the HTML report, an import).
      redacted: reports.every((r) => r.redacted),
      pages,
      ...(site ? { site } : {}),
      summary: summariseSite(pages),
    },
    problems,
    duplicates,
  };
}
