import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareText } from '../../../lib/order';

describe('compareText', () => {
  it('orders host names by code unit, whatever the locale', () => {
    expect(['googleads.g.doubleclick.net', 'google-analytics.com', 'Google.com', 'a.b'].sort(compareText)).toEqual(['Google.com', 'a.b', 'google-analytics.com', 'googleads.g.doubleclick.net']);
    expect(['2026-12-31', '2026-02-01', '2026-12-01'].sort(compareText)).toEqual(['2026-02-01', '2026-12-01', '2026-12-31']);
  });

  it('is a total order: antisymmetric, zero only for equal strings, transitive', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        expect(compareText(a, b) + compareText(b, a)).toBe(0);
        expect(compareText(a, b) === 0).toBe(a === b);
        if (compareText(a, b) <= 0 && compareText(b, c) <= 0) expect(compareText(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});
