import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOG_VERSION } from '@/lib/catalog';
import { newTabState, type TabState } from '@/lib/observe';
import { bundleEnvironment, buildReport, hasViolation, pageReport, parseReport, redactReport, redactUrl, reportOfVisits, reportToCsv, visitFromTab, type Report } from '@/lib/report';
import { reportJsonSchema } from '@/lib/report/json-schema';

const T0 = Date.parse('2026-11-25T10:00:00Z');

function sampleReport(): Report {
  const state = newTabState(1, 'v1', 'https://www.mijnliefsteboek.nl/?email=sanne%40voorbeeld.nl', T0);
  state.entries['meta-pixel'] = { requests: 2, cookiesSet: ['_fbp'], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
  state.entries.aws = { requests: 1, cookiesSet: ['AWSALB'], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
  state.requests = [
    { entryId: 'aws', at: T0 + 1, consentMode: null, personalData: [] },
    { entryId: 'meta-pixel', at: T0 + 10, consentMode: null, personalData: [] },
    { entryId: 'meta-pixel', at: T0 + 900, consentMode: null, personalData: [] },
  ];
  state.banner = { cmp: 'cookie-information', showing: false, seenAt: T0 + 5 };
  state.consent = [{ at: T0 + 500, receivedAt: T0 + 520, source: 'cookie-information', granted: ['necessary'], denied: ['functional', 'statistics', 'marketing', 'unclassified'], carriedOver: false }];
  state.unlisted = { 'static.hotjar.com': 2 };
  const visit = visitFromTab(state);
  visit.observations = [
    { at: T0 + 1, entryId: 'aws', host: 'www.mijnliefsteboek.nl', url: 'https://www.mijnliefsteboek.nl/', type: 'main_frame', method: 'GET', status: 200, judged: 0 },
    { at: T0 + 10, entryId: 'meta-pixel', host: 'www.facebook.com', url: 'https://www.facebook.com/tr/?id=1&ev=PageView', type: 'image', method: 'GET', status: 200, judged: 1 },
    { at: T0 + 900, entryId: 'meta-pixel', host: 'www.facebook.com', url: '=HYPERLINK("https://evil.example")', type: 'image', method: 'GET', status: 200, judged: 2 },
  ];
  return buildReport([pageReport(visit, null)], { name: 'privacy-lens', version: '0.1.0' }, { catalogVersion: CATALOG_VERSION, now: T0 + 1000 });
}

describe('report', () => {
  it('imports a report written before unnamed parties had names, and before relays and cookie evidence', () => {
    const report = sampleReport();
    const old = JSON.parse(JSON.stringify(report)) as { pages: { unlisted: Record<string, unknown>[]; trackers: Record<string, unknown>[] }[] };
    for (const page of old.pages) {
      for (const u of page.unlisted) for (const key of ['company', 'country', 'purpose']) delete u[key];
      for (const t of page.trackers) for (const key of ['relays', 'cookieEvidence']) delete t[key];
    }
    const parsed = parseReport(JSON.stringify(old));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.report.pages[0]!.unlisted[0]).toEqual({ host: 'static.hotjar.com', requests: 2, company: null, country: null, purpose: null });
    expect(parsed.report.pages[0]!.trackers[0]).toMatchObject({ relays: [], cookieEvidence: null });
  });

  it('writes the visit as the popup judges it', () => {
    const report = sampleReport();
    const page = report.pages[0]!;
    expect(page.consent).toEqual({ source: 'cookie-information', decidedAt: '2026-11-25T10:00:00.500Z', granted: ['necessary'], denied: ['functional', 'statistics', 'marketing', 'unclassified'], from: 'record', banner: 'cookie-information' });
    expect(page.trackers).toEqual([
      { id: 'aws', company: 'Amazon Web Services, Inc.', category: 'necessary', requests: 1, cookies: ['AWSALB'], verdict: 'necessary', relays: [], cookieEvidence: null },
      { id: 'meta-pixel', company: 'Meta Platforms Ireland Limited', category: 'marketing', requests: 2, cookies: ['_fbp'], verdict: 'against-choice', relays: [], cookieEvidence: null },
    ]);
    expect(page.unlisted).toEqual([{ host: 'static.hotjar.com', requests: 2, company: 'Hotjar Ltd', country: 'MT', purpose: 'session-recording' }]);
    expect(page.observations!.map((o) => o.verdict)).toEqual(['necessary', 'before-choice', 'against-choice']);
    expect(page.findings.map((f) => f.kind).sort()).toEqual(['against-choice', 'before-choice', 'unlisted-third-party']);
    expect(hasViolation(report)).toBe(true);
  });

  it('writes a live tab’s kept requests in order, with their verdicts, the consent changes, and what was left out', () => {
    const state = newTabState(1, 'v1', 'https://www.mijnliefsteboek.nl/?email=sanne%40voorbeeld.nl', T0);
    state.entries['meta-pixel'] = { requests: 5, cookiesSet: [], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
    state.banner = { cmp: 'cookie-information', showing: false, seenAt: T0 + 5 };
    state.consent = [
      { at: T0 + 2, receivedAt: T0 + 2, source: 'consent-mode', signal: 'default', granted: ['necessary'], denied: ['statistics', 'marketing'], carriedOver: false },
      { at: T0 + 500, receivedAt: T0 + 520, source: 'cookie-information', granted: ['necessary'], denied: ['functional', 'statistics', 'marketing', 'unclassified'], carriedOver: false },
    ];
    const pixel = (at: number): TabState['requests'][number] => ({ entryId: 'meta-pixel', at, consentMode: null, personalData: [], url: 'https://www.facebook.com/tr/', kind: 'hit', type: 'image', method: 'GET' });
    state.requests = [pixel(T0 + 10), pixel(T0 + 900)];
    state.requestsLeftOut = 3;
    state.unlisted = { 'static.hotjar.com': 1 };
    state.unlistedRequests = [{ url: 'https://static.hotjar.com/c/hotjar-1.js', at: T0 + 600, type: 'script' }];
    const page = pageReport(visitFromTab(state), null);
    expect(page.observations).toEqual([
      { at: '2026-11-25T10:00:00.010Z', trackerId: 'meta-pixel', host: 'www.facebook.com', url: 'https://www.facebook.com/tr/', type: 'image', method: 'GET', status: null, verdict: 'before-choice', kind: 'hit' },
      { at: '2026-11-25T10:00:00.600Z', trackerId: null, host: 'static.hotjar.com', url: 'https://static.hotjar.com/c/hotjar-1.js', type: 'script', method: 'GET', status: null, verdict: null },
      { at: '2026-11-25T10:00:00.900Z', trackerId: 'meta-pixel', host: 'www.facebook.com', url: 'https://www.facebook.com/tr/', type: 'image', method: 'GET', status: null, verdict: 'against-choice', kind: 'hit' },
    ]);
    expect(page.observationsLeftOut).toBe(3);
    expect(page.consentChanges).toEqual([
      { at: '2026-11-25T10:00:00.002Z', source: 'consent-mode', signal: 'default', granted: ['necessary'], denied: ['statistics', 'marketing'], carriedOver: false },
      { at: '2026-11-25T10:00:00.500Z', source: 'cookie-information', granted: ['necessary'], denied: ['functional', 'statistics', 'marketing', 'unclassified'], carriedOver: false },
    ]);
    // A state saved before addresses were kept has no observations to show, and says nothing of them.
    const old = newTabState(2, 'v2', 'https://www.mijnliefsteboek.nl/', T0);
    old.requests = [{ entryId: 'meta-pixel', at: T0, consentMode: null, personalData: [] }];
    expect(pageReport(visitFromTab(old), null)).not.toHaveProperty('observations');
  });

  it('makes one report of several visits, oldest first, redacted when asked, with where it was made', () => {
    const later = newTabState(2, 'v2', 'https://www.mijnliefsteboek.nl/checkout?order=MLB-204519', T0 + 60_000);
    const first = newTabState(1, 'v1', 'https://www.mijnliefsteboek.nl/?email=sanne%40voorbeeld.nl', T0);
    const environment = bundleEnvironment('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', '0.1.0', 'nl');
    expect(environment).toEqual({ browser: 'Chrome/156.0.0.0', extensionVersion: '0.1.0', language: 'nl' });
    const report = reportOfVisits([visitFromTab(later), visitFromTab(first)], { stance: null, redact: true, tool: { name: 't', version: '1' }, catalogVersion: CATALOG_VERSION, environment, now: T0 });
    expect(report.pages.map((p) => p.url)).toEqual(['https://www.mijnliefsteboek.nl/?[removed]', 'https://www.mijnliefsteboek.nl/checkout?[removed]']);
    expect(report).toMatchObject({ redacted: true, environment });
    expect(bundleEnvironment('curl/8.0', '0.1.0', 'en').browser).toBe('unknown');
  });

  it('imports a report written before consent changes, kinds and left-out counts were kept', () => {
    const report = sampleReport();
    const old = JSON.parse(JSON.stringify(report)) as { pages: Record<string, unknown>[] };
    for (const page of old.pages) delete page.consentChanges;
    const parsed = parseReport(JSON.stringify(old));
    expect(parsed.ok).toBe(true);
  });

  it('round-trips: export, import, equal', () => {
    const report = sampleReport();
    const parsed = parseReport(JSON.stringify(report));
    expect(parsed).toEqual({ ok: true, report });
  });

  it.each([
    ['truncated', (json: string) => json.slice(0, json.length / 2), 'not-json'],
    ['not JSON', () => 'PK\u0003\u0004 a zip file', 'not-json'],
    ['another file', () => JSON.stringify({ name: 'package', version: '1.0.0' }), 'not-a-report'],
    ['an array', () => '[1,2,3]', 'not-a-report'],
    ['a newer version', (json: string) => json.replace('"schemaVersion":1', '"schemaVersion":7'), 'newer-version'],
    ['an older version', (json: string) => json.replace('"schemaVersion":1', '"schemaVersion":0'), 'older-version'],
    ['a bad verdict', (json: string) => json.replace('"verdict":"against-choice"', '"verdict":"fine"'), 'invalid'],
    ['an extra key', (json: string) => json.replace('"redacted":false', '"redacted":false,"admin":true'), 'invalid'],
    ['prototype pollution', (json: string) => json.replace('"redacted":false', '"redacted":false,"__proto__":{"polluted":1}'), null],
  ])('refuses %s with a clear problem', (_label, mangle, code) => {
    const result = parseReport(mangle(JSON.stringify(sampleReport())));
    if (code === null) {
      // The key is dropped while parsing: the report reads fine and nothing is polluted.
      expect(result.ok).toBe(true);
    } else {
      expect(result).toMatchObject({ ok: false, problem: { code } });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws on any text (fuzzed)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => void parseReport(text)), { numRuns: 2000 });
  });

  it('removes personal data for a support bundle', () => {
    const redacted = redactReport(sampleReport());
    expect(redacted.redacted).toBe(true);
    expect(redacted.pages[0]!.url).toBe('https://www.mijnliefsteboek.nl/?[removed]');
    expect(JSON.stringify(redacted)).not.toContain('sanne');
    expect(redactUrl('https://www.mijnliefsteboek.nl/bestelling/MLB-204519/bedankt')).toBe('https://www.mijnliefsteboek.nl/bestelling/[id]/bedankt');
    expect(redactUrl('https://www.facebook.com/tr/?id=1&ud[em]=abc')).toBe('https://www.facebook.com/tr/?[removed]');
  });

  it.each([
    // A phone number in a path, written as people write them: with spaces, dashes, dots, a country code.
    ['https://www.mijnliefsteboek.nl/klant/06-1234-5678/', 'phone with dashes', '1234-5678'],
    ['https://www.mijnliefsteboek.nl/klant/+31 6 12 34 56 78', 'phone with spaces', '56 78'],
    ['https://www.mijnliefsteboek.nl/klant/%2B31%206%2012%2034%2056%2078/', 'encoded phone', '34%2056'],
    ['https://www.mijnliefsteboek.nl/klant/06.12.34.56.78', 'phone with dots', '34.56'],
    // An address encoded twice (a link that went through a redirect), or with a non-ASCII domain or name.
    ['https://www.mijnliefsteboek.nl/u/sanne%2540voorbeeld.nl/bedankt', 'double-encoded @', 'sanne'],
    ['https://www.mijnliefsteboek.nl/u/sanne@voorbeëld.nl/bedankt', 'non-ASCII domain', 'sanne'],
    ['https://www.mijnliefsteboek.nl/u/jos%C3%A9@voorbeeld.nl', 'non-ASCII name', 'voorbeeld'],
    ['https://www.mijnliefsteboek.nl/u/sanne@xn--voorbeld-e1a.nl', 'punycode domain', 'sanne'],
    ['https://www.mijnliefsteboek.nl/u/sanne%40voorbeeld%2Enl', 'encoded dot', 'sanne'],
    ['https://www.mijnliefsteboek.nl/bel/(06)-1234-5678', 'phone with its area code in parentheses', '1234-5678'],
    ['https://www.mijnliefsteboek.nl/bel/0031-6-1234-5678', 'phone with 00', '1234-5678'],
  ])('masks personal data in a path: %s (%s)', (url, what, leaked) => {
    const redacted = redactUrl(url);
    // A phone's digits must not survive in any spelling: compared with every separator taken out.
    const digitsOnly = (text: string) => text.replace(/%20|%2B|[^0-9]/gi, '');
    if (what.includes('phone')) expect(digitsOnly(redacted.slice('https://www.mijnliefsteboek.nl/'.length))).not.toContain(digitsOnly(leaked));
    else expect(redacted).not.toContain(leaked);
    expect(redacted.startsWith('https://www.mijnliefsteboek.nl/')).toBe(true);
  });

  it('leaves a path without personal data as it is: dates, sizes, product names, ISBNs', () => {
    for (const url of [
      'https://www.mijnliefsteboek.nl/blog/2026-12-05/sinterklaas',
      'https://www.mijnliefsteboek.nl/boeken/noor-en-de-draak/21x28',
      'https://www.mijnliefsteboek.nl/checkout/stap-2',
      // Numbers in groups that are not phone numbers: an ISBN, a range of sizes, years, dates.
      'https://www.mijnliefsteboek.nl/isbn/978-90-263-5583-4',
      'https://www.mijnliefsteboek.nl/maten/36-38-40-42-44',
      'https://www.mijnliefsteboek.nl/actie/2025-2026-2027',
      'https://www.mijnliefsteboek.nl/agenda/2026-12-05-2027-01-05',
    ]) {
      expect(redactUrl(url)).toBe(url);
    }
  });

  it('exports one CSV row per observation, safe to open in a spreadsheet', () => {
    const report = sampleReport();
    report.pages[0]!.observations![1] = { ...report.pages[0]!.observations![1]!, stopped: true };
    report.pages[0]!.observations![0] = { ...report.pages[0]!.observations![0]!, worker: true };
    const csv = reportToCsv(report, { 'meta-pixel': 'Meta Platforms Ireland Limited', aws: 'Amazon Web Services, Inc.' });
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('"page_url","visited_at","at","tracker_id","company","host","url","type","method","status","verdict","stopped","service_worker"');
    // A request a blocker stopped says so in the column before the last, one a service worker sent in
    // the last; the others leave them empty.
    expect(lines[2]).toMatch(/"before-choice","true",""$/);
    expect(lines[1]).toMatch(/,"","true"$/);
    expect(lines[3]).toMatch(/,"",""$/);
    expect(lines[3]).toContain(`"'=HYPERLINK(""https://evil.example"")"`);
  });

  it('keeps report.schema.json in step with the zod schema (npm run report-schema)', async () => {
    const committed = JSON.parse(await readFile(new URL('../../../lib/report/report.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });
});
