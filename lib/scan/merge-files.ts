import { readFile } from 'node:fs/promises';
import { mergeReports, parseReport, type MergeProblem, type Report } from '../report';
import { SetupError } from './run';

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
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) throw new SetupError(`${file} cannot be read: is the path right?`);
    const parsed = parseReport(text);
    if (!parsed.ok) throw new SetupError(`${file} is not a report this tool can merge (${parsed.problem.code}${'values' in parsed.problem ? `: ${JSON.stringify(parsed.problem.values)}` : ''}).`);
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
