import { mergeReports, parseReport, type ImportProblem, type MergeProblem, type Report } from '../report';
import { MAX_REPORT_BYTES } from '../report/import';
import { readInputFile } from './input-file';
import { SetupError } from './run';

/** The scan's sentence for a file that is not a report it can read (the history page says the same in its language). */
export function reportProblemText(path: string, problem: ImportProblem): string {
  switch (problem.code) {
    case 'too-large':
      return `${path} is larger than ${problem.values.megabytes} MB: that is not a report of this extension.`;
    case 'not-json':
      return `${path} is cut off or not JSON: save the report again (from the history page, or --out of a scan).`;
    case 'not-a-report':
      return `${path} is not a Privacy Lens report. A HAR file is judged with --har ${path}.`;
    case 'newer-version':
      return `${path} is a report of version ${problem.values.version}, newer than this tool can read: update it (git pull, npm ci).`;
    case 'older-version':
      return `${path} is a report of version ${problem.values.version}, older than this tool can read: scan again, or export it again from an up-to-date extension.`;
    case 'invalid':
      return `${path} is not a valid report at ${problem.values.where}: ${problem.values.problem}.`;
  }
}

/** The scan's sentence for a merge problem. */
export function mergeProblemText(problem: MergeProblem): string {
  switch (problem.code) {
    case 'catalog-differs':
      return `the reports were made with different catalogs (${problem.values.versions.join(', ')}): their verdicts may not compare.`;
    case 'different-sites':
      return `the reports come from different scans (${problem.values.starts.join('; ')}).`;
    case 'missing-shards':
      return `shard${problem.values.missing.length === 1 ? '' : 's'} ${problem.values.missing.map((i) => `${i}/${problem.values.count}`).join(', ')} ${problem.values.missing.length === 1 ? 'is' : 'are'} missing: the merged report does not cover the whole site.`;
  }
}

/**
 * `npm run scan -- --merge a.json b.json …`: shard reports read like any imported report (a broken file
 * is named), merged, with what would make the merge wrong said. A missing shard is a problem (exit 2);
 * different catalogs, scans or a page scanned twice are warnings.
 */
export async function mergeFiles(files: readonly string[], warn: (line: string) => void): Promise<{ report: Report; problem: string | null }> {
  const reports: Report[] = [];
  for (const file of files) {
    const text = await readInputFile(file, MAX_REPORT_BYTES, () => reportProblemText(file, { code: 'too-large', values: { megabytes: Math.round(MAX_REPORT_BYTES / 1024 / 1024) } }));
    const parsed = parseReport(text);
    if (!parsed.ok) throw new SetupError(reportProblemText(file, parsed.problem));
    reports.push(parsed.report);
  }
  const { report, problems, duplicates } = mergeReports(reports);
  for (const url of duplicates) warn(`scan: ${url} is in more than one report; kept once.`);
  let problem: string | null = null;
  for (const p of problems) {
    if (p.code === 'missing-shards') problem = mergeProblemText(p);
    else warn(`scan: warning: ${mergeProblemText(p)}`);
  }
  return { report, problem };
}
