import { CATALOG_VERSION } from '../catalog';
import { buildReport, type Report } from '../report';
import { judgeHar } from './judge';
import { MAX_HAR_BYTES, parseHar, tooLarge, type HarProblem } from './parse';

export type HarReportResult = { ok: true; report: Report } | { ok: false; problem: HarProblem };

/**
 * A HAR file's text as the one report: parsed, judged, and written like a scan's. The history page runs it
 * in a worker (a 200 MB file takes seconds), the scan command in Node.
 */
export function harReport(text: string, tool: Report['tool'], now = Date.now()): HarReportResult {
  const parsed = parseHar(text);
  if (!parsed.ok) return parsed;
  const judged = judgeHar(parsed.har);
  if (!judged.ok) return judged;
  return { ok: true, report: buildReport(judged.pages, tool, { catalogVersion: CATALOG_VERSION, now }) };
}

/** The same for a file the user picked; a file over the limit is refused before it is read. */
export async function harFileReport(file: Blob, tool: Report['tool']): Promise<HarReportResult> {
  if (file.size > MAX_HAR_BYTES) return { ok: false, problem: tooLarge() };
  return harReport(await file.text(), tool);
}
