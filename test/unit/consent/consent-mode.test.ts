import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConsentMode } from '@/lib/consent';

describe('Google Consent Mode', () => {
  it.each([
    ['v=2&gcs=G100', { adStorage: 'denied', analyticsStorage: 'denied' }],
    ['gcs=G101', { adStorage: 'denied', analyticsStorage: 'granted' }],
    ['gcs=G110', { adStorage: 'granted', analyticsStorage: 'denied' }],
    ['gcs=G111&gcd=13r3r3r3r5', { adStorage: 'granted', analyticsStorage: 'granted', adUserData: 'granted', adPersonalization: 'granted' }],
    ['gcd=11p1p1p1p5', { adStorage: 'denied', analyticsStorage: 'denied', adUserData: 'denied', adPersonalization: 'denied' }],
    ['gcd=13l3l3l2l1', { adStorage: 'not-set', analyticsStorage: 'not-set', adUserData: 'not-set', adPersonalization: 'not-set' }],
    ['gcs=G111&gcd=13q3r3q3q5', { adStorage: 'denied', analyticsStorage: 'granted', adUserData: 'denied', adPersonalization: 'denied' }],
    ['gcd=13u3v3m3n5', { adStorage: 'denied', analyticsStorage: 'granted', adUserData: 'denied', adPersonalization: 'granted' }],
    ['?tid=G-1&gcs=G100', { adStorage: 'denied', analyticsStorage: 'denied' }],
    // UET's own ad_storage, from its hits (bat.bing.com/action/0?…&asc=D).
    ['ti=187654321&Ver=2&evt=pageLoad&asc=D', { adStorage: 'denied', analyticsStorage: 'not-set' }],
    ['ti=187654321&Ver=2&evt=consent&src=update&asc=G', { adStorage: 'granted', analyticsStorage: 'not-set' }],
    ['gcs=G100&asc=G', { adStorage: 'denied', analyticsStorage: 'denied' }],
  ])('%s', (query, expected) => {
    expect(parseConsentMode(query)).toEqual(expected);
  });

  it.each([['v=2&tid=G-1'], ['gcs=G1'], ['gcs=G2xx'], ['gcd=zz'], ['gcd=13x3y3z3w5'], ['asc=X'], ['asc=g'], ['']])('%s carries no Consent Mode', (query) => {
    expect(parseConsentMode(query)).toBeNull();
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (q) => void parseConsentMode(q)), { numRuns: 3000 });
  });
});
