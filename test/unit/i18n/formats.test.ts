import { describe, expect, it } from 'vitest';
import { createTranslator } from '@/lib/i18n';

const nl = createTranslator('nl');
const en = createTranslator('en');
// 25 November 2026, 14:05:09 in Amsterdam (CET, UTC+1); the clock part depends on the machine's zone.
const afternoon = Date.UTC(2026, 10, 25, 13, 5, 9);

describe('dates and numbers in the page’s language', () => {
  it.each([
    ['2026-11-25', '25 november 2026', '25 November 2026'],
    ['2027-02-28', '28 februari 2027', '28 February 2027'],
    ['2027-03-01', '1 maart 2027', '1 March 2027'],
  ])('writes the calendar date %s out as "%s" and "%s"', (date, dutch, english) => {
    expect(nl.formatCalendarDate(date)).toBe(dutch);
    expect(en.formatCalendarDate(date)).toBe(english);
  });

  it('writes every number as Intl.NumberFormat does in that language, small whole ones included (which skip it)', () => {
    for (const [language, locale] of [['nl', 'nl-NL'], ['en', 'en-GB']] as const) {
      const t = createTranslator(language);
      const intl = new Intl.NumberFormat(locale);
      for (const value of [...Array.from({ length: 1001 }, (_, i) => i), -0, -1, -999, 0.5, 999.5, 1000, 1234, 1e6, Number.NaN]) {
        expect(t.formatNumber(value), `${language} ${value}`).toBe(intl.format(value));
      }
    }
    expect(nl.formatNumber(1234)).toBe('1.234');
    expect(en.formatNumber(1234)).toBe('1,234');
  });

  it('keeps a calendar date on its day in any time zone (no shift to the day before)', () => {
    for (const language of ['nl', 'en'] as const) expect(createTranslator(language).formatCalendarDate('2026-01-01')).toMatch(/^1 (januari|January) 2026$/);
  });

  it('writes a moment with day, short month, year and time, each language in its own words', () => {
    const dutch = nl.formatDateTime(afternoon);
    const english = en.formatDateTime(afternoon);
    expect(dutch).toMatch(/^25 nov 2026, \d{2}:05:09$/);
    expect(english).toMatch(/^25 Nov 2026, \d{2}:05:09$/);
    expect(dutch).not.toBe(english);
  });

  it('writes times on a 24-hour clock in both languages (en-GB, not en-US "2:05:09 PM")', () => {
    expect(nl.formatTime(afternoon)).toMatch(/^\d{2}:05:09$/);
    expect(en.formatTime(afternoon)).toMatch(/^\d{2}:05:09$/);
  });

  it.each([
    [1234, '1.234', '1,234'],
    [1234.5, '1.234,5', '1,234.5'],
    [0.25, '0,25', '0.25'],
    [1_000_000, '1.000.000', '1,000,000'],
  ])('writes %d as "%s" and "%s"', (value, dutch, english) => {
    expect(nl.formatNumber(value)).toBe(dutch);
    expect(en.formatNumber(value)).toBe(english);
  });

  it('formats numbers put into messages the same way', () => {
    expect(nl.plural('exportDone', 1234)).toBe('Opgeslagen: 1.234 bezoeken.');
    expect(en.plural('exportDone', 1234)).toBe('Saved: 1,234 visits.');
    expect(en.plural('exportDone', 1)).toBe('Saved: 1 visit.');
    expect(nl.t('importProblem_too_large', { megabytes: 2.5 })).toContain('2,5');
    expect(en.t('importProblem_too_large', { megabytes: 2.5 })).toContain('2.5');
  });
});
