import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPersonalData } from '@/lib/consent';

const HASH = '8d2b9ba2d0a1c6e1e1d4e8f5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f';

describe('personal data in tracker requests', () => {
  it.each([
    ['https://www.facebook.com/tr/?id=1&ev=Purchase&ud[em]=' + HASH, [{ kind: 'hashed-email', where: 'ud[em]' }]],
    ['https://www.facebook.com/tr/?id=1&ev=Lead&cd[email]=sanne%40voorbeeld.nl', [{ kind: 'email', where: 'cd[email]' }]],
    ['https://www.facebook.com/tr/?id=1&ud%5Bph%5D=' + HASH, [{ kind: 'hashed-phone', where: 'ud[ph]' }]],
    ['https://www.google.com/pagead/1p-conversion/1/?em=tv.1~em.' + HASH, [{ kind: 'hashed-email', where: 'em' }]],
    ['https://bat.bing.com/action/0?ti=1&p=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F%3Femail%3Djan%40example.nl', [{ kind: 'email', where: 'p' }]],
    ['https://region1.google-analytics.com/g/collect?v=2&tid=G-1&ph=%2B31612345678', [{ kind: 'phone', where: 'ph' }]],
    ['https://region1.google-analytics.com/g/collect?v=2&tid=G-1&cid=123.456&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F', []],
    // The page's own address in `dl` or `p`, as the browser wrote it after a form: its `@` already
    // encoded once (`%40`), so twice in the hit (`%2540`).
    ['https://region1.google-analytics.com/g/collect?v=2&tid=G-1&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F%3Femail%3Dsanne%2540voorbeeld.nl', [{ kind: 'email', where: 'dl' }]],
    ['https://www.facebook.com/tr/?id=1&ev=PageView&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2Fbedankt%3Fe%3Djos%25C3%25A9%2540voorbeeld.nl', [{ kind: 'email', where: 'dl' }]],
    // A name or a domain beyond ASCII.
    ['https://www.facebook.com/tr/?id=1&ev=Lead&cd[email]=sanne%40voorbe%C3%ABld.nl', [{ kind: 'email', where: 'cd[email]' }]],
    ['https://www.facebook.com/tr/?id=1&ev=Lead&cd[email]=sanne%40xn--voorbeld-e1a.nl', [{ kind: 'email', where: 'cd[email]' }]],
    // A `%` that is not an escape must not stop the search, nor throw.
    ['https://region1.google-analytics.com/g/collect?v=2&tid=G-1&dt=100%25%20zeker&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F', []],
    // a 64-hex value in a parameter that is not about e-mail is an id, not personal data
    ['https://www.facebook.com/tr/?id=1&eid=' + HASH, []],
  ])('%s', (url, expected) => {
    expect(findPersonalData(url)).toEqual(expected);
  });

  it('looks in beacon bodies, one hit per line', () => {
    expect(findPersonalData('https://region1.google-analytics.com/g/collect?v=2', 'en=page_view&ep.user=x\nen=purchase&ep.mail=sanne%40voorbeeld.nl')).toEqual([{ kind: 'email', where: 'ep.mail' }]);
    expect(findPersonalData('https://x.example/', '{"email":"sanne@voorbeeld.nl"}')).toEqual([{ kind: 'email', where: 'body' }]);
  });

  it('never throws on any URL or body', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), fc.option(fc.string({ maxLength: 2000 }), { nil: undefined }), (url, body) => void findPersonalData(url, body)), { numRuns: 3000 });
  });
});
