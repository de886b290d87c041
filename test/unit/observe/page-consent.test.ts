import { describe, expect, it } from 'vitest';
import { judgeTab } from '@/lib/observe';
import { readPageConsent } from '@/lib/observe/page-consent';
import { PageConsentMessage } from '@/lib/messages/schema';
import { makeObserver, request } from './fakes';

const SHOP = 'https://www.mijnliefsteboek.nl/';

async function visit() {
  const made = makeObserver();
  await made.store.ready;
  made.observer.requestStarted(request(SHOP, { type: 'main_frame', timeStamp: 1_000 }));
  const report = (message: unknown) => {
    const parsed = PageConsentMessage.parse(message);
    const read = readPageConsent(parsed);
    if (read) made.observer.pageConsent(7, read);
  };
  const hit = (url: string, at: number) => made.observer.requestStarted(request(url, { type: 'image', timeStamp: at }));
  return { ...made, report, hit, state: () => made.store.get(7)!, judged: () => judgeTab(made.store.get(7)!, null) };
}

const CM_DENIED = { ad_storage: 'denied', analytics_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' } as const;
const CM_GRANTED = { ad_storage: 'granted', analytics_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' } as const;
const META = 'https://www.facebook.com/tr/?id=1234567890123456&ev=PageView';

describe('the page’s consent signals, through the observer into the judgement', () => {
  it('a platform’s page API: waiting, then a refusal, then the pixel fires: against the customer’s choice', async () => {
    const { report, hit, judged, state, tick } = await visit();
    report({ source: 'banner', platform: 'usercentrics', at: 1_050 });
    report({ source: 'platform', platform: 'usercentrics', state: 'unanswered', at: 1_100 });
    tick(1_000);
    report({ source: 'platform', platform: 'usercentrics', state: 'answered', granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'], at: 1_900 });
    hit(META, 2_500);
    expect(state().banner).toMatchObject({ cmp: 'usercentrics', showing: false });
    expect(judged()).toMatchObject({ consentFrom: 'record', consentNow: { source: 'usercentrics', carriedOver: false } });
    expect(judged().entries['meta-pixel']!.verdict).toBe('against-choice');
  });

  it('a platform’s answer found at the first look is an earlier visit’s choice', async () => {
    const { report, hit, judged } = await visit();
    hit(META, 1_010);
    report({ source: 'platform', platform: 'didomi', state: 'answered', granted: ['necessary', 'marketing'], denied: [], at: 1_200 });
    expect(judged().consentNow).toMatchObject({ carriedOver: true, at: 1_000 });
    expect(judged().entries['meta-pixel']!.verdict).toBe('consented');
  });

  it('Consent Mode alone stands in for the choice, and says so', async () => {
    const { report, hit, judged, tick } = await visit();
    report({ source: 'consent-mode', command: 'default', values: CM_DENIED, origin: 'dataLayer', at: 1_001 });
    hit(META, 1_500);
    tick(1_000);
    report({ source: 'consent-mode', command: 'update', values: { ...CM_DENIED, analytics_storage: 'granted' }, origin: 'dataLayer', at: 1_900 });
    hit(META, 2_400);
    const judgement = judged();
    expect(judgement.consentFrom).toBe('consent-mode');
    expect(judgement.consentNow).toMatchObject({ source: 'consent-mode', granted: ['statistics'], denied: ['marketing'] });
    // Before the update the default said "waiting"; after it, marketing stayed refused.
    expect(judgement.requestVerdicts).toEqual(['before-choice', 'against-choice']);
  });

  it('a record and Consent Mode that contradict it: the verdicts follow the customer, and the conflict is a finding', async () => {
    const { report, hit, judged, tick } = await visit();
    report({ source: 'platform', platform: 'cookieyes', state: 'unanswered', at: 1_050 });
    tick(1_000);
    report({ source: 'platform', platform: 'cookieyes', state: 'answered', granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'], at: 1_950 });
    report({ source: 'consent-mode', command: 'update', values: CM_GRANTED, origin: 'dataLayer', at: 1_960 });
    hit('https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&gcs=G111&cid=1.2', 2_100);
    const judgement = judged();
    expect(judgement.consentFrom).toBe('record');
    expect(judgement.entries['google-analytics']!.verdict).toBe('against-choice');
    const conflicts = judgement.findings.filter((f) => f.kind === 'consent-signal-conflict');
    expect(conflicts.map((f) => [f.category, f.conflict!.direction, f.conflict!.record.source, f.conflict!.signal.source])).toEqual([
      ['statistics', 'granted', 'cookieyes', 'consent-mode'],
      ['marketing', 'granted', 'cookieyes', 'consent-mode'],
    ]);
  });

  it('the other way round is a broken setup, not a violation: accepted, but Consent Mode still denied', async () => {
    const { report, judged, tick } = await visit();
    report({ source: 'consent-mode', command: 'update', values: CM_DENIED, origin: 'dataLayer', at: 1_100 });
    tick(1_000);
    report({ source: 'platform', platform: 'klaro', state: 'answered', granted: ['necessary', 'statistics', 'marketing'], denied: [], at: 1_950 });
    expect(judged().findings.filter((f) => f.kind === 'consent-signal-conflict').map((f) => f.conflict!.direction)).toEqual(['denied', 'denied']);
  });

  it('UET’s own consent command is evidence too', async () => {
    const { report, judged, tick } = await visit();
    tick(1_000);
    report({ source: 'platform', platform: 'complianz', state: 'answered', granted: ['necessary', 'statistics'], denied: ['marketing'], at: 1_900 });
    report({ source: 'vendor-consent', vendor: 'uet', command: 'update', granted: true, at: 1_950 });
    expect(judged().findings.find((f) => f.kind === 'consent-signal-conflict')).toMatchObject({ category: 'marketing', conflict: { direction: 'granted', signal: { source: 'uet' } } });
  });

  it('a GPP string with the EU section is a record; the customer refused Google as a vendor', async () => {
    const { GppModel } = await import('@iabgpp/cmpapi');
    const model = new GppModel();
    model.setFieldValue('tcfeuv2', 'CmpId', 31);
    model.setFieldValue('tcfeuv2', 'PurposeConsents', Array.from({ length: 24 }, (_, i) => [1, 3, 4, 7, 8, 9, 10].includes(i + 1)));
    model.setFieldValue('tcfeuv2', 'VendorConsents', [1126]);
    const { report, hit, judged, tick } = await visit();
    report({ source: 'platform', platform: 'didomi', state: 'unanswered', at: 1_050 });
    tick(1_000);
    report({ source: 'gpp', gppString: model.encode(), at: 1_900 });
    hit('https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654321/?random=1', 2_100);
    hit('https://bat.bing.com/action/0?ti=187654321&Ver=2&evt=pageLoad', 2_200);
    const judgement = judged();
    expect(judgement.consentNow).toMatchObject({ source: 'gpp', granted: ['necessary', 'functional', 'statistics', 'marketing'] });
    // Marketing purposes granted, but Google (755) refused as a vendor; Microsoft (1126) allowed.
    expect(judgement.entries['google-ads']!.verdict).toBe('against-choice');
    expect(judgement.entries['microsoft-ads']!.verdict).toBe('consented');
  });

  it('the same choice told twice counts from the earlier telling: the cookie jar first, the page’s event second', async () => {
    const { report, hit, judged, tick, observer } = await visit();
    report({ source: 'platform', platform: 'cookieyes', state: 'unanswered', at: 1_050 });
    tick(1_000);
    // The jar's report: CookieYes's hosted script writes no time of the choice, so it counts from now (2,000).
    observer.cookieChanged({ removed: false, cause: 'explicit', name: 'cookieyes-consent', domain: '.mijnliefsteboek.nl', value: 'consentid:abc,consent:yes,action:yes,necessary:yes,functional:yes,analytics:yes,performance:yes,advertisement:yes,other:yes' });
    hit(META, 1_960);
    // The page's event arrives a moment later and says when the click was.
    report({ source: 'platform', platform: 'cookieyes', state: 'answered', granted: ['necessary', 'functional', 'statistics', 'marketing', 'unclassified'], denied: [], at: 1_900 });
    expect(judged().consentNow!.at).toBe(1_900);
    expect(judged().entries['meta-pixel']!.verdict).toBe('consented');
  });

  it('a Consent Mode update sent while the banner still waits is no choice (platforms send one on every load)', async () => {
    const { report, observer, judged, now } = await visit();
    report({ source: 'consent-mode', command: 'update', values: { ...CM_DENIED, functionality_storage: 'granted' }, origin: 'dataLayer', at: 1_001 });
    observer.bannerSeen(7, 'complianz', true, now());
    expect(judged()).toMatchObject({ consentFrom: 'none', consentNow: null });
  });

  it('a record read after the banner’s Consent Mode update of the same click counts from the update', async () => {
    const { report, hit, judged, tick, observer, now } = await visit();
    observer.bannerSeen(7, 'usercentrics', true, now());
    tick(1_000);
    report({ source: 'consent-mode', command: 'update', values: CM_GRANTED, origin: 'dataLayer', at: 2_000 });
    hit('https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&gcs=G111&cid=1.2', 2_005);
    tick(300);
    // Usercentrics v3 answers through a promise: the record comes a little later.
    report({ source: 'platform', platform: 'usercentrics', state: 'answered', granted: ['necessary', 'functional', 'statistics', 'marketing'], denied: [], at: 2_300 });
    expect(judged().consentNow).toMatchObject({ source: 'usercentrics', at: 2_000 });
    expect(judged().entries['google-analytics']!.verdict).toBe('consented');
  });

  it('the other order: the record first (the cookie jar), the banner’s Consent Mode update a moment later', async () => {
    const { report, hit, judged, tick, observer, now } = await visit();
    observer.bannerSeen(7, 'complianz', true, now());
    tick(1_000);
    // Complianz's cookies reach the background at 2,000 (they carry no time of their own)…
    for (const [name, value] of [['cmplz_functional', 'allow'], ['cmplz_preferences', 'allow'], ['cmplz_statistics', 'allow'], ['cmplz_marketing', 'allow'], ['cmplz_banner-status', 'dismissed']]) {
      observer.cookieChanged({ removed: false, cause: 'explicit', name: name!, domain: '.mijnliefsteboek.nl', value: value! });
    }
    // …but its Consent Mode update was pushed at 1,900, and Analytics wrote its cookie right after.
    observer.cookieChanged({ removed: false, cause: 'explicit', name: '_ga', domain: '.mijnliefsteboek.nl', value: 'GA1.1.1.1' });
    tick(100);
    report({ source: 'consent-mode', command: 'update', values: CM_GRANTED, origin: 'dataLayer', at: 1_900 });
    hit('https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&gcs=G111&cid=1.2', 1_950);
    expect(judged().consentNow).toMatchObject({ source: 'complianz', at: 1_900 });
    expect(judged().entries['google-analytics']!.verdict).toBe('consented');
  });

  it('a page cannot backdate a choice through any of the new signals', async () => {
    const { report, hit, judged, tick } = await visit();
    report({ source: 'platform', platform: 'cookiefirst', state: 'unanswered', at: 1_050 });
    hit(META, 1_500);
    tick(10_000);
    // Claims the choice was made at 1 ms past the epoch: it counts from no earlier than a live report
    // can take to arrive, so the pixel that fired while the banner waited stays before the choice.
    report({ source: 'platform', platform: 'cookiefirst', state: 'answered', granted: ['necessary', 'marketing'], denied: [], at: 1 });
    expect(judged().consentNow!.at).toBe(6_000);
    expect(judged().entries['meta-pixel']!.verdict).toBe('before-choice');
  });
});
