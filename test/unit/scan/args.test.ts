import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostRulesFor, parseScanArgs } from '@/lib/scan/args';

describe('scan arguments', () => {
  it('defaults to the demo shop', () => {
    const parsed = parseScanArgs([]);
    expect(parsed).toMatchObject({ ok: true, options: { urls: [], json: false, insecure: false, settleMs: 1000, browser: 'chromium', consent: 'reject-all' } });
    expect(parseScanArgs(['https://www.mijnliefsteboek.nl/'])).toMatchObject({ ok: true, options: { consent: 'none' } });
    expect(parseScanArgs(['--consent', 'accept-all'])).toMatchObject({ ok: true, options: { consent: 'accept-all' } });
  });

  it('reads URLs and every option', () => {
    const parsed = parseScanArgs([
      'https://staging.mijnliefsteboek.nl/',
      '--json',
      '--out=report.json',
      '--resolve', 'www.mijnliefsteboek.nl=10.1.2.3:8443',
      '--resolve=www.googletagmanager.com=[::1]:443',
      '--map-all', '127.0.0.1:9000',
      '--insecure',
      '--settle', '250',
    ]);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.options).toMatchObject({ urls: ['https://staging.mijnliefsteboek.nl/'], json: true, out: 'report.json', insecure: true, settleMs: 250, mapAll: '127.0.0.1:9000' });
    expect(hostRulesFor(parsed.options)).toEqual(['MAP www.mijnliefsteboek.nl 10.1.2.3:8443', 'MAP www.googletagmanager.com [::1]:443', 'MAP * 127.0.0.1:9000']);
  });

  it.each([
    [['--colour'], 'unknown option --colour'],
    [['--out'], '--out needs a value'],
    [['--out', '--json'], '--out needs a value'],
    [['--json=yes'], '--json takes no value'],
    [['ftp://www.mijnliefsteboek.nl/'], 'URL 1: only http:// and https:// URLs can be scanned'],
    [['www.mijnliefsteboek.nl'], 'URL 1: not a URL (include https://)'],
    [['--map-all', 'localhost'], '--map-all: expected ADDR:PORT, for example 127.0.0.1:8443'],
    [['--map-all', '127.0.0.1:99999'], '--map-all: the port must be 65535 or lower'],
    [['--resolve', 'www.mijnliefsteboek.nl'], 'expected HOST=ADDR:PORT'],
    [['--resolve', 'www.mijnliefsteboek.nl=nowhere'], '--resolve www.mijnliefsteboek.nl=nowhere: expected ADDR:PORT, for example 127.0.0.1:8443'],
    [['--browser', 'safari'], '--browser: expected chromium or firefox'],
    [['--settle', 'soon'], '--settle: expected milliseconds from 0 to 60000, for example 1000'],
    [['--settle', '1.5'], '--settle: expected milliseconds from 0 to 60000'],
    [['--settle', '60001'], '--settle: expected milliseconds from 0 to 60000'],
    // An empty value (`--settle "$UNSET"` in a script) is no 0, nor is hexadecimal 16.
    [['--settle='], '--settle: expected milliseconds'],
    [['--settle', ' '], '--settle: expected milliseconds'],
    [['--settle', '0x10'], '--settle: expected milliseconds'],
    [['--consent', 'maybe'], '--consent: expected accept-all, reject-all or none'],
  ])('%j → a clear message', (argv, message) => {
    const parsed = parseScanArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });

  it('takes --html with a file name in a folder that exists, and says what is wrong with any other', () => {
    const folder = mkdtempSync(join(tmpdir(), 'scan-html-'));
    expect(parseScanArgs(['--html', join(folder, 'report.html')])).toMatchObject({ ok: true, options: { html: join(folder, 'report.html') } });
    expect(parseScanArgs([`--html=${join(folder, 'Report.HTM')}`])).toMatchObject({ ok: true });
    const cases: [string[], string][] = [
      [['--html'], '--html needs a value'],
      [['--html', join(folder, 'report.json')], `--html: ${join(folder, 'report.json')}: give a file name ending in .html, for example report.html`],
      [['--html', join(folder, 'nowhere', 'report.html')], `--html: the folder ${join(folder, 'nowhere')} does not exist: create it first, or choose another place`],
      [['--html', join(folder, 'x.html', '..', 'y.html', 'z.html')], '--html: the folder'],
    ];
    for (const [argv, message] of cases) {
      const parsed = parseScanArgs(argv);
      expect(parsed.ok, argv.join(' ')).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain(message);
    }
    const dir = join(folder, 'out.html');
    mkdirSync(dir);
    expect(parseScanArgs(['--html', dir])).toEqual({ ok: false, message: `--html: ${dir} is a folder: give a file name, for example ${dir}/report.html` });
  });

  it('checks --out before the scan as it checks --html: a file, in a folder that exists', () => {
    const folder = mkdtempSync(join(tmpdir(), 'scan-out-'));
    expect(parseScanArgs(['--out', join(folder, 'site.json')])).toMatchObject({ ok: true, options: { out: join(folder, 'site.json') } });
    expect(parseScanArgs(['--out', folder])).toEqual({ ok: false, message: `--out: ${folder} is a folder: give a file name, for example ${folder}/report.json` });
    expect(parseScanArgs(['--out', join(folder, 'nowhere', 'site.json')])).toEqual({ ok: false, message: `--out: the folder ${join(folder, 'nowhere')} does not exist: create it first, or choose another place` });
    expect(parseScanArgs(['--out='])).toEqual({ ok: false, message: '--out: give a file name, for example report.json' });
  });

  it('reads the whole-site flags and the two file modes', () => {
    expect(parseScanArgs(['--sitemap', 'https://www.mijnliefsteboek.nl/sitemap_index.xml', '--concurrency', '4', '--shard', '2/3'])).toMatchObject({
      ok: true,
      options: { urls: [], sitemap: 'https://www.mijnliefsteboek.nl/sitemap_index.xml', concurrency: 4, shard: { index: 2, count: 3 }, consent: 'none' },
    });
    expect(parseScanArgs(['--crawl', '25', 'https://www.mijnliefsteboek.nl/'])).toMatchObject({ ok: true, options: { crawl: 25, urls: ['https://www.mijnliefsteboek.nl/'], concurrency: 1 } });
    expect(parseScanArgs(['--har', 'capture.har', '--json'])).toMatchObject({ ok: true, options: { har: 'capture.har', json: true } });
    expect(parseScanArgs(['--merge', 'a.json', 'b.json', '--out', 'site.json'])).toMatchObject({ ok: true, options: { merge: true, files: ['a.json', 'b.json'], urls: [], out: 'site.json' } });
    // The demo tour can be run in parallel and in shards too.
    expect(parseScanArgs(['--concurrency', '2', '--shard', '1/2'])).toMatchObject({ ok: true, options: { urls: [], consent: 'reject-all' } });
  });

  it.each([
    [['--shard', '3/2'], '--shard: I must be between 1 and N, for example 2/4'],
    [['--shard', '0/2'], '--shard: I must be between 1 and N'],
    [['--shard', 'two'], '--shard: expected I/N, for example 2/4'],
    [['--concurrency', '9'], '--concurrency: expected a number from 1 to 8'],
    [['--concurrency', 'many'], '--concurrency: expected a number from 1 to 8'],
    [['--concurrency='], '--concurrency: expected a number from 1 to 8'],
    [['--crawl', '0', 'https://www.mijnliefsteboek.nl/'], '--crawl: expected a number of pages from 1 to 10000'],
    [['--crawl', '99999', 'https://www.mijnliefsteboek.nl/'], '--crawl: expected a number of pages from 1 to 10000'],
    [Array.from({ length: 501 }, (_, i) => `https://www.mijnliefsteboek.nl/p${i}`), 'URLs: at most 500 URLs in one scan: for a whole site, use --sitemap or --crawl'],
    [['--merge', ...Array.from({ length: 1001 }, (_, i) => `s${i}.json`)], '--merge: at most 1000 reports in one merge'],
    [['--har', 'customer.har', '--out', 'customer.har'], '--out would write over customer.har, which this command reads: choose another file'],
    [['--merge', 'a.json', 'b.json', '--out', './b.json'], '--out would write over b.json, which this command reads'],
    [['--har', 'customer.html', '--html', 'customer.html'], '--html would write over customer.html'],
    [['--out', 'both.html', '--html', 'both.html'], '--html names the same file as --out: give each report a file of its own'],
    [['--crawl', '10'], '--crawl needs the one URL to start from'],
    [['--crawl', '10', 'https://a.example/', 'https://b.example/'], '--crawl needs the one URL to start from'],
    [['--sitemap', 'sitemap.xml'], '--sitemap: not a URL (include https://)'],
    [['--sitemap', 'https://www.mijnliefsteboek.nl/sitemap.xml', '--crawl', '5', 'https://www.mijnliefsteboek.nl/'], '--crawl cannot go with --sitemap'],
    [['--sitemap', 'https://www.mijnliefsteboek.nl/sitemap.xml', 'https://www.mijnliefsteboek.nl/'], '--sitemap takes the sitemap as its value'],
    [['--har', 'a.har', 'https://www.mijnliefsteboek.nl/'], '--har judges a file'],
    [['--har', 'a.har', '--merge', 'b.json'], '--har judges a file'],
    [['--merge'], '--merge needs the report files to combine'],
    [['--merge', 'a.json', '--shard', '1/2'], '--merge takes report files'],
  ])('%j → a clear message', (argv, message) => {
    const parsed = parseScanArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });

  it('never throws on any words (fuzzed)', () => {
    const word = fc.oneof(fc.string(), fc.constantFrom('--json', '--out', '--html', 'x.html', 'a\u0000.html', '--resolve', '--map-all', '--settle', '--browser', '--insecure', '-h', '=', '--sitemap', '--crawl', '--concurrency', '--shard', '--har', '--merge', '1/2'), fc.webUrl());
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (argv) => {
        const parsed = parseScanArgs(argv);
        if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
