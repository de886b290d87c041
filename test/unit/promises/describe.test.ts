import { describe, expect, it } from 'vitest';
import { createTranslator } from '@/lib/i18n';
import { promiseCodes, PromiseFacts, describeEvidence, type PromiseCode } from '@/lib/promises';

/** One set of facts per sentence: the type makes a new code without a sample a compile error. */
const SAMPLES: { [C in PromiseCode]: Extract<PromiseFacts, { code: C }> } = {
  'identifiers-no-hits': { code: 'identifiers-no-hits', entry: 'google-analytics' },
  'identifiers-absent': { code: 'identifiers-absent', entry: 'google-analytics', hits: 3 },
  'identifiers-sent': { code: 'identifiers-sent', entry: 'google-analytics', hits: 4, identifying: 3, params: ['cid', 'uid'] },
  'events-none': { code: 'events-none', entry: 'meta-pixel' },
  'events-allowed': { code: 'events-allowed', entry: 'meta-pixel', events: [{ name: 'AddToCart', count: 2 }] },
  'events-other': { code: 'events-other', entry: 'meta-pixel', events: [{ name: 'PageView', count: 1 }, { name: 'ViewContent', count: 3 }] },
  'events-personal': { code: 'events-personal', entry: 'meta-pixel', params: ['ud[em]'] },
  'events-other-and-personal': { code: 'events-other-and-personal', entry: 'meta-pixel', events: [{ name: 'Lead', count: 1 }], params: ['ud[em]', 'ud[ph]'] },
  'invitation-none': { code: 'invitation-none', entry: 'trustpilot' },
  'invitation-with-consent': { code: 'invitation-with-consent', entry: 'trustpilot', data: ['email', 'order-number'], category: 'functional' },
  'invitation-before-consent': { code: 'invitation-before-consent', entry: 'trustpilot', data: ['email'], category: 'functional' },
  'invitation-against-consent': { code: 'invitation-against-consent', entry: 'trustpilot', data: ['order-number'], category: 'functional' },
  'invitation-consent-unknown': { code: 'invitation-consent-unknown', entry: 'trustpilot', data: ['email'], category: 'functional' },
  'invitation-verdict-not-kept': { code: 'invitation-verdict-not-kept', entry: 'trustpilot', data: ['email'], category: 'functional' },
  'consent-violations': { code: 'consent-violations', trackers: [{ entry: 'google-analytics', verdict: 'before-choice' }, { entry: 'meta-pixel', verdict: 'against-choice' }] },
  'consent-unreadable': { code: 'consent-unreadable', entries: ['meta-pixel', 'google-ads'] },
  'consent-respected': { code: 'consent-respected', consented: 2, source: 'cookie-information' },
  'consent-pings-only': { code: 'consent-pings-only', entries: ['google-analytics'] },
  'consent-nothing-optional': { code: 'consent-nothing-optional' },
  'plain-http': { code: 'plain-http', entries: ['aws'], requests: 2, host: 'www.mijnliefsteboek.nl' },
  'all-encrypted': { code: 'all-encrypted', requests: 12 },
  'no-processor-requests': { code: 'no-processor-requests' },
  'region-eu': { code: 'region-eu', region: 'eu-central-1', from: 'header', host: null, edge: 'AMS58-P4' },
  'region-outside-eu': { code: 'region-outside-eu', region: 'us-east-1', from: 'host', host: 'mlb.s3.us-east-1.amazonaws.com', edge: null },
  'region-unknown': { code: 'region-unknown', edge: 'AMS58-P4' },
  'region-no-hosting': { code: 'region-no-hosting' },
  'unnamed-parties': { code: 'unnamed-parties', hosts: ['static.hotjar.com', 'policy.app.cookieinformation.com'], more: 3, banner: 'policy.app.cookieinformation.com' },
  'all-named': { code: 'all-named' },
  'unnamed-not-watched': { code: 'unnamed-not-watched' },
  'answer-overdue': { code: 'answer-overdue', type: 'objection', sent: '2027-01-31', due: '2027-02-28', overdue: 2 },
  'answer-given': { code: 'answer-given', answered: 1 },
  'answer-pending': { code: 'answer-pending', type: 'access', due: '2027-04-03' },
  'answer-no-requests': { code: 'answer-no-requests' },
  'answer-not-known': { code: 'answer-not-known' },
  'not-in-report': { code: 'not-in-report' },
};

const nl = createTranslator('nl');
const en = createTranslator('en');

describe('the evidence of a promise, in words', () => {
  it('has a sample for every code, each valid facts', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...promiseCodes()].sort());
    for (const facts of Object.values(SAMPLES)) expect(PromiseFacts.safeParse(facts).success, facts.code).toBe(true);
  });

  it.each(promiseCodes())('says %s in Dutch and English, every placeholder filled', (code) => {
    const dutch = describeEvidence(SAMPLES[code], nl);
    const english = describeEvidence(SAMPLES[code], en);
    for (const text of [dutch, english]) {
      expect(text, code).not.toMatch(/[{}]|promise_|undefined/);
      expect(text.length, code).toBeGreaterThan(20);
    }
    expect(dutch).not.toBe(english);
  });

  it.each([
    ['identifiers-sent', en, 'Google Analytics hits carried cid and uid (3 of 4)'],
    ['events-other', nl, 'Meta Pixel kreeg PageView en ViewContent (3×)'],
    ['consent-violations', en, 'Google Analytics before your choice; Meta Pixel after you refused'],
    ['region-eu', nl, 'eu-central-1 (Frankfurt, Duitsland), in de EU: dat zegt Amazon S3 zelf'],
    ['region-eu', en, 'through its edge AMS58-P4; that says nothing about where data is stored'],
    ['region-outside-eu', en, 'us-east-1 (Virginia, United States), outside the EU: the page loaded files from mlb.s3.us-east-1.amazonaws.com'],
    ['unnamed-parties', en, 'static.hotjar.com, policy.app.cookieinformation.com and 3 more. policy.app.cookieinformation.com is the shop’s own cookie banner.'.replace('’', "'")],
    ['answer-overdue', nl, 'Je bezwaar tegen verwerking van 31 januari 2027 had uiterlijk 28 februari 2027 beantwoord moeten zijn'],
    ['answer-overdue', en, 'Late as well: 1 more.'],
    ['invitation-before-consent', nl, 'kreeg je e-mailadres voordat je de categorie ‘functioneel’ toestond'],
    ['invitation-with-consent', en, 'received your e-mail address and your order number only after'],
    ['invitation-verdict-not-kept', nl, 'uit het midden van deze drukke pagina'],
    ['invitation-verdict-not-kept', en, 'does not keep the consent they went with, so whether you allowed the ‘functional’ category first cannot be told'],
  ] as const)('%s (%#) names the facts', (code, t, expected) => {
    expect(describeEvidence(SAMPLES[code], t)).toContain(expected);
  });

  it('says after the evidence how many requests never arrived and were left out of it', () => {
    expect(describeEvidence({ code: 'events-none', entry: 'meta-pixel', stopped: 1 }, nl)).toBe(
      'Meta Pixel kreeg op deze pagina geen gebeurtenis: niets om te beoordelen. 1 verzoek kwam niet aan en telt hier niet mee: je browser, een andere extensie of je netwerk hield het tegen.',
    );
    expect(describeEvidence({ code: 'identifiers-absent', entry: 'google-analytics', hits: 2, stopped: 3 }, en)).toMatch(/\(2\) was cookieless: .* 3 requests never arrived and are not counted here: your browser, another extension or your network stopped them\.$/);
    expect(describeEvidence({ code: 'identifiers-absent', entry: 'google-analytics', hits: 2 }, en)).not.toContain('arrived');
  });
});
