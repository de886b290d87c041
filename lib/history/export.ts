import { catalog, CATALOG_VERSION } from '../catalog';
import type { Stance } from '../consent/stance';
import type { LogDatabase, Visit } from '../db/schema';
import { buildReport, pageReport, redactReport, reportToCsv, visitFromLog, type Report } from '../report';

/** The chosen visits as one report, every request included, optionally without personal data. */
export async function exportVisits(
  db: LogDatabase,
  visits: Visit[],
  options: { stance: Stance | null; redact: boolean; tool: { name: string; version: string }; environment?: Report['environment'] },
): Promise<Report> {
  const pages = [];
  for (const visit of [...visits].sort((a, b) => a.startedAt - b.startedAt)) pages.push(pageReport(await visitFromLog(db, visit), options.stance));
  const report = buildReport(pages, options.tool, { catalogVersion: CATALOG_VERSION, environment: options.environment });
  return options.redact ? redactReport(report) : report;
}

export function exportCsv(report: Report): string {
  return reportToCsv(report, Object.fromEntries(catalog.entries.map((e) => [e.id, e.company])));
}
