import { describe, expect, it } from 'vitest';
import { judgeTab, judgeTabPromises, newTabState, parseTabState, visitRow } from '@/lib/observe';
import { MAX_PLAIN_REQUESTS, pageWatched } from '@/lib/observe/tab-state';
import { CLOUDFRONT_HEADERS, makeObserver, request } from './fakes';

const SHOP = 'https://www.mijnliefsteboek.nl/';
const PAGE = '0123456789abcdef';

async function shopVisit(url = SHOP, headers = CLOUDFRONT_HEADERS) {
  const made = makeObserver();
  await made.store.ready;
  const page = request(url, { type: 'main_frame' });
  made.observer.requestStarted(page);
  made.observer.requestEnded({ ...page, statusCode: 200, responseHeaders: headers });
  return { ...made, state: () => made.store.get(7)! };
}

describe('what the observer records for the policy’s promises', () => {
  it('keeps per request its kind, the identifying parameters it carried and its event; the log row too', async () => {
    const { observer, state, writer } = await shopVisit();
    const hit = request('https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2&en=page_view', { type: 'ping', method: 'POST' });
    const meta = request('https://www.facebook.com/tr/?id=1&ev=PageView&ud[em]=5e88', { type: 'image' });
    for (const event of [hit, meta]) {
      observer.requestStarted(event);
      observer.requestEnded({ ...event, statusCode: 200 });
    }
    expect(state().requests.slice(1)).toMatchObject([
      { entryId: 'google-analytics', kind: 'hit', carried: ['cid'] },
      { entryId: 'meta-pixel', kind: 'hit', event: 'PageView', carried: ['ud[em]'] },
    ]);
    expect(writer.observations.get(`${state().visitId}:r${meta.requestId}`)).toMatchObject({ carried: ['ud[em]'], event: 'PageView' });
  });

  it('reads an invitation’s order number from its JSON body, and the e-mail address in it', async () => {
    const { observer, state } = await shopVisit();
    const invite = request('https://invitejs.trustpilot.com/api/v1/invitations', { type: 'xmlhttprequest', method: 'POST', body: '{"recipientEmail":"sanne@voorbeeld.nl","referenceId":"MLB-204519"}' });
    observer.requestStarted(invite);
    expect(state().requests.at(-1)).toMatchObject({ entryId: 'trustpilot', carried: ['referenceId', 'email'] });
  });

  it('judges an invitation by its body when its events come after the page’s report recovered it', async () => {
    const { observer, state } = await shopVisit();
    const invite = request('https://invitejs.trustpilot.com/api/v1/invitations', { type: 'xmlhttprequest', method: 'POST', body: '{"recipientEmail":"sanne@voorbeeld.nl","referenceId":"MLB-204519"}' });
    // Firefox under load: the page's Resource Timing report first, which knows no method and no body.
    observer.pageResources(7, [{ url: invite.url, initiatorType: 'fetch', startTime: 20, seq: 1 }], PAGE);
    expect(state().requests.at(-1)).toMatchObject({ entryId: 'trustpilot', method: 'GET' });
    observer.requestStarted(invite);
    observer.requestEnded({ ...invite, statusCode: 201 });
    expect(state().entries.trustpilot?.requests).toBe(1);
    expect(state().requests.filter((r) => r.entryId === 'trustpilot')).toEqual([expect.objectContaining({ method: 'POST', type: 'xmlhttprequest', carried: ['referenceId', 'email'] })]);
  });

  it('records the shop’s page over plain http: as AWS over http:, and a tracker’s completed http: request, by its final address', async () => {
    const { observer, state } = await shopVisit('http://www.mijnliefsteboek.nl/promises/encrypted-broken');
    // An HSTS upgrade starts on http: and ends on https:: not plain.
    const upgraded = request('http://region1.google-analytics.com/g/collect?v=2&tid=G-1', { type: 'ping' });
    observer.requestStarted(upgraded);
    observer.requestEnded({ ...upgraded, url: upgraded.url.replace('http:', 'https:'), statusCode: 204 });
    const plain = request('http://widget.trustpilot.com/bootstrap/v5/tp.widget.bootstrap.min.js');
    observer.requestStarted(plain);
    observer.requestEnded({ ...plain, statusCode: 200 });
    // A request that failed sent nothing we can be sure of.
    const failed = request('http://widget.trustpilot.com/trustboxes/x/index.html');
    observer.requestStarted(failed);
    observer.requestEnded({ ...failed, error: 'net::ERR_CONNECTION_REFUSED' });
    expect(state().plain.map((p) => [p.entryId, p.host])).toEqual([
      ['aws', 'www.mijnliefsteboek.nl'],
      ['trustpilot', 'widget.trustpilot.com'],
    ]);
  });

  it('keeps plain-http requests bounded, counting the rest', async () => {
    const { observer, state } = await shopVisit();
    for (let i = 0; i < MAX_PLAIN_REQUESTS + 5; i++) {
      const plain = request(`http://widget.trustpilot.com/x${i}`);
      observer.requestStarted(plain);
      observer.requestEnded({ ...plain, statusCode: 200 });
    }
    expect(state().plain).toHaveLength(MAX_PLAIN_REQUESTS);
    expect(state().plainLeftOut).toBe(5);
  });

  it('reads the bucket region S3 names on the shop’s responses, the CloudFront edge, and the region in an S3 host the page loaded from', async () => {
    const { observer, state } = await shopVisit(SHOP, [...CLOUDFRONT_HEADERS, { name: 'x-amz-cf-pop', value: 'AMS58-P4' }, { name: 'x-amz-bucket-region', value: 'eu-central-1' }]);
    observer.pageResources(7, [{ url: 'https://mlb-assets.s3.us-east-1.amazonaws.com/cover.jpg', initiatorType: 'img', startTime: 5, seq: 1 }], PAGE);
    expect(state().storage).toEqual({
      regions: [
        { region: 'eu-central-1', from: 'header', host: 'www.mijnliefsteboek.nl', at: expect.any(Number) },
        { region: 'us-east-1', from: 'host', host: 'mlb-assets.s3.us-east-1.amazonaws.com', at: expect.any(Number) },
      ],
      edges: ['AMS58-P4'],
    });
    const judgement = judgeTab(state(), null);
    const checks = judgeTabPromises(state(), judgement, { rights: [], now: 0 });
    expect(checks.find((c) => c.id === 'aws-in-the-eu')).toMatchObject({ status: 'broken', facts: { region: 'us-east-1', edge: 'AMS58-P4' } });
    // The bucket is Amazon's, which the policy names: not an unnamed party.
    expect(checks.find((c) => c.id === 'named-processors-only')).toMatchObject({ status: 'kept' });
  });

  it('takes the page as watched once its first report comes, even an empty one', async () => {
    const { observer, state } = await shopVisit();
    expect(pageWatched(state())).toBe(false);
    expect(judgeTabPromises(state(), judgeTab(state(), null), { rights: [], now: 0 }).find((c) => c.id === 'named-processors-only')!.status).toBe('unknown');
    observer.pageResources(7, [], PAGE);
    expect(pageWatched(state())).toBe(true);
    expect(judgeTabPromises(state(), judgeTab(state(), null), { rights: [], now: 0 }).find((c) => c.id === 'named-processors-only')!.status).toBe('kept');
  });

  it('stores every promise with the visit’s log row, and each status in its summary', async () => {
    const { state } = await shopVisit();
    const judgement = judgeTab(state(), null);
    const row = visitRow(state(), judgement, judgeTabPromises(state(), judgement, { rights: null, now: 0 }));
    expect(row.promises).toHaveLength(8);
    expect(row.summary!.promises).toMatchObject({ 'aws-in-the-eu': 'unknown', 'answer-within-a-month': 'unknown', encrypted: 'kept' });
  });

  it('judges the promises by every request of a page that never stops, not only the ones the tab keeps', async () => {
    const { observer, state } = await shopVisit();
    const ga = (n: number, cid = '') => request(`https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&en=page_view&_p=${n}${cid}`, { type: 'ping', timeStamp: 3_000 + n });
    const meta = (n: number, ev: string) => request(`https://www.facebook.com/tr/?id=1&ev=${ev}&n=${n}`, { type: 'image', timeStamp: 3_000 + n });
    for (let n = 0; n < 700; n++) observer.requestStarted(n % 2 ? meta(n, n === 301 ? 'Purchase' : 'AddToCart') : ga(n, n === 300 ? '&cid=1.2' : ''));
    // The tab kept its first 250 requests and its latest 250: the two in the middle are not among them.
    expect(state().requests.some((r) => r.carried?.includes('cid') || r.event === 'Purchase')).toBe(false);
    expect(state().requestsLeftOut).toBe(201);
    const checks = judgeTabPromises(state(), judgeTab(state(), null), { rights: [], now: 0 });
    expect(checks.find((c) => c.id === 'ga-anonymised')).toMatchObject({ status: 'broken', facts: { hits: 350, identifying: 1, params: ['cid'] } });
    expect(checks.find((c) => c.id === 'meta-unfinished-purchase-only')).toMatchObject({ status: 'broken', facts: { events: [{ name: 'Purchase', count: 1 }] } });
    expect(checks.find((c) => c.id === 'encrypted')).toMatchObject({ status: 'kept', facts: { requests: 351 } });
  });

  it('counts every hit of a flood in the promise it keeps, and a saved state keeps that count', async () => {
    const { observer, state } = await shopVisit();
    for (let n = 0; n < 600; n++) observer.requestStarted(request(`https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&_p=${n}`, { type: 'ping', timeStamp: 3_000 + n }));
    const saved = parseTabState(JSON.parse(JSON.stringify(state())))!;
    expect(saved.leftOutRequests).toEqual([{ entryId: 'google-analytics', kind: 'hit', personalData: [], count: 101 }]);
    const checks = judgeTabPromises(saved, judgeTab(saved, null), { rights: [], now: 0 });
    expect(checks.find((c) => c.id === 'ga-anonymised')).toMatchObject({ status: 'kept', facts: { hits: 600 } });
  });

  it('reads a tab state saved before the promises were judged', () => {
    const saved = JSON.parse(JSON.stringify(newTabState(3, 'v', SHOP, 1))) as Record<string, unknown>;
    for (const key of ['plain', 'plainLeftOut', 'storage', 'leftOutRequests']) delete saved[key];
    saved.requests = [{ entryId: 'google-analytics', at: 2, consentMode: null, personalData: [] }];
    const state = parseTabState(saved);
    expect(state).toMatchObject({ plain: [], plainLeftOut: 0, storage: { regions: [], edges: [] }, leftOutRequests: [] });
    expect(parseTabState({ ...saved, storage: { regions: [{ region: 'Frankfurt', from: 'header', host: 'x', at: 1 }], edges: [] } })).toBeNull();
  });
});
