import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { CATALOG_VERSION, PROMISE_IDS } from '@/lib/catalog';
import { openLog, type Observation } from '@/lib/db';
import { newTabState } from '@/lib/observe';
import type { PromiseCheck } from '@/lib/promises';
import { buildReport, judgeReportPage, pageReport, parseReport, redactReport, visitFromLog, visitFromTab, type Report } from '@/lib/report';
import { reportJsonSchema } from '@/lib/report/json-schema';
import { addObservations } from '../db/log-rows';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const GA_HIT = 'https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1234567890.1764590000&en=page_view';
const META_HIT = 'https://www.facebook.com/tr/?id=1234567890123456&ev=PageView';

/** A visit on the shop's home page: GA with a client id and Meta's PageView before any choice, and Hotjar. */
function homeReport(): Report {
  const state = newTabState(1, 'v1', 'https://www.mijnliefsteboek.nl/', T0);
  state.entries.aws = { requests: 1, cookiesSet: [], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
  state.entries['google-analytics'] = { requests: 1, cookiesSet: ['_ga'], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
  state.entries['meta-pixel'] = { requests: 1, cookiesSet: ['_fbp'], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
  state.requests = [
    { entryId: 'aws', at: T0 + 1, consentMode: null, personalData: [], kind: 'page' },
    { entryId: 'google-analytics', at: T0 + 10, consentMode: null, personalData: [], kind: 'hit', carried: ['cid'] },
    { entryId: 'meta-pixel', at: T0 + 20, consentMode: null, personalData: [], kind: 'hit', event: 'PageView' },
  ];
  state.banner = { cmp: 'cookie-information', showing: true, seenAt: T0 + 5 };
  state.unlisted = { 'static.hotjar.com': 2 };
  state.storage.edges = ['AMS58-P4'];
  state.reconcile.seqByPage = { '0123456789abcdef': 2 };
  const visit = visitFromTab(state);
  visit.observations = [
    { at: T0 + 1, entryId: 'aws', host: 'www.mijnliefsteboek.nl', url: 'https://www.mijnliefsteboek.nl/', type: 'main_frame', method: 'GET', status: 200, judged: 0 },
    { at: T0 + 10, entryId: 'google-analytics', host: 'region1.google-analytics.com', url: GA_HIT, type: 'ping', method: 'POST', status: 204, judged: 1 },
    { at: T0 + 20, entryId: 'meta-pixel', host: 'www.facebook.com', url: META_HIT, type: 'image', method: 'GET', status: 200, judged: 2 },
  ];
  return buildReport([pageReport(visit, null)], { name: 'privacy-lens', version: '0.1.0' }, { catalogVersion: CATALOG_VERSION, now: T0 + 1000 });
}

const statuses = (promises: { id: string; status: string }[]) => Object.fromEntries(promises.map((p) => [p.id, p.status]));

describe('promises in the report', () => {
  it('writes every promise of a page with its status and one English sentence of evidence', () => {
    const page = homeReport().pages[0]!;
    expect(page.promises.map((p) => p.id)).toEqual([...PROMISE_IDS]);
    expect(statuses(page.promises)).toEqual({
      'ga-anonymised': 'broken',
      'meta-unfinished-purchase-only': 'broken',
      'trustpilot-only-with-permission': 'unknown',
      'no-sharing-without-consent': 'broken',
      encrypted: 'kept',
      'aws-in-the-eu': 'unknown',
      'named-processors-only': 'broken',
      // A scan or a live tab knows no rights requests.
      'answer-within-a-month': 'unknown',
    });
    expect(page.promises.find((p) => p.id === 'ga-anonymised')!.evidence).toBe(
      'Google Analytics hits carried cid (1 of 1): identifiers that single you out (cid is the client id from your _ga cookie), so the data is not anonymous.',
    );
    expect(page.promises.find((p) => p.id === 'aws-in-the-eu')!.evidence).toContain('edge AMS58-P4');
  });

  it('round-trips through the import, and its JSON Schema knows the promises', () => {
    const report = homeReport();
    expect(parseReport(JSON.stringify(report))).toEqual({ ok: true, report });
    const schema = JSON.stringify(reportJsonSchema());
    expect(schema).toContain('"promises"');
    expect(schema).toContain('"answer-within-a-month"');
    const forged = JSON.stringify(report).replace('"status":"broken"', '"status":"fine"');
    expect(parseReport(forged)).toMatchObject({ ok: false, problem: { code: 'invalid' } });
  });

  it('imports a report written before promises, and judges them again from its requests', () => {
    const old = JSON.parse(JSON.stringify(homeReport())) as { pages: Record<string, unknown>[] };
    for (const page of old.pages) delete page.promises;
    const parsed = parseReport(JSON.stringify(old));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const page = parsed.report.pages[0]!;
    expect(page.promises).toEqual([]);
    const judged = judgeReportPage(page, parsed.report);
    expect(statuses(judged)).toMatchObject({ 'ga-anonymised': 'broken', 'meta-unfinished-purchase-only': 'broken', 'no-sharing-without-consent': 'broken', 'named-processors-only': 'broken', 'answer-within-a-month': 'unknown' });
    expect(judged.find((p) => p.id === 'ga-anonymised')).toMatchObject({ fromReport: false, facts: { code: 'identifiers-sent', params: ['cid'] } });
    expect(judged.find((p) => p.id === 'answer-within-a-month')).toMatchObject({ facts: { code: 'answer-not-known' } });
  });

  it('tells hits from other requests by the kind a report gives each; an older report’s requests count as hits only when they carried what a rule watches', () => {
    const report = homeReport();
    const page = { ...report.pages[0]!, promises: [] };
    const ping = 'https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&gcs=G100&en=page_view';
    const withKinds = { ...page, observations: page.observations!.map((o) => (o.trackerId === 'google-analytics' ? { ...o, url: ping, kind: 'hit' as const } : o)) };
    expect(judgeReportPage(withKinds, report).find((p) => p.id === 'ga-anonymised')).toMatchObject({ status: 'kept', facts: { code: 'identifiers-absent', hits: 1 } });
    const withoutKinds = { ...page, observations: page.observations!.map((o) => (o.trackerId === 'google-analytics' ? { ...o, url: ping } : o)) };
    expect(judgeReportPage(withoutKinds, report).find((p) => p.id === 'ga-anonymised')).toMatchObject({ status: 'unknown', facts: { code: 'identifiers-no-hits' } });
  });

  it('does not let a report’s “kept” stand against its own requests, nor lose a “broken” its requests cannot show', () => {
    const report = homeReport();
    const page = report.pages[0]!;
    page.promises = page.promises.map((p) => (p.id === 'ga-anonymised' ? { ...p, status: 'kept' as const, evidence: 'All fine.' } : p));
    expect(judgeReportPage(page, report).find((p) => p.id === 'ga-anonymised')).toMatchObject({ status: 'broken', fromReport: false });
    // A body-only user id: the addresses show nothing, the report's own word stands.
    page.observations = page.observations!.map((o) => ({ ...o, url: o.url.replace('&cid=1234567890.1764590000', '') }));
    page.promises = page.promises.map((p) => (p.id === 'ga-anonymised' ? { ...p, status: 'broken' as const, evidence: 'The hit carried uid in its body.' } : p));
    expect(judgeReportPage(page, report).find((p) => p.id === 'ga-anonymised')).toMatchObject({ status: 'broken', fromReport: true, reportEvidence: 'The hit carried uid in its body.' });
  });

  it('takes a redacted report’s word for what its cut addresses cannot show', () => {
    const redacted = redactReport(homeReport());
    const page = redacted.pages[0]!;
    expect(page.observations![1]!.url).toBe('https://region1.google-analytics.com/g/collect?[removed]');
    const judged = judgeReportPage(page, redacted);
    expect(judged.find((p) => p.id === 'ga-anonymised')).toMatchObject({ status: 'broken', fromReport: true });
    const without = { ...page, promises: [] };
    expect(judgeReportPage(without, redacted).find((p) => p.id === 'ga-anonymised')).toMatchObject({ status: 'unknown', facts: { code: 'not-in-report' } });
  });
});

describe('promises of a visit in the log', () => {
  const row = (id: string, patch: Partial<Observation>): Observation => ({ id, visitId: 'v1', at: T0, entryId: 'google-analytics', host: 'region1.google-analytics.com', url: GA_HIT, kind: 'hit', type: 'ping', method: 'GET', frameId: 0, source: 'network', status: 204, ...patch });

  it('are the ones stored with the visit, rights requests as they stood then', async () => {
    const db = openLog('promises-log', { indexedDB: new IDBFactory(), IDBKeyRange });
    const stored: PromiseCheck[] = [{ id: 'answer-within-a-month', status: 'broken', facts: { code: 'answer-overdue', type: 'access', sent: '2026-10-01', due: '2026-11-01', overdue: 1 } }];
    await db.visits.add({ id: 'v1', tabId: 1, url: 'https://www.mijnliefsteboek.nl/', startedAt: T0, promises: stored });
    await addObservations(db, [row('v1:r1', {})]);
    const page = pageReport(await visitFromLog(db, (await db.visits.get('v1'))!), null);
    expect(page.promises).toEqual([{ id: 'answer-within-a-month', status: 'broken', evidence: 'Your request for access of 1 October 2026 had to be answered by 1 November 2026; no answer is recorded.' }]);
  });

  it('are judged from the log’s rows for a visit logged before promises: older rows read from their address', async () => {
    const db = openLog('promises-log-old', { indexedDB: new IDBFactory(), IDBKeyRange });
    await db.visits.add({ id: 'v1', tabId: 1, url: 'http://www.mijnliefsteboek.nl/', startedAt: T0 });
    await addObservations(db, [
      row('v1:r0', { entryId: 'aws', host: 'www.mijnliefsteboek.nl', url: 'http://www.mijnliefsteboek.nl/', kind: 'page', type: 'main_frame', status: 200 }),
      row('v1:r1', {}),
      row('v1:r2', { entryId: 'meta-pixel', host: 'www.facebook.com', url: `${META_HIT}&ud[em]=5e88`, type: 'image', at: T0 + 5 }),
    ]);
    const page = pageReport(await visitFromLog(db, (await db.visits.get('v1'))!), null);
    expect(statuses(page.promises)).toMatchObject({ 'ga-anonymised': 'broken', 'meta-unfinished-purchase-only': 'broken', encrypted: 'broken' });
    expect(page.promises.find((p) => p.id === 'meta-unfinished-purchase-only')!.evidence).toContain('PageView, which is not about an unfinished purchase, and your personal data (ud[em])');
  });

  it('say in the report how many of a tracker’s requests were stopped before they were sent', async () => {
    const db = openLog('stopped-log', { indexedDB: new IDBFactory(), IDBKeyRange });
    await db.visits.add({ id: 'v1', tabId: 1, url: 'https://www.mijnliefsteboek.nl/', startedAt: T0 });
    await addObservations(db, [
      row('v1:r1', { status: undefined, error: 'net::ERR_BLOCKED_BY_CLIENT' }),
      row('v1:r2', { at: T0 + 5 }),
      row('v1:r3', { entryId: 'meta-pixel', host: 'www.facebook.com', url: META_HIT, type: 'image', at: T0 + 6, status: undefined, error: 'NS_BINDING_ABORTED' }),
    ]);
    const page = pageReport(await visitFromLog(db, (await db.visits.get('v1'))!), null);
    expect(page.trackers.find((t) => t.id === 'google-analytics')).toMatchObject({ requests: 2, stopped: 1 });
    // Aborted after it may have been sent: no `stopped` at all.
    expect(page.trackers.find((t) => t.id === 'meta-pixel')).not.toHaveProperty('stopped');
    expect(parseReport(JSON.stringify(buildReport([page], { name: 't', version: '1' }, { catalogVersion: 'x' })))).toMatchObject({ ok: true });
  });
});
