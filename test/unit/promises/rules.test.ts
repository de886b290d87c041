import { describe, expect, it } from 'vitest';
import { catalog, PROMISE_IDS, type PromiseId } from '@/lib/catalog';
import { judgePromises, type PromiseInput, type PromiseRequest, type RightsDigest } from '@/lib/promises';

const T0 = Date.parse('2027-03-03T10:00:00Z');
const DAY = 86_400_000;

function input(overrides: Partial<PromiseInput> = {}): PromiseInput {
  return {
    requests: [],
    trackers: {},
    consentSource: null,
    plain: [],
    plainMore: 0,
    storage: { regions: [], edges: [] },
    unlisted: { hosts: [], overflow: 0, watched: true },
    rights: [],
    now: T0,
    ...overrides,
  };
}

const req = (entryId: PromiseRequest['entryId'], extra: Partial<PromiseRequest> = {}): PromiseRequest => ({ entryId, at: T0, kind: 'hit', verdict: 'consented', ...extra });
const rights = (extra: Partial<RightsDigest> = {}): RightsDigest => ({ id: 'r1', type: 'objection', sentAt: T0 - 40 * DAY, timeZone: 'Europe/Amsterdam', status: 'sent', ...extra });

const judge = (id: PromiseId, given: PromiseInput) => judgePromises(given).find((c) => c.id === id)!;

/** Each promise, kept, broken and unknown: the status and the facts the evidence is said from. */
const CASES: [PromiseId, string, PromiseInput, string, Record<string, unknown>][] = [
  // ga-anonymised
  ['ga-anonymised', 'no GA traffic', input({ requests: [req('meta-pixel')] }), 'unknown', { code: 'identifiers-no-hits' }],
  ['ga-anonymised', 'only the script loaded, no hit', input({ requests: [req('google-analytics', { kind: 'script' })] }), 'unknown', { code: 'identifiers-no-hits' }],
  ['ga-anonymised', 'a request recorded before kinds were kept', input({ requests: [req('google-analytics', { kind: undefined })] }), 'unknown', { code: 'identifiers-no-hits' }],
  ['ga-anonymised', 'cookieless G100 pings only', input({ requests: [req('google-analytics', { verdict: 'denied-ping' }), req('google-analytics')] }), 'kept', { code: 'identifiers-absent', hits: 2 }],
  ['ga-anonymised', 'a hit with the _ga client id', input({ requests: [req('google-analytics'), req('google-analytics', { carried: ['cid'] })] }), 'broken', { code: 'identifiers-sent', hits: 2, identifying: 1, params: ['cid'] }],
  ['ga-anonymised', 'a user id and hashed user data', input({ requests: [req('google-analytics', { carried: ['uid', 'em'] })] }), 'broken', { code: 'identifiers-sent', params: ['uid', 'em'] }],
  ['ga-anonymised', 'hits the visit let go of, counted', input({ requests: [req('google-analytics'), req('google-analytics', { at: null, verdict: null, count: 400, carried: ['cid'] })] }), 'broken', { code: 'identifiers-sent', hits: 401, identifying: 400, params: ['cid'] }],
  ['ga-anonymised', 'every hit stopped by a blocker: Google received none', input({ requests: [req('google-analytics', { carried: ['cid'], stopped: true }), req('google-analytics', { stopped: true })] }), 'unknown', { code: 'identifiers-no-hits', stopped: 2 }],
  ['ga-anonymised', 'the hit with the client id stopped, a cookieless one received', input({ requests: [req('google-analytics', { carried: ['cid'], stopped: true }), req('google-analytics')] }), 'kept', { code: 'identifiers-absent', hits: 1, stopped: 1 }],
  ['ga-anonymised', 'an e-mail address anywhere in a hit', input({ requests: [req('google-analytics', { personalData: [{ kind: 'email', where: 'dl' }] })] }), 'broken', { code: 'identifiers-sent', params: ['dl'] }],
  // meta-unfinished-purchase-only
  ['meta-unfinished-purchase-only', 'no Meta event', input({ requests: [req('meta-pixel', { kind: 'script' })] }), 'unknown', { code: 'events-none' }],
  ['meta-unfinished-purchase-only', 'only AddToCart and InitiateCheckout', input({ requests: [req('meta-pixel', { event: 'AddToCart' }), req('meta-pixel', { event: 'InitiateCheckout' })] }), 'kept', { code: 'events-allowed', events: [{ name: 'AddToCart', count: 1 }, { name: 'InitiateCheckout', count: 1 }] }],
  ['meta-unfinished-purchase-only', 'events the visit let go of, counted', input({ requests: [req('meta-pixel', { event: 'AddToCart' }), req('meta-pixel', { at: null, verdict: null, count: 250, event: 'AddToCart' })] }), 'kept', { code: 'events-allowed', events: [{ name: 'AddToCart', count: 251 }] }],
  ['meta-unfinished-purchase-only', 'PageView stopped by a blocker, AddToCart received', input({ requests: [req('meta-pixel', { event: 'PageView', stopped: true }), req('meta-pixel', { event: 'AddToCart' }), req('meta-pixel', { kind: 'script', stopped: true })] }), 'kept', { code: 'events-allowed', events: [{ name: 'AddToCart', count: 1 }], stopped: 1 }],
  ['meta-unfinished-purchase-only', 'PageView on every page', input({ requests: [req('meta-pixel', { event: 'PageView' }), req('meta-pixel', { event: 'PageView' }), req('meta-pixel', { event: 'AddToCart' })] }), 'broken', { code: 'events-other', events: [{ name: 'PageView', count: 2 }] }],
  ['meta-unfinished-purchase-only', 'events named in order of their names, not of arrival (a page sends two at once)', input({ requests: [req('meta-pixel', { event: 'ViewContent' }), req('meta-pixel', { event: 'PageView' }), req('meta-pixel', { event: 'ViewContent' })] }), 'broken', { code: 'events-other', events: [{ name: 'PageView', count: 1 }, { name: 'ViewContent', count: 2 }] }],
  ['meta-unfinished-purchase-only', 'Purchase is a finished purchase', input({ requests: [req('meta-pixel', { event: 'Purchase' })] }), 'broken', { code: 'events-other', events: [{ name: 'Purchase', count: 1 }] }],
  ['meta-unfinished-purchase-only', 'advanced matching on an allowed event', input({ requests: [req('meta-pixel', { event: 'AddToCart', carried: ['ud[em]', 'ud[ph]'] })] }), 'broken', { code: 'events-personal', params: ['ud[em]', 'ud[ph]'] }],
  ['meta-unfinished-purchase-only', 'Lead with an e-mail address', input({ requests: [req('meta-pixel', { event: 'Lead', personalData: [{ kind: 'email', where: 'cd[email]' }] })] }), 'broken', { code: 'events-other-and-personal', params: ['cd[email]'] }],
  // trustpilot-only-with-permission
  ['trustpilot-only-with-permission', 'only the review widget', input({ requests: [req('trustpilot', { kind: 'widget' })] }), 'unknown', { code: 'invitation-none' }],
  ['trustpilot-only-with-permission', 'invitation after functional was granted', input({ requests: [req('trustpilot', { carried: ['referenceId', 'email'] })] }), 'kept', { code: 'invitation-with-consent', data: ['email', 'order-number'], category: 'functional' }],
  ['trustpilot-only-with-permission', 'invitation while the banner waited', input({ requests: [req('trustpilot', { carried: ['email'], verdict: 'before-choice' })] }), 'broken', { code: 'invitation-before-consent', data: ['email'] }],
  ['trustpilot-only-with-permission', 'invitation after a refusal', input({ requests: [req('trustpilot', { carried: ['orderId'], verdict: 'against-choice' }), req('trustpilot', { carried: ['email'] })] }), 'broken', { code: 'invitation-against-consent', data: ['email', 'order-number'] }],
  ['trustpilot-only-with-permission', 'an invitation the visit let go of: its consent was not judged', input({ requests: [req('trustpilot', { carried: ['email'] }), req('trustpilot', { at: null, verdict: null, count: 1, carried: ['email'] })] }), 'unknown', { code: 'invitation-verdict-not-kept', data: ['email'] }],
  ['trustpilot-only-with-permission', 'a let-go invitation beside one with no record to read: the record is the reason', input({ requests: [req('trustpilot', { carried: ['email'], verdict: 'unknown' }), req('trustpilot', { at: null, verdict: null, count: 3, carried: ['email'] })] }), 'unknown', { code: 'invitation-consent-unknown' }],
  ['trustpilot-only-with-permission', 'a let-go invitation beside one sent against the choice: broken', input({ requests: [req('trustpilot', { carried: ['email'], verdict: 'against-choice' }), req('trustpilot', { at: null, verdict: null, count: 3, carried: ['email'] })] }), 'broken', { code: 'invitation-against-consent' }],
  ['trustpilot-only-with-permission', 'an invitation stopped before it was sent', input({ requests: [req('trustpilot', { carried: ['email'], verdict: 'before-choice', stopped: true })] }), 'unknown', { code: 'invitation-none', stopped: 1 }],
  ['trustpilot-only-with-permission', 'invitation with no record to read', input({ requests: [req('trustpilot', { carried: ['email'], verdict: 'unknown' })] }), 'unknown', { code: 'invitation-consent-unknown' }],
  // no-sharing-without-consent
  ['no-sharing-without-consent', 'nothing optional ran', input({ trackers: { aws: 'necessary', 'google-tag-manager': 'necessary' } }), 'kept', { code: 'consent-nothing-optional' }],
  ['no-sharing-without-consent', 'trackers waited for consent', input({ trackers: { aws: 'necessary', 'meta-pixel': 'consented', 'google-analytics': 'denied-ping' }, consentSource: 'cookie-information' }), 'kept', { code: 'consent-respected', consented: 1, source: 'cookie-information' }],
  ['no-sharing-without-consent', 'only cookieless pings, no choice yet', input({ trackers: { aws: 'necessary', 'google-analytics': 'denied-ping' } }), 'kept', { code: 'consent-pings-only', entries: ['google-analytics'] }],
  ['no-sharing-without-consent', 'no record could be read', input({ trackers: { 'meta-pixel': 'unknown' } }), 'unknown', { code: 'consent-unreadable', entries: ['meta-pixel'] }],
  [
    'no-sharing-without-consent',
    'before and against the choice',
    input({ trackers: { 'meta-pixel': 'against-choice', 'google-analytics': 'before-choice', 'google-ads': 'unknown' } }),
    'broken',
    { code: 'consent-violations', trackers: [{ entry: 'google-analytics', verdict: 'before-choice' }, { entry: 'meta-pixel', verdict: 'against-choice' }] },
  ],
  // encrypted
  ['encrypted', 'only requests a blocker stopped: none went over the network', input({ requests: [req('google-analytics', { stopped: true })] }), 'unknown', { code: 'no-processor-requests' }],
  ['encrypted', 'a stopped request is not counted as sent encrypted', input({ requests: [req('google-analytics', { stopped: true }), req('aws', { kind: 'page' })] }), 'kept', { code: 'all-encrypted', requests: 1 }],
  ['encrypted', 'no processor request', input({ requests: [req('meta-pixel')] }), 'unknown', { code: 'no-processor-requests' }],
  ['encrypted', 'every processor request on https:', input({ requests: [req('aws', { kind: 'page' }), req('google-analytics')] }), 'kept', { code: 'all-encrypted', requests: 2 }],
  ['encrypted', 'plain http: to Meta (the policy promises nothing for it)', input({ requests: [req('aws')], plain: [{ entryId: 'meta-pixel', host: 'www.facebook.com' }] }), 'kept', { code: 'all-encrypted' }],
  ['encrypted', 'the page itself over http:', input({ requests: [req('aws')], plain: [{ entryId: 'aws', host: 'www.mijnliefsteboek.nl' }], plainMore: 3 }), 'broken', { code: 'plain-http', entries: ['aws'], requests: 4, host: 'www.mijnliefsteboek.nl' }],
  // aws-in-the-eu
  ['aws-in-the-eu', 'not hosted by AWS', input(), 'unknown', { code: 'region-no-hosting' }],
  ['aws-in-the-eu', 'CloudFront only: an edge is no storage region', input({ trackers: { aws: 'necessary' }, storage: { regions: [], edges: ['AMS58-P4'] } }), 'unknown', { code: 'region-unknown', edge: 'AMS58-P4' }],
  ['aws-in-the-eu', 'S3 says eu-central-1', input({ trackers: { aws: 'necessary' }, storage: { regions: [{ region: 'eu-central-1', from: 'header', host: 'www.mijnliefsteboek.nl' }], edges: ['AMS58-P4'] } }), 'kept', { code: 'region-eu', region: 'eu-central-1', from: 'header', host: null, edge: 'AMS58-P4' }],
  ['aws-in-the-eu', 'a bucket in us-east-1', input({ storage: { regions: [{ region: 'eu-west-1', from: 'header', host: 'www.mijnliefsteboek.nl' }, { region: 'us-east-1', from: 'host', host: 'mlb.s3.us-east-1.amazonaws.com' }], edges: [] } }), 'broken', { code: 'region-outside-eu', region: 'us-east-1', from: 'host', host: 'mlb.s3.us-east-1.amazonaws.com' }],
  ['aws-in-the-eu', 'London is an eu- region outside the Union', input({ storage: { regions: [{ region: 'eu-west-2', from: 'header', host: 'www.mijnliefsteboek.nl' }], edges: [] } }), 'broken', { code: 'region-outside-eu', region: 'eu-west-2' }],
  ['aws-in-the-eu', 'a region the data does not list', input({ storage: { regions: [{ region: 'ap-south-9', from: 'header', host: 'www.mijnliefsteboek.nl' }], edges: [] } }), 'broken', { code: 'region-outside-eu', region: 'ap-south-9' }],
  // named-processors-only
  ['named-processors-only', 'only named parties', input({ requests: [req('meta-pixel')] }), 'kept', { code: 'all-named' }],
  ['named-processors-only', 'Hotjar and the banner', input({ unlisted: { hosts: ['static.hotjar.com', 'policy.app.cookieinformation.com'], overflow: 0, watched: true } }), 'broken', { code: 'unnamed-parties', hosts: ['static.hotjar.com', 'policy.app.cookieinformation.com'], more: 0, banner: 'policy.app.cookieinformation.com' }],
  ['named-processors-only', 'an S3 bucket is Amazon Web Services', input({ unlisted: { hosts: ['mlb.s3.eu-west-1.amazonaws.com'], overflow: 0, watched: true }, storage: { regions: [{ region: 'eu-west-1', from: 'host', host: 'mlb.s3.eu-west-1.amazonaws.com' }], edges: [] } }), 'kept', { code: 'all-named' }],
  ['named-processors-only', 'the page’s own report has not come', input({ unlisted: { hosts: [], overflow: 0, watched: false } }), 'unknown', { code: 'unnamed-not-watched' }],
  ['named-processors-only', 'not watched, but an unnamed host seen anyway', input({ unlisted: { hosts: ['static.hotjar.com'], overflow: 0, watched: false } }), 'broken', { code: 'unnamed-parties' }],
  ['named-processors-only', 'more hosts than are named', input({ unlisted: { hosts: ['a.example', 'b.example', 'c.example', 'd.example', 'e.example', 'f.example'], overflow: 4, watched: true } }), 'broken', { code: 'unnamed-parties', hosts: ['a.example', 'b.example', 'c.example', 'd.example', 'e.example'], more: 5 }],
  ['named-processors-only', 'only counted, past the cap', input({ unlisted: { hosts: [], overflow: 2, watched: true } }), 'broken', { code: 'unnamed-parties', hosts: [], more: 2 }],
  // answer-within-a-month
  ['answer-within-a-month', 'requests not known here', input({ rights: null }), 'unknown', { code: 'answer-not-known' }],
  ['answer-within-a-month', 'no request sent', input(), 'unknown', { code: 'answer-no-requests' }],
  ['answer-within-a-month', 'a request not due yet', input({ rights: [rights({ sentAt: T0 - 10 * DAY })] }), 'unknown', { code: 'answer-pending', type: 'objection', due: '2027-03-22' }], // one month is Sun 21 March 2027: the Monday
  ['answer-within-a-month', 'answered', input({ rights: [rights({ status: 'answered' })] }), 'kept', { code: 'answer-given', answered: 1 }],
  ['answer-within-a-month', 'past its month without an answer', input({ rights: [rights(), rights({ id: 'r2', type: 'access', sentAt: T0 - 35 * DAY })] }), 'broken', { code: 'answer-overdue', type: 'objection', sent: '2027-01-22', due: '2027-02-22', overdue: 2 }],
  ['answer-within-a-month', 'extended by the shop: three months', input({ rights: [rights({ status: 'extended' })] }), 'unknown', { code: 'answer-pending', due: '2027-04-22' }],
  ['answer-within-a-month', 'closed without an answer', input({ rights: [rights({ status: 'closed' })] }), 'unknown', { code: 'answer-no-requests' }],
];

describe('the policy’s promises, judged', () => {
  it.each(CASES.map(([id, label, given, status, facts]) => [id, label, status, given, facts] as const))('%s: %s → %s', (id, _label, status, given, facts) => {
    const check = judge(id, given);
    expect(check.status).toBe(status);
    expect(check.facts).toMatchObject(facts);
  });

  it('has a kept, a broken and an unknown case for every promise', () => {
    for (const id of PROMISE_IDS) {
      expect(new Set(CASES.filter((c) => c[0] === id).map((c) => c[3])), id).toEqual(new Set(['kept', 'broken', 'unknown']));
    }
  });

  it('judges every promise, in the policy’s order, on any visit', () => {
    expect(judgePromises(input()).map((c) => c.id)).toEqual(catalog.promises.map((p) => p.id));
  });
});
