import { catalog, CATALOG_VERSION } from '../catalog';
import type { Stance } from '../consent/stance';
import type { LogDatabase, Visit } from '../db/schema';
import { reportOfVisits, reportToCsv, visitFromLog, type Report } from '../report';

/** The chosen visits as one report, every request included, optionally without personal data. */
export async function exportVisits(
  db: LogDatabase,
  visits: Visit[],
  options: { stance: Stance | null; redact: boolean; tool: { name: string; version: string }; environment?: Report['environment'] },
): Promise<Report> {
  const records = [];
  for (const visit of visits) records.push(await visitFromLog(db, visit));
  return reportOfVisits(records, { ...options, catalogVersion: CATALOG_VERSION });
}

export function exportCsv(report: Report): string {
  return reportToCsv(report, Object.fromEntries(catalog.entries.map((e) => [e.id, e.company])));
}
