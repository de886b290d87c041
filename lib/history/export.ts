import { catalog, CATALOG_VERSION } from '../catalog';
import type { Stance } from '../consent/stance';
import type { LogDatabase, Visit } from '../db/schema';
import { visitsObservations } from '../db/packs';
import { reportOfVisits, reportToCsv, visitFromLog, type Report } from '../report';

/** Visits whose requests an export reads at once: packs shared by neighbouring visits are read once. */
const EXPORT_READ_STEP = 100;

/** The chosen visits as one report, every request included, optionally without personal data. */
export async function exportVisits(
  db: LogDatabase,
  visits: Visit[],
  options: { stance: Stance | null; redact: boolean; tool: { name: string; version: string }; environment?: Report['environment'] },
): Promise<Report> {
  const records = [];
  for (let start = 0; start < visits.length; start += EXPORT_READ_STEP) {
    const step = visits.slice(start, start + EXPORT_READ_STEP);
    const requests = await visitsObservations(db, step.map((visit) => visit.id));
    for (const visit of step) records.push(await visitFromLog(db, visit, requests.get(visit.id)));
  }
  return reportOfVisits(records, { ...options, catalogVersion: CATALOG_VERSION });
}

export function exportCsv(report: Report): string {
  return reportToCsv(report, Object.fromEntries(catalog.entries.map((e) => [e.id, e.company])));
}
