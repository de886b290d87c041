import { describe, expect, it } from 'vitest';
import { createPromiseSignals, requestParams } from '@/lib/promises';

const signals = createPromiseSignals();

describe('what the pipeline keeps of a request for the promises', () => {
  it.each([
    // Google Analytics 4: a hit with the _ga client id, a cookieless G100 ping, a user id and user data in a batched POST.
    ['GA4 hit with a client id', 'google-analytics', 'region1.google-analytics.com', 'https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&gtm=45je5b10v9&gcs=G111&cid=1234567890.1764590000&ul=nl-nl&en=page_view', undefined, { carried: ['cid'] }],
    ['GA4 cookieless ping', 'google-analytics', 'region1.google-analytics.com', 'https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&gcs=G100&gcd=13p3p3p3p5&en=page_view&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F', undefined, {}],
    ['GA4 batch with uid and em in the body', 'google-analytics', 'region1.google-analytics.com', 'https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&cid=1.2', 'en=purchase&uid=customer-77\nen=login&em=tv.1~em.5e8848e3f4f1b3a2f1ad8c8a7b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8', { carried: ['cid', 'uid', 'em'] }],
    ['GA4 with an empty cid', 'google-analytics', 'region1.google-analytics.com', 'https://region1.google-analytics.com/g/collect?v=2&tid=G-1&cid=', undefined, {}],
    // Meta: the event, and advanced matching.
    ['Meta PageView', 'meta-pixel', 'www.facebook.com', 'https://www.facebook.com/tr/?id=1234567890123456&ev=PageView&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F&v=2.9.174', undefined, { event: 'PageView' }],
    ['Meta AddToCart with advanced matching', 'meta-pixel', 'www.facebook.com', 'https://www.facebook.com/tr/?id=1&ev=AddToCart&cd[value]=29.95&ud[em]=5e88&ud[ph]=8d96', undefined, { event: 'AddToCart', carried: ['ud[em]', 'ud[ph]'] }],
    ['Meta through the shop’s gateway', 'meta-pixel', 'capig.mijnliefsteboek.nl', 'https://capig.mijnliefsteboek.nl/tr/?id=1&ev=ViewContent', undefined, { event: 'ViewContent' }],
    ['Meta event name stuffed with data', 'meta-pixel', 'www.facebook.com', 'https://www.facebook.com/tr/?id=1&ev=sanne%40voorbeeld.nl%20bought', undefined, { event: 'other' }],
    ['Meta script load', 'meta-pixel', 'connect.facebook.net', 'https://connect.facebook.net/nl_NL/fbevents.js', undefined, {}],
    // Trustpilot: the invitation script's call, and the widget (never watched).
    ['Trustpilot invitation (JSON)', 'trustpilot', 'invitejs.trustpilot.com', 'https://invitejs.trustpilot.com/api/v1/invitations', '{"recipientEmail":"sanne@voorbeeld.nl","recipientName":"Sanne","referenceId":"MLB-204519","source":"InvitationScript"}', { carried: ['referenceId', 'email'] }],
    ['Trustpilot invitation with only an order id', 'trustpilot', 'invitejs.trustpilot.com', 'https://invitejs.trustpilot.com/api/v1/invitations?orderId=MLB-1', undefined, { carried: ['orderId'] }],
    ['Trustpilot widget with an id-like parameter', 'trustpilot', 'widget.trustpilot.com', 'https://widget.trustpilot.com/trustboxes/x/index.html?referenceId=abc&email=sanne%40voorbeeld.nl', undefined, {}],
    ['an entry no promise watches', 'microsoft-ads', 'bat.bing.com', 'https://bat.bing.com/action/0?ti=1&evt=pageLoad&cid=1', undefined, {}],
  ] as const)('%s', (_label, entry, host, url, body, expected) => {
    const personalData = body?.includes('@') ? [{ kind: 'email' as const, where: 'body' }] : [];
    expect(signals.requestSignals(entry, host, url, body, personalData)).toEqual(expected);
  });

  it('stays bounded and calm on hostile requests', () => {
    const many = Array.from({ length: 50 }, (_, i) => `ud[x${i}]=1`).join('&');
    expect(signals.requestSignals('meta-pixel', 'www.facebook.com', `https://www.facebook.com/tr/?ev=Lead&${many}`, undefined, []).carried).toHaveLength(10);
    expect(signals.requestSignals('trustpilot', 'invitejs.trustpilot.com', 'https://invitejs.trustpilot.com/api', '{"referenceId": broken', [])).toEqual({});
    expect(signals.requestSignals('trustpilot', 'invitejs.trustpilot.com', 'https://invitejs.trustpilot.com/api', '[1,2,{"referenceId":"x"}]', [])).toEqual({});
    expect(signals.requestSignals('google-analytics', 'region1.google-analytics.com', `https://region1.google-analytics.com/g/collect?${'a=1&'.repeat(50_000)}cid=1`, undefined, [])).toEqual({});
    expect([...requestParams('https://x.example/?a=%E0%A4%A&b=2#cid=1', 'c=3')]).toEqual([['a', expect.any(String)], ['b', '2'], ['c', '3']]);
  });

  it.each([
    [[{ name: 'x-amz-bucket-region', value: 'eu-central-1' }, { name: 'X-Amz-Cf-Pop', value: 'AMS58-P4' }], { region: 'eu-central-1', edge: 'AMS58-P4' }],
    [[{ name: 'x-amz-cf-pop', value: 'FRA56-P8' }, { name: 'via', value: '1.1 abc.cloudfront.net (CloudFront)' }], { region: null, edge: 'FRA56-P8' }],
    [[{ name: 'x-amz-bucket-region', value: 'Frankfurt' }], { region: null, edge: null }],
    [[{ name: 'x-amz-bucket-region', value: ' US-EAST-1 ' }], { region: 'us-east-1', edge: null }],
    [[{ name: 'x-amz-cf-pop', value: '<script>' }], { region: null, edge: null }],
    [[], { region: null, edge: null }],
  ])('reads the storage region and edge from response headers %#', (headers, expected) => {
    expect(signals.storageFromHeaders(headers)).toEqual(expected);
  });

  it.each([
    ['mlb-assets.s3.eu-central-1.amazonaws.com', 'eu-central-1'],
    ['mlb-assets.s3-eu-west-1.amazonaws.com', 'eu-west-1'],
    ['mlb.s3-website.eu-west-3.amazonaws.com', 'eu-west-3'],
    ['mlb.s3-website-us-east-1.amazonaws.com', 'us-east-1'],
    ['mlb.s3.dualstack.eu-north-1.amazonaws.com', 'eu-north-1'],
    ['s3.eusc-de-east-1.amazonaws.com', 'eusc-de-east-1'],
    ['mlb.s3.amazonaws.com', null],
    ['d1234.cloudfront.net', null],
    ['s3.eu-central-1.amazonaws.com.evil.example', null],
    ['www.mijnliefsteboek.nl', null],
  ])('reads the region from the S3 host %s', (host, region) => {
    expect(signals.storageFromHost(host)).toBe(region);
  });
});
