import { writeFile } from 'node:fs/promises';
import { pickLanguage } from '../i18n';
import { provideBundledMessages } from '../i18n/bundled';
import { hasViolation, reportToHtml } from '../report';
import { USAGE, parseScanArgs, type ScanOptions } from './args';
import { formatScan } from './format';
import { judgeHarFile } from './har-file';
import { mergeFiles } from './merge-files';
import { SetupError, runScan, scanTool, type ScanResult } from './run';

// `npm run scan -- …`: support staff and CI replay visits through the real extension.
// The reports it writes say their evidence in the extension's words, from the same files.
provideBundledMessages();
const parsed = parseScanArgs(process.argv.slice(2));
if (!parsed.ok) {
  process.stderr.write(`scan: ${parsed.message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (parsed.options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const options = parsed.options;
const progress = (line: string) => process.stderr.write(`${line}\n`);
try {
  const { report, demo, skipped, failed, problem } = await run(options);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  // In the language of the terminal, like other command-line tools; personal data left out.
  const language = pickLanguage(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG);
  // Both paths were checked before the scan; a file that still cannot be written (a full disk) is said
  // after the report is printed, so a long scan is never lost to it.
  const unwritten: string[] = [];
  const write = (path: string | undefined, what: string, text: () => string) =>
    path === undefined ? undefined : writeFile(path, text()).catch((error: Error) => void unwritten.push(`could not write the ${what} to ${path}: ${error.message}`));
  await write(options.out, 'JSON report', () => json);
  await write(options.html, 'HTML report', () => reportToHtml(report, { language }));
  process.stdout.write(options.json ? json : `${formatScan(report, { demo, skipped, failed })}\n`);
  // Written out first: a shard's report is still worth keeping when a page of it did not load.
  for (const line of [...unwritten, ...(problem ? [problem] : [])]) process.stderr.write(`scan: ${line}\n`);
  if (problem || unwritten.length) process.exit(2);
  // The demo shop breaks the rules on purpose; only a real scan fails on a violation.
  process.exit(!demo && hasViolation(report) ? 1 : 0);
} catch (error) {
  const message = error instanceof SetupError ? error.message : `unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`scan: ${message}\n`);
  process.exit(2);
}

/** The three ways in: pages visited by the extension, a HAR file judged, shard reports merged. */
async function run(options: ScanOptions): Promise<ScanResult & { problem: string | null }> {
  const none = { demo: false, skipped: [], failed: [] };
  if (options.merge) {
    const { report, problem } = await mergeFiles(options.files, progress);
    return { ...none, report, problem };
  }
  if (options.har !== undefined) return { ...none, report: await judgeHarFile(options.har, scanTool()), problem: null };
  const result = await runScan(options, progress);
  const problem = result.failed.length ? `${result.failed.length} ${result.failed.length === 1 ? 'page' : 'pages'} did not load (${result.failed.map((f) => f.url).join(', ')}): ${result.failed[0]!.reason}` : null;
  return { ...result, problem };
}

