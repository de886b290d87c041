import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport, type PageReport, type Report } from '../../lib/report';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { GZIPPED_SITEMAP_PAGES, SITEMAP_PAGES } from '../fixtures/shop/site-files';
import { runScanCli } from './scan-cli';

const SHOP = 'https://www.mijnliefsteboek.nl';
const INDEX = `${SHOP}/sitemap_index.xml`;
const SITE = [...SITEMAP_PAGES, ...GZIPPED_SITEMAP_PAGES];
/** The consent banner each page of the site shows a first-time visitor (none on the test pages). */
const OWN_BANNER: Record<string, string> = { '/cmp/didomi/meta-ignores-refusal': 'didomi', '/test/aws': 'none', '/test/google-analytics': 'none', '/test/meta-pixel': 'none' };
const path = (page: PageReport) => new URL(page.url).pathname;
const PROGRESS = /^\[(\d+)\/(\d+) · (\d+\.\d) pages\/min · (about \d+ (s|min \d+ s) left|done)\] (\S+)/;

function report(stdout: string): Report {
  const parsed = parseReport(stdout);
  if (!parsed.ok) throw new Error(`no report: ${JSON.stringify(parsed.problem)}\n${stdout.slice(0, 500)}`);
  return parsed.report;
}

describe('whole-site scans', () => {
  let shop: FixtureShop;
  let network: string[];
  let dir: string;
  let whole: Report;
  beforeAll(async () => {
    shop = await startFixtureShop();
    network = ['--map-all', `127.0.0.1:${shop.port}`, '--insecure'];
    dir = await mkdtemp(join(tmpdir(), 'privacy-lens-site-'));
  });
  afterAll(async () => {
    await shop?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('scans every page a sitemap index lists, plain and gzipped, two at a time, each a first visit: no choice reaches another page', async () => {
    const result = await runScanCli(['--sitemap', INDEX, ...network, '--consent', 'reject-all', '--concurrency', '2', '--json']);
    expect(result.code, result.stderr).toBe(1);
    whole = report(result.stdout);
    expect(whole.pages.map(path)).toEqual(SITE);
    expect(whole.pages.map((p) => p.position)).toEqual(SITE.map((_, i) => i));
    expect(whole.site).toEqual({ source: 'sitemap', start: INDEX, urls: SITE.length, consent: 'reject-all', shards: [], failed: [] });
    // Each page answered its own banner, or had none: a choice carried from another page (the same browser
    // before it, or the other browser beside it) would show as a record here.
    for (const page of whole.pages) {
      const banner = OWN_BANNER[path(page)] ?? 'cookie-information';
      expect(page.consent.source, path(page)).toBe(banner);
      if (banner !== 'none') expect(page.consent.denied, path(page)).toEqual(expect.arrayContaining(['statistics', 'marketing']));
    }
    expect(result.stderr).not.toContain('already answered');
    expect(result.stderr.match(/consent banner: answered \(reject-all\)/g)).toHaveLength(SITE.length - 3);
    // Progress on stderr: the count, the rate and the time left, for every page, the last one done.
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('['));
    expect(lines).toHaveLength(SITE.length);
    for (const [i, line] of lines.entries()) {
      expect(line).toMatch(PROGRESS);
      expect(Number(PROGRESS.exec(line)![1])).toBe(i + 1);
    }
    expect(lines.at(-1)).toContain('· done]');
    expect(result.stderr).toContain(`Sitemap ${INDEX}: ${SITE.length} pages in 3 files.`);
    // The summary across pages: who was where, and where first.
    const meta = whole.summary!.trackers.find((t) => t.id === 'meta-pixel')!;
    expect(meta).toMatchObject({ firstPage: `${SHOP}/`, firstViolation: `${SHOP}/` });
    expect(meta.pages).toBe(whole.pages.filter((p) => p.trackers.some((t) => t.id === 'meta-pixel')).length);
    expect(whole.summary!.trackers.find((t) => t.id === 'adyen')).toMatchObject({ pages: 1, violations: 0, firstPage: `${SHOP}/checkout`, firstViolation: null });
  });

  it('crawls same-site links breadth first as robots.txt allows, and sends no form', async () => {
    shop.clearRequests();
    const result = await runScanCli(['--crawl', '10', `${SHOP}/`, ...network, '--json']);
    const crawled = report(result.stdout);
    // Every shop page links the home page, the privacy policy and the checkout; robots.txt keeps the checkout out.
    expect(crawled.pages.map(path)).toEqual(['/', '/over/privacybeleid']);
    expect(crawled.site).toMatchObject({ source: 'crawl', start: `${SHOP}/`, urls: 2 });
    expect(result.stderr).toContain(`${SHOP}/checkout: robots.txt disallows it`);
    const shopRequests = shop.requests.filter((r) => r.host === 'www.mijnliefsteboek.nl');
    expect(shopRequests.filter((r) => r.path === '/checkout')).toEqual([]);
    expect(shopRequests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    expect(shopRequests.some((r) => r.path === '/robots.txt')).toBe(true);
  });

  it('splits the pages into shards CI machines scan apart, and merges their reports into the whole site', async () => {
    const files = [1, 2].map((i) => join(dir, `shard-${i}.json`));
    // The matrix's two machines, at the same time.
    const shards = await Promise.all([1, 2].map((i) => runScanCli(['--sitemap', INDEX, ...network, '--consent', 'reject-all', '--shard', `${i}/2`, '--json', '--out', files[i - 1]!])));
    const parts = shards.map((s) => report(s.stdout));
    const [a, b] = parts.map((p) => p.pages.map(path));
    expect(a!.filter((p) => b!.includes(p))).toEqual([]);
    expect([...a!, ...b!].sort()).toEqual([...SITE].sort());
    expect(Math.abs(a!.length - b!.length)).toBeLessThanOrEqual(1);
    expect(parts.map((p) => p.site!.shards)).toEqual([[{ index: 1, count: 2 }], [{ index: 2, count: 2 }]]);
    expect(shards[0]!.stderr).toContain(`Shard 1/2: ${a!.length} of the ${SITE.length} pages.`);

    const merged = await runScanCli(['--merge', files[1]!, files[0]!, '--json', '--out', join(dir, 'site.json')]);
    expect(merged.code).toBe(1);
    const site = report(merged.stdout);
    expect(site.pages.map(path)).toEqual(SITE);
    expect(site.site).toEqual({ source: 'sitemap', start: INDEX, urls: SITE.length, consent: 'reject-all', shards: [{ index: 1, count: 2 }, { index: 2, count: 2 }], failed: [] });
    // The same site, scanned in one go or in two shards: the same summary, page for page the same trackers and the
    // same violations. (Which violation can differ between two visits: on the eager home page Meta's last hit
    // races the banner's answer, before-choice one time, against-choice the next.)
    expect(site.summary).toEqual(whole.summary);
    const broke = (page: PageReport) => page.trackers.map((t) => `${t.id}:${t.verdict === 'before-choice' || t.verdict === 'against-choice' ? 'violation' : t.verdict}`);
    for (const [i, page] of site.pages.entries()) expect(broke(page), path(page)).toEqual(broke(whole.pages[i]!));

    const table = await runScanCli(['--merge', ...files]);
    expect(table.stdout).toMatch(/Across 9 pages \(sitemap https:\/\/www\.mijnliefsteboek\.nl\/sitemap_index\.xml, shards 1\/2 2\/2\): \d+ with a tracker before or against the choice/);
    const missing = await runScanCli(['--merge', files[0]!, '--out', join(dir, 'partial.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard 2/2 is missing: the merged report does not cover the whole site');
  });
});
