import '../parse/english-issues';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as z from 'zod/mini';
import type { ResolveRule } from './resolving-proxy';
import { MAX_SITE_PAGES } from './sitemap';

export const USAGE = `Usage: npm run scan -- [URL ...] [options]
       npm run scan -- --sitemap URL | --crawl N URL [options]
       npm run scan -- --har FILE [--json] [--out FILE]
       npm run scan -- --merge REPORT.json ... [--json] [--out FILE]

Loads the real extension into a headless Chromium (or Firefox), visits each URL, waits for the page to settle
and prints what the extension saw. Without a URL it scans the bundled offline demo shop.

Options:
  --consent accept-all | reject-all | none
                         answer the consent banner (with DuckDuckGo's autoconsent rules) or leave
                         it unanswered; default none, reject-all for the demo shop
  --json                 print the report as JSON instead of a table
  --out FILE             also write the JSON report to FILE
  --html FILE.html       also write the report as one HTML file to share (the timeline of each page;
                         personal data left out; Dutch when LANG starts with nl, English otherwise)
  --resolve HOST=ADDR:PORT
                         send HOST to ADDR:PORT (repeatable), like curl --resolve; use it to scan a
                         staging copy of the shop under its real host names
  --map-all ADDR:PORT    send every host name to ADDR:PORT (a local copy that also plays the trackers)
  --insecure             accept a self-signed certificate (staging, local copies)
  --settle MS            how long to wait after the page's network is idle (default 1000)
  --browser chromium | firefox
                         the browser to drive (default chromium; firefox uses Debian's firefox-esr,
                         and --resolve / --map-all go through a local proxy there)
  -h, --help             show this help

Whole sites:
  --sitemap URL          scan every page a sitemap lists (a sitemap index and gzipped sitemaps too)
  --crawl N              scan up to N pages found from URL by following same-site links, breadth
                         first, as robots.txt allows (from the HTML the server sends: no script runs,
                         no form is submitted)
  --concurrency K        scan K pages at a time, each in a browser of its own, so no consent choice
                         carries from one page to another (default 1, at most 8)
  --shard I/N            scan only part I of N of the pages: every machine of a CI matrix finds the
                         same list and takes its own part; then --merge their reports
Files:
  --har FILE             judge a HAR file (Chromium's or Firefox's "Save all as HAR") instead of
                         visiting pages: the same judgement, and what a HAR cannot show is marked
  --merge                combine the reports named (the shards of one site scan) into one, with a
                         summary per tracker across the pages

Every page is visited as a first-time visitor: cookies and the shop's storage are cleared between
pages. The report follows lib/report/report.schema.json (the same format as the extension's exports).
Progress goes to stderr.

Exit codes: 0 no page has a tracker before or against the consent choice; 1 one does (the demo
shop always exits 0: it breaks the rules on purpose); 2 a usage or set-up problem, a page that did
not load, a file that is no HAR or report, or a shard missing from --merge (the message says what to do).`;

const MAX_URLS = 500;
const MAX_MERGED_FILES = 1000;

const AddressPort = z
  .string()
  .check(
    z.regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected ADDR:PORT, for example 127.0.0.1:8443'),
    z.refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65_535, 'the port must be 65535 or lower'),
  );

const WebUrl = z.string().check(
  z.superRefine((value, ctx) => {
    if (!URL.canParse(value)) ctx.addIssue({ code: 'custom', message: 'not a URL (include https://)' });
    else if (!/^https?:$/.test(new URL(value).protocol)) ctx.addIssue({ code: 'custom', message: 'only http:// and https:// URLs can be scanned' });
  }),
);

/**
 * Where a report goes (`--out`, `--html`), checked before the scan starts (a scan takes a while; a typo
 * in the path should not cost it): a file name, with `extension` when one is asked for, in a folder that
 * exists and can be written.
 */
const OutputPath = (example: string, extension?: RegExp) =>
  z.string().check(
    z.superRefine((value, ctx) => {
      const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
      if (value.trim() === '') return fail(`give a file name, for example ${example}`);
      if (extension && !extension.test(value)) return fail(`${value}: give a file name ending in ${example.slice(example.lastIndexOf('.'))}, for example ${example}`);
      const path = resolve(value);
      // A path the system cannot even look up (a NUL byte in it) is one that does not exist.
      const stat = (p: string) => {
        try {
          return statSync(p, { throwIfNoEntry: false });
        } catch {
          return undefined;
        }
      };
      if (stat(path)?.isDirectory()) return fail(`${value} is a folder: give a file name, for example ${value.replace(/\/?$/, `/${example}`)}`);
      const folder = dirname(path);
      if (!stat(folder)?.isDirectory()) return fail(`the folder ${folder} does not exist: create it first, or choose another place`);
      try {
        accessSync(folder, constants.W_OK);
      } catch {
        fail(`cannot write in the folder ${folder}: choose a folder you can write to`);
      }
    }),
  );

/**
 * A whole number from `min` to `max`, written in digits: not `z.coerce`, which reads an empty value
 * (`--settle=`, or `--settle "$UNSET"` in a CI script) as 0, and `0x10` as 16.
 */
const WholeNumber = (min: number, max: number, expected: string) =>
  z.pipe(
    z.string().check(z.regex(/^\s*\d{1,9}\s*$/, expected)),
    z.transform((value: string) => Number(value)),
  ).check(z.refine((n) => n >= min && n <= max, expected));

const Shard = z
  .pipe(
    z.string().check(z.regex(/^\d{1,4}\/\d{1,4}$/, 'expected I/N, for example 2/4')),
    z.transform((value: string) => ({ index: Number(value.split('/')[0]), count: Number(value.split('/')[1]) })),
  )
  .check(z.refine(({ index, count }) => index >= 1 && index <= count, 'I must be between 1 and N, for example 2/4'));

export const ScanOptions = z.strictObject({
  urls: z.array(WebUrl).check(z.maxLength(MAX_URLS, `at most ${MAX_URLS} URLs in one scan: for a whole site, use --sitemap or --crawl`)),
  json: z.boolean(),
  out: z.optional(OutputPath('report.json')),
  html: z.optional(OutputPath('report.html', /\.html?$/i)),
  resolve: z.array(
    z.pipe(
      z.string().check(z.regex(/^[A-Za-z0-9.-]+=.+$/, 'expected HOST=ADDR:PORT')),
      z.transform((value: string, ctx) => {
        const [host, target] = [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)];
        const parsed = AddressPort.safeParse(target);
        if (!parsed.success) {
          // zod/mini's transform gets the bare parse payload (no addIssue): the issue goes on its list
          // as classic's ctx.addIssue put it there.
          ctx.issues.push({ code: 'custom', message: `--resolve ${value}: ${parsed.error.issues[0]!.message}`, input: value });
          return z.NEVER;
        }
        return { host: host.toLowerCase(), target };
      }),
    ),
  ),
  mapAll: z.optional(AddressPort),
  insecure: z.boolean(),
  settleMs: WholeNumber(0, 60_000, 'expected milliseconds from 0 to 60000, for example 1000'),
  browser: z.enum(['chromium', 'firefox'], { error: 'expected chromium or firefox' }),
  consent: z.enum(['accept-all', 'reject-all', 'none'], { error: 'expected accept-all, reject-all or none' }),
  help: z.boolean(),
  // Whole sites and files (issue 17).
  sitemap: z.optional(WebUrl),
  crawl: z.optional(WholeNumber(1, MAX_SITE_PAGES, `expected a number of pages from 1 to ${MAX_SITE_PAGES}`)),
  concurrency: WholeNumber(1, 8, 'expected a number from 1 to 8'),
  shard: z.optional(Shard),
  har: z.optional(z.string().check(z.minLength(1))),
  merge: z.boolean(),
  files: z.array(z.string().check(z.minLength(1))).check(z.maxLength(MAX_MERGED_FILES, `at most ${MAX_MERGED_FILES} reports in one merge`)),
});
export type ScanOptions = z.infer<typeof ScanOptions>;

/** The ways to run the scan that cannot be combined, said as the flag's problem. */
function modeProblem(o: ScanOptions): { flag: string; message: string } | null {
  if (o.har !== undefined && (o.urls.length || o.sitemap || o.crawl || o.merge || o.shard)) return { flag: '--har', message: 'judges a file: leave out URLs, --sitemap, --crawl, --shard and --merge' };
  if (o.merge && (o.sitemap || o.crawl || o.shard)) return { flag: '--merge', message: 'takes report files: leave out --sitemap, --crawl and --shard' };
  if (o.merge && o.files.length === 0) return { flag: '--merge', message: 'needs the report files to combine, for example --merge shard-1.json shard-2.json' };
  if (o.sitemap && o.crawl) return { flag: '--crawl', message: 'cannot go with --sitemap: choose one way to find the pages' };
  if (o.sitemap && o.urls.length) return { flag: '--sitemap', message: 'takes the sitemap as its value: leave out other URLs' };
  if (o.crawl && o.urls.length !== 1) return { flag: '--crawl', message: 'needs the one URL to start from, for example --crawl 50 https://www.mijnliefsteboek.nl/' };
  // A report written over the file it was made from, or over the other report, loses that file.
  const reads = [...(o.har === undefined ? [] : [o.har]), ...o.files];
  for (const [flag, path] of [['--out', o.out], ['--html', o.html]] as const) {
    const read = path === undefined ? undefined : reads.find((input) => resolve(input) === resolve(path));
    if (read !== undefined) return { flag, message: `would write over ${read}, which this command reads: choose another file` };
  }
  if (o.out !== undefined && o.html !== undefined && resolve(o.out) === resolve(o.html)) return { flag: '--html', message: 'names the same file as --out: give each report a file of its own' };
  return null;
}

export type ParsedArgs = { ok: true; options: ScanOptions } | { ok: false; message: string };

const FLAGS: Record<string, keyof ScanOptions> = { '--json': 'json', '--insecure': 'insecure', '--help': 'help', '-h': 'help', '--merge': 'merge' };
const VALUED: Record<string, keyof ScanOptions> = {
  '--out': 'out',
  '--html': 'html',
  '--map-all': 'mapAll',
  '--settle': 'settleMs',
  '--browser': 'browser',
  '--consent': 'consent',
  '--sitemap': 'sitemap',
  '--crawl': 'crawl',
  '--concurrency': 'concurrency',
  '--shard': 'shard',
  '--har': 'har',
};

/** Command-line words → validated options, or a message that says what is wrong. Never throws. */
export function parseScanArgs(argv: readonly string[]): ParsedArgs {
  const raw: Record<string, unknown> = { urls: [], resolve: [], json: false, insecure: false, help: false, settleMs: '1000', browser: 'chromium', concurrency: '1', merge: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const [flag, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    if (flag in FLAGS) {
      if (inline !== undefined) return { ok: false, message: `${flag} takes no value` };
      raw[FLAGS[flag]!] = true;
    } else if (flag in VALUED || flag === '--resolve') {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) return { ok: false, message: `${flag} needs a value` };
      if (flag === '--resolve') (raw.resolve as string[]).push(value);
      else raw[VALUED[flag]!] = value;
    } else if (word.startsWith('-')) {
      return { ok: false, message: `unknown option ${word}` };
    } else {
      (raw.urls as string[]).push(word);
    }
  }
  // --merge names files, not pages.
  if (raw.merge === true) [raw.files, raw.urls] = [raw.urls, []];
  // The demo tour answers like a privacy-minded customer unless told otherwise.
  raw.consent ??= (raw.urls as string[]).length === 0 && raw.sitemap === undefined ? 'reject-all' : 'none';
  const parsed = ScanOptions.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${describePath(issue.path)}: ` : '';
    return { ok: false, message: `${where}${issue.message}` };
  }
  const mode = modeProblem(parsed.data);
  if (mode) return { ok: false, message: `${mode.flag} ${mode.message}` };
  return { ok: true, options: parsed.data };
}

function describePath(path: PropertyKey[]): string {
  const [key, index] = path;
  // Without an index the issue is the list's own (too long): its message names it.
  if (key === 'urls') return index === undefined ? 'URLs' : `URL ${String(Number(index) + 1)}`;
  if (key === 'files') return index === undefined ? '--merge' : `file ${String(Number(index) + 1)}`;
  const flag = Object.entries({ ...FLAGS, ...VALUED, '--resolve': 'resolve' }).find(([, name]) => name === key)?.[0];
  return flag ?? String(key);
}

/** The options' host mapping as rules for Firefox's resolving proxy: specific hosts, then the catch-all `*`. */
export function resolveRulesFor(options: Pick<ScanOptions, 'resolve' | 'mapAll'>): ResolveRule[] {
  return [...options.resolve, ...(options.mapAll ? [{ host: '*', target: options.mapAll }] : [])];
}

/** Chromium host-resolver rules for the options: specific hosts first, then the catch-all. */
export function hostRulesFor(options: Pick<ScanOptions, 'resolve' | 'mapAll'>): string[] {
  return [...options.resolve.map(({ host, target }) => `MAP ${host} ${target}`), ...(options.mapAll ? [`MAP * ${options.mapAll}`] : [])];
}
