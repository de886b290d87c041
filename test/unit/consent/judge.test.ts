import { describe, expect, it } from 'vitest';
import { judgeVisit, NO_STANCE, type ConsentChange, type JudgedRequest, type VisitEvidence } from '@/lib/consent';

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
    expect(judged.findings.map((f) => [f.kind, f.trackerId])).toEqual([['consent-mode-mismatch', 'google-analytics']]);
    expect(judged.findings[0]!.detail).toContain('_ga');
  });

  it('does not call a cookie written after a grant a mismatch', () => {
    const judged = judgeVisit(
      evidence({ banner, consent: [granted(T0 + 100, ['statistics'])], requests: [req('google-analytics', T0 + 10, { consentMode: G100 }), req('google-analytics', T0 + 120, { consentMode: G111 })], cookieWrites: [{ entryId: 'google-analytics', name: '_ga', at: T0 + 121 }] }),
    );
    expect(judged.findings.filter((f) => f.kind === 'consent-mode-mismatch')).toEqual([]);
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
