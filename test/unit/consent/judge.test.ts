import { describe, expect, it } from 'vitest';
import { consentInForce, judgeVisit, NO_STANCE, type ConsentChange, type JudgedRequest, type VisitEvidence } from '@/lib/consent';

const T0 = 1_764_000_000_000;
const granted = (at: number, categories: ConsentChange['granted'], carriedOver = false): ConsentChange => ({
  at,
  receivedAt: at + 50,
  source: 'cookie-information',
  granted: ['necessary', ...categories],
  denied: (['functional', 'statistics', 'marketing', 'unclassified'] as const).filter((c) => !categories.includes(c)),
  carriedOver,
});
const banner = { cmp: 'cookie-information' as const, showing: true, seenAt: T0 };
const G100 = { adStorage: 'denied', analyticsStorage: 'denied' } as const;
const G111 = { adStorage: 'granted', analyticsStorage: 'granted' } as const;

function evidence(patch: Partial<VisitEvidence>): VisitEvidence {
  return { requests: [], consent: [], banner: null, cookieWrites: [], unlistedHosts: [], stance: null, ...patch };
}
const req = (entryId: JudgedRequest['entryId'], at: number, extra: Partial<JudgedRequest> = {}): JudgedRequest => ({ entryId, at, ...extra });

describe('judgeVisit', () => {
  it.each<[string, Partial<VisitEvidence>, Record<string, string>]>([
    ['hosting and payment need no consent', { requests: [req('aws', T0), req('adyen', T0 + 1), req('google-tag-manager', T0 + 2)] }, { aws: 'necessary', adyen: 'necessary', 'google-tag-manager': 'necessary' }],
    ['no banner and no record: unknown', { requests: [req('meta-pixel', T0)] }, { 'meta-pixel': 'unknown' }],
    ['banner unanswered: before-choice', { banner, requests: [req('meta-pixel', T0 + 10), req('microsoft-ads', T0 + 20)] }, { 'meta-pixel': 'before-choice', 'microsoft-ads': 'before-choice' }],
    ['accept all, trackers after: consented', { banner, consent: [granted(T0 + 100, ['functional', 'statistics', 'marketing', 'unclassified'])], requests: [req('meta-pixel', T0 + 150), req('trustpilot', T0 + 160)] }, { 'meta-pixel': 'consented', trustpilot: 'consented' }],
    ['a choice from an earlier visit counts from the start', { consent: [granted(T0 - 86_400_000, ['marketing'], true)], requests: [req('meta-pixel', T0)] }, { 'meta-pixel': 'consented' }],
    ['reject all, then the pixel: against-choice', { banner, consent: [granted(T0 + 100, [])], requests: [req('meta-pixel', T0 + 200)] }, { 'meta-pixel': 'against-choice' }],
    ['statistics only: GA consented, Ads against', { banner, consent: [granted(T0 + 100, ['statistics'])], requests: [req('google-analytics', T0 + 200, { consentMode: G111 }), req('google-ads', T0 + 210)] }, { 'google-analytics': 'consented', 'google-ads': 'against-choice' }],
    ['denied pings before the choice, then a grant', { banner, consent: [granted(T0 + 500, ['statistics', 'marketing'])], requests: [req('google-analytics', T0 + 10, { consentMode: G100 }), req('google-analytics', T0 + 600, { consentMode: G111 })] }, { 'google-analytics': 'denied-ping' }],
    ['a denied ping after a refusal is a warning, not a violation', { banner, consent: [granted(T0 + 100, [])], requests: [req('google-analytics', T0 + 200, { consentMode: G100 })] }, { 'google-analytics': 'denied-ping' }],
    ['a hit that claims granted after a refusal is against-choice', { banner, consent: [granted(T0 + 100, [])], requests: [req('google-analytics', T0 + 200, { consentMode: G111 })] }, { 'google-analytics': 'against-choice' }],
    // The record arrives after the requests its choice set off: judged by the moment it records.
    ['a late-arriving record judged by its own time', { banner, consent: [{ ...granted(T0 + 100, ['marketing']), receivedAt: T0 + 900 }], requests: [req('meta-pixel', T0 + 120)] }, { 'meta-pixel': 'consented' }],
  ])('%s', (_label, patch, expected) => {
    const judged = judgeVisit(evidence(patch));
    expect(Object.fromEntries(Object.entries(judged.entries).map(([id, j]) => [id, j!.verdict]))).toEqual(expected);
  });

  it('says which consent each request met: the records it followed, the one in force at a moment', () => {
    const refusal = granted(T0 + 100, []);
    const acceptance = granted(T0 + 500, ['marketing']);
    const signal: ConsentChange = { ...granted(T0 + 50, ['marketing']), source: 'consent-mode', signal: 'update' };
    const judged = judgeVisit(evidence({ banner, consent: [acceptance, signal, refusal], requests: [req('meta-pixel', T0 + 10), req('meta-pixel', T0 + 200), req('meta-pixel', T0 + 600)] }));
    // Records decide; the Consent Mode update is not what the verdicts follow.
    expect(judged.consentUsed).toEqual([refusal, acceptance]);
    expect([T0 + 10, T0 + 200, T0 + 600].map((at) => consentInForce(judged.consentUsed, at))).toEqual([null, refusal, acceptance]);
    expect(judged.requestVerdicts).toEqual(['before-choice', 'against-choice', 'consented']);
  });

  it('takes the worst request as the tracker verdict and counts each kind', () => {
    const judged = judgeVisit(evidence({ banner, consent: [granted(T0 + 100, ['marketing'])], requests: [req('meta-pixel', T0 + 10), req('meta-pixel', T0 + 200), req('meta-pixel', T0 + 300)] }));
    expect(judged.entries['meta-pixel']).toMatchObject({ verdict: 'before-choice', counts: { 'before-choice': 1, consented: 2 } });
    expect(judged.worst).toBe('before-choice');
    expect(judged.findings).toEqual([expect.objectContaining({ kind: 'before-choice', trackerId: 'meta-pixel', count: 1 })]);
  });

  it('finds a tracker writing its cookie while Consent Mode says denied', () => {
    const judged = judgeVisit(
      evidence({ banner, requests: [req('google-analytics', T0 + 10, { consentMode: G100 })], cookieWrites: [{ entryId: 'google-analytics', name: '_ga', at: T0 + 12 }, { entryId: 'meta-pixel', name: '_fbp', at: T0 + 13 }] }),
    );
    const mismatch = judged.findings.find((f) => f.kind === 'consent-mode-mismatch')!;
    expect(mismatch).toMatchObject({ trackerId: 'google-analytics', cookie: '_ga' });
    expect(mismatch.detail).toContain('_ga');
    // Both cookies were written while the banner waited: each is a violation of its own.
    expect(judged.findings.filter((f) => f.kind === 'before-choice').map((f) => [f.trackerId, f.cookie])).toEqual([
      ['google-analytics', '_ga'],
      ['meta-pixel', '_fbp'],
    ]);
  });

  describe('a cookie is evidence on its own (ePrivacy art. 5(3))', () => {
    const write = (entryId: JudgedRequest['entryId'], name: string, at: number, by?: 'server') => ({ entryId, name, at, ...(by ? { by } : {}) });
    it.each<[string, Partial<VisitEvidence>, Record<string, string>, string | null]>([
      ['written before the choice, no request at all', { banner, cookieWrites: [write('google-analytics', '_ga', T0 + 5)] }, { 'google-analytics': 'before-choice' }, '_ga'],
      ['written by the shop’s server before the choice', { banner, cookieWrites: [write('google-analytics', 'FPID', T0 + 5, 'server')] }, { 'google-analytics': 'before-choice' }, 'FPID'],
      ['refreshed after a refusal', { banner, consent: [granted(T0 + 100, [])], cookieWrites: [write('meta-pixel', '_fbp', T0 + 300)] }, { 'meta-pixel': 'against-choice' }, '_fbp'],
      ['written after a grant', { banner, consent: [granted(T0 + 100, ['marketing'])], cookieWrites: [write('meta-pixel', '_fbp', T0 + 300)] }, { 'meta-pixel': 'consented' }, '_fbp'],
      ['a cookieless ping and its cookie while denied: the cookie decides', { banner, requests: [req('google-analytics', T0 + 10, { consentMode: G100 })], cookieWrites: [write('google-analytics', '_ga', T0 + 12)] }, { 'google-analytics': 'before-choice' }, '_ga'],
      ['a request already worse than the cookie: the request decides', { banner, consent: [granted(T0 + 100, [])], requests: [req('meta-pixel', T0 + 300)], cookieWrites: [write('meta-pixel', '_fbp', T0 + 10)] }, { 'meta-pixel': 'against-choice' }, null],
      ['the hosting’s own cookie needs no consent', { banner, cookieWrites: [write('aws', 'AWSALB', T0 + 1)] }, { aws: 'necessary' }, 'AWSALB'],
      ['no banner, no record: unknown', { cookieWrites: [write('microsoft-ads', '_uetvid', T0 + 1)] }, { 'microsoft-ads': 'unknown' }, '_uetvid'],
    ])('%s', (_label, patch, expected, cookie) => {
      const judged = judgeVisit(evidence(patch));
      expect(Object.fromEntries(Object.entries(judged.entries).map(([id, j]) => [id, j!.verdict]))).toEqual(expected);
      const [entry] = Object.values(judged.entries);
      expect(entry!.cookie?.name ?? null).toBe(cookie);
    });

    it('says in the finding which cookie, when, and that the shop’s server set it', () => {
      const judged = judgeVisit(evidence({ banner, cookieWrites: [write('google-analytics', 'FPID', T0 + 5, 'server'), write('google-analytics', '_ga', T0 + 6)] }));
      expect(judged.findings).toEqual([expect.objectContaining({ kind: 'before-choice', trackerId: 'google-analytics', cookie: 'FPID', cookieBy: 'server', at: T0 + 5, count: 2 })]);
      expect(judged.entries['google-analytics']!.cookie).toEqual(write('google-analytics', 'FPID', T0 + 5, 'server'));
    });
  });

  it('does not call a cookie written after a grant a mismatch', () => {
    const judged = judgeVisit(
      evidence({ banner, consent: [granted(T0 + 100, ['statistics'])], requests: [req('google-analytics', T0 + 10, { consentMode: G100 }), req('google-analytics', T0 + 120, { consentMode: G111 })], cookieWrites: [{ entryId: 'google-analytics', name: '_ga', at: T0 + 121 }] }),
    );
    expect(judged.findings.filter((f) => f.kind === 'consent-mode-mismatch')).toEqual([]);
  });

  it('does not call a cookie written between the Consent Mode update that grants it and the hit it sends a mismatch', () => {
    // gtag.js writes _ga as it builds the hit the update sets off: the write comes before that hit,
    // after the cookieless ping of the moment before. Consent Mode allowed the cookie by then.
    const update: ConsentChange = { ...granted(T0 + 100, ['statistics']), source: 'consent-mode', signal: 'update' };
    const requests = [req('google-analytics', T0 + 10, { consentMode: G100 }), req('google-analytics', T0 + 104, { consentMode: G111 })];
    const judged = judgeVisit(evidence({ banner, consent: [update], requests, cookieWrites: [{ entryId: 'google-analytics', name: '_ga', at: T0 + 102 }] }));
    expect(judged.findings.filter((f) => f.kind === 'consent-mode-mismatch')).toEqual([]);
    // A write before the update is still one: the tag did not wait for it.
    const early = judgeVisit(evidence({ banner, consent: [update], requests, cookieWrites: [{ entryId: 'google-analytics', name: '_ga', at: T0 + 50 }] }));
    expect(early.findings.filter((f) => f.kind === 'consent-mode-mismatch')).toEqual([expect.objectContaining({ trackerId: 'google-analytics', cookie: '_ga' })]);
    // So is one after an update that grants only the other storage.
    const adsOnly: ConsentChange = { ...update, granted: ['marketing'], denied: ['statistics'] };
    const other = judgeVisit(evidence({ banner, consent: [adsOnly], requests, cookieWrites: [{ entryId: 'google-analytics', name: '_ga', at: T0 + 102 }] }));
    expect(other.findings.filter((f) => f.kind === 'consent-mode-mismatch')).toHaveLength(1);
    // A tag that loads after the update was pushed runs the queue in order: the default's cookieless
    // hit, then the update's write and its hit.
    const queued = judgeVisit(evidence({ banner, consent: [{ ...update, at: T0 + 5 }], requests, cookieWrites: [{ entryId: 'google-analytics', name: '_ga', at: T0 + 12 }] }));
    expect(queued.findings.filter((f) => f.kind === 'consent-mode-mismatch')).toEqual([]);
    // An update that denies it again undoes the grant for a write after it.
    const revoked: ConsentChange = { ...update, at: T0 + 150, granted: [], denied: ['statistics', 'marketing'] };
    const pinged = [...requests, req('google-analytics', T0 + 155, { consentMode: G100 })];
    const after = judgeVisit(evidence({ banner, consent: [update, revoked], requests: pinged, cookieWrites: [{ entryId: 'google-analytics', name: '_ga', at: T0 + 160 }] }));
    expect(after.findings.filter((f) => f.kind === 'consent-mode-mismatch')).toHaveLength(1);
  });

  it('finds personal data, unlisted third parties and a stance the banner contradicts', () => {
    const judged = judgeVisit(
      evidence({
        consent: [granted(T0, ['statistics', 'marketing'], true)],
        requests: [req('meta-pixel', T0 + 10, { personalData: [{ kind: 'hashed-email', where: 'ud[em]' }] }), req('meta-pixel', T0 + 20, { personalData: [{ kind: 'email', where: 'cd[email]' }] })],
        unlistedHosts: ['static.hotjar.com'],
        stance: { ...NO_STANCE, marketing: 'refuse', statistics: 'allow' },
      }),
    );
    expect(judged.findings.map((f) => f.kind).sort()).toEqual(['personal-data', 'stance-mismatch', 'unlisted-third-party']);
    const personal = judged.findings.find((f) => f.kind === 'personal-data')!;
    expect(personal).toMatchObject({ trackerId: 'meta-pixel', count: 2 });
    expect(personal.personalData).toEqual([{ kind: 'hashed-email', where: 'ud[em]' }, { kind: 'email', where: 'cd[email]' }]);
    expect(judged.findings.find((f) => f.kind === 'stance-mismatch')).toMatchObject({ category: 'marketing' });
  });
});
