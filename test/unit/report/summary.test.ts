import { describe, expect, it } from 'vitest';
import { CATALOG_VERSION } from '@/lib/catalog';
import { mergeReports, parseReport, reportToHtml, summariseSite, type PageReport, type Report, type TrackerReport } from '@/lib/report';

const SHOP = 'https://www.mijnliefsteboek.nl';
const tracker = (id: TrackerReport['id'], verdict: TrackerReport['verdict']): TrackerReport => ({ id, company: `${id} company`, category: 'marketing', requests: 1, cookies: [], verdict, relays: [], cookieEvidence: null });
const page = (path: string, position: number | undefined, trackers: TrackerReport[], unlisted: string[] = []): PageReport => ({
  url: `${SHOP}${path}`,
  visitedAt: '2026-11-30T10:00:00.000Z',
  consent: { source: 'none', decidedAt: null, granted: [], denied: [] },
  trackers,
  unlisted: unlisted.map((host) => ({ host, requests: 1, company: null, country: null, purpose: null })),
  findings: [],
  promises: [],
  ...(position === undefined ? {} : { position }),
});
const shardReport = (index: number, count: number, pages: PageReport[], catalogVersion = CATALOG_VERSION): Report => ({
  schemaVersion: 1,
  generatedAt: '2026-11-30T10:05:00.000Z',
  tool: { name: 'mijnliefsteboek-privacy-lens', version: '0.1.0' },
  catalogVersion,
  redacted: false,
  pages,
  site: { source: 'sitemap', start: `${SHOP}/sitemap_index.xml`, urls: 4, consent: 'reject-all', shards: [{ index, count }], failed: [] },
});

describe('a site’s summary', () => {
  it('counts per tracker the pages it was active on and broke the choice on, and names the first of each in the site’s order', () => {
    const pages = [
      page('/checkout', 2, [tracker('adyen', 'necessary'), tracker('meta-pixel', 'against-choice')]),
      page('/', 0, [tracker('meta-pixel', 'consented'), tracker('google-analytics', 'before-choice')], ['static.hotjar.com']),
      page('/over', 1, [tracker('meta-pixel', 'before-choice')], ['static.hotjar.com', 'www.clarity.ms']),
    ];
    expect(summariseSite(pages)).toEqual({
      pages: 3,
      pagesWithViolations: 3,
      trackers: [
        { id: 'meta-pixel', company: 'meta-pixel company', pages: 3, violations: 2, firstPage: `${SHOP}/`, firstViolation: `${SHOP}/over` },
        { id: 'google-analytics', company: 'google-analytics company', pages: 1, violations: 1, firstPage: `${SHOP}/`, firstViolation: `${SHOP}/` },
        { id: 'adyen', company: 'adyen company', pages: 1, violations: 0, firstPage: `${SHOP}/checkout`, firstViolation: null },
      ],
      unlisted: [
        { host: 'static.hotjar.com', pages: 2, firstPage: `${SHOP}/` },
        { host: 'www.clarity.ms', pages: 1, firstPage: `${SHOP}/over` },
      ],
    });
  });
});

describe('merging shard reports', () => {
  it('puts the pages back in the site’s order, lists every shard, summarises them all, and the result imports', () => {
    const a = shardReport(1, 2, [page('/', 0, [tracker('meta-pixel', 'before-choice')]), page('/checkout', 3, [tracker('adyen', 'necessary')])]);
    const b = shardReport(2, 2, [page('/over', 1, []), page('/consent/tcf', 2, [tracker('meta-pixel', 'against-choice')])]);
    const { report, problems, duplicates } = mergeReports([b, a], Date.parse('2026-11-30T11:00:00Z'));
    expect(problems).toEqual([]);
    expect(duplicates).toEqual([]);
    expect(report.pages.map((p) => p.url)).toEqual(['/', '/over', '/consent/tcf', '/checkout'].map((p) => `${SHOP}${p}`));
    expect(report.site).toEqual({ source: 'sitemap', start: `${SHOP}/sitemap_index.xml`, urls: 4, consent: 'reject-all', shards: [{ index: 1, count: 2 }, { index: 2, count: 2 }], failed: [] });
    expect(report.summary?.trackers[0]).toEqual({ id: 'meta-pixel', company: 'meta-pixel company', pages: 2, violations: 2, firstPage: `${SHOP}/`, firstViolation: `${SHOP}/` });
    const parsed = parseReport(JSON.stringify(report));
    expect(parsed.ok).toBe(true);
  });

  it('says when a shard is missing, the catalogs differ, or the shards come from different scans; keeps a page scanned twice once', () => {
    const a = shardReport(1, 3, [page('/', 0, [])]);
    const c = shardReport(3, 3, [page('/', 0, []), page('/over', 1, [])], '2020-01-01.1');
    const other = { ...c, site: { ...c.site!, source: 'crawl' as const, start: `${SHOP}/` } };
    const { report, problems, duplicates } = mergeReports([a, other]);
    expect(problems).toEqual([
      { code: 'catalog-differs', values: { versions: [CATALOG_VERSION, '2020-01-01.1'] } },
      { code: 'different-sites', values: { starts: [`sitemap ${SHOP}/sitemap_index.xml`, `crawl ${SHOP}/`] } },
      { code: 'missing-shards', values: { missing: [2], count: 3 } },
    ]);
    expect(duplicates).toEqual([`${SHOP}/`]);
    expect(report.pages).toHaveLength(2);
  });

  it('merges reports that predate site scans (no site, no positions) in the order given', () => {
    const old = (path: string) => {
      const r = shardReport(1, 1, [page(path, undefined, [])]);
      delete r.site;
      return r;
    };
    const { report, problems } = mergeReports([old('/b'), old('/a')]);
    expect(problems).toEqual([]);
    expect(report.pages.map((p) => p.url)).toEqual([`${SHOP}/b`, `${SHOP}/a`]);
    expect(report.site).toBeUndefined();
  });

  it('is redacted only when every report was, so the HTML report of a mixed merge leaves personal data out', () => {
    const redacted = { ...shardReport(1, 2, [page('/account', 0, [])]), redacted: true };
    const full = shardReport(2, 2, [page('/bestelling/bedankt?email=sanne%40voorbeeld.nl&tel=0612345678', 1, [])]);
    const { report } = mergeReports([redacted, full]);
    expect(report.redacted).toBe(false);
    // The HTML report redacts a report that does not say it was (a report that says so is not redacted again).
    expect(reportToHtml(report, { language: 'en' })).not.toMatch(/sanne|0612345678/);
    expect(mergeReports([redacted, { ...full, redacted: true }]).report.redacted).toBe(true);
  });
});
