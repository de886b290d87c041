import { CATALOG_VERSION } from '../catalog';
import { MAX_HAR_BYTES, judgeHar, parseHar, type HarProblem } from '../har';
import { buildReport, type Report } from '../report';
import { readInputFile } from './input-file';
import { SetupError } from './run';
import { provideBundledMessages } from '../i18n/bundled';

/** What a HAR file cannot show, said once under every page judged from one (the UI says the same in its language). */
export const HAR_CANNOT_SHOW =
  'A HAR holds the requests only. It cannot show the page’s own world: the banner on screen, the consent platform’s API, ' +
  'Consent Mode commands in the page (only their effect on Google’s hits), nor when a script wrote a cookie (only the next ' +
  'request that carried it). A choice counts once a request carries it; cookies set by script before the capture look like ' +
  'an earlier visit’s. Verdicts that rest on these are marked.';

export const HAR_LIMIT_WORDS: Record<string, string> = {
  'page-world': 'rests on what only the page knew: whether, or when, a choice was made (no request carried it in time), the banner on screen',
  'consent-mode-hits': 'the choice read from Consent Mode on Google’s hits, not from the page',
  'script-cookie': 'a cookie a script wrote, at a moment the HAR only bounds',
};

/** The scan's sentence for each problem a HAR file can have. */
export function harProblemText(path: string, problem: HarProblem): string {
  switch (problem.code) {
    case 'too-large':
      return `${path} is larger than ${problem.values.megabytes} MB. Save the HAR again without the responses' content, or of fewer pages.`;
    case 'empty':
      return `${path} is empty. Save the HAR again from the browser's network panel ("Save all as HAR").`;
    case 'truncated':
      return `${path} is cut off before its end: the HAR was not saved or sent completely. Ask for it again.`;
    case 'not-json':
      return `${path} is not a HAR file (it is not JSON). In the browser's network panel, use "Save all as HAR".`;
    case 'not-a-har':
      return `${path} is JSON but not a HAR file: it has no log.entries. A Privacy Lens report is read with --merge ${path}, or opened on the extension's "Open a report" tab.`;
    case 'unsupported-version':
      return `${path} is HAR version ${problem.values.version}; this tool reads versions 1.1 and 1.2.`;
    case 'invalid':
      return `${path} is not a valid HAR file at ${problem.values.where}: ${problem.values.problem}.`;
    case 'no-shop-pages':
      return `${path} holds no page of the shop: it was saved on another site, or after leaving the shop.`;
    case 'unreadable':
      return `${path} could not be read.`;
  }
}

/** `npm run scan -- --har FILE`: the HAR judged by lib/har, as the scan's report. */
export async function judgeHarFile(path: string, tool: Report['tool']): Promise<Report> {
  // The report's evidence is written in the extension's words: in Node they come with the bundle.
  provideBundledMessages();
  // Refused before reading: a file this large is not held in memory at all.
  const text = await readInputFile(path, MAX_HAR_BYTES, () => harProblemText(path, { code: 'too-large', values: { megabytes: Math.round(MAX_HAR_BYTES / 1024 / 1024) } }));
  const parsed = parseHar(text);
  if (!parsed.ok) throw new SetupError(harProblemText(path, parsed.problem));
  const judged = judgeHar(parsed.har);
  if (!judged.ok) throw new SetupError(harProblemText(path, judged.problem));
  return buildReport(judged.pages, tool, { catalogVersion: CATALOG_VERSION });
}
