import { writeFile } from 'node:fs/promises';
import { pickLanguage } from '../i18n';
import { hasViolation, reportToHtml } from '../report';
import { USAGE, parseScanArgs } from './args';
import { formatScan } from './format';
import { SetupError, runScan } from './run';

// `npm run scan -- …`: support staff and CI replay visits through the real extension.
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
try {
  const { report, demo, skipped } = await runScan(options, (line) => process.stderr.write(`${line}\n`));
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (options.out) await writeFile(options.out, json);
  // In the language of the terminal, like other command-line tools; personal data left out.
  const language = pickLanguage(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG);
  if (options.html) await writeFile(options.html, reportToHtml(report, { language })).catch((error: Error) => {
    throw new SetupError(`could not write the HTML report to ${options.html}: ${error.message}`);
  });
  process.stdout.write(options.json ? json : `${formatScan(report, { demo, skipped })}\n`);
  // The demo shop breaks the rules on purpose; only a real scan fails on a violation.
  process.exit(!demo && hasViolation(report) ? 1 : 0);
} catch (error) {
  const message = error instanceof SetupError ? error.message : `unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`scan: ${message}\n`);
  process.exit(2);
}
