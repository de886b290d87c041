import { describe, expect, it } from 'vitest';
import nl from '@/public/_locales/nl/messages.json';
import en from '@/public/_locales/en/messages.json';
import { createTranslator, pickLanguage } from '@/lib/i18n';

describe('locales', () => {
  it('Dutch and English have the same keys, none empty', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of [...Object.entries(nl), ...Object.entries(en)]) expect(value.message.trim(), key).not.toBe('');
  });

  it('uses only key names the browser accepts ([A-Za-z0-9_])', () => {
    for (const key of Object.keys(nl)) expect(key).toMatch(/^[A-Za-z0-9_]+$/);
  });

  it('names each file\'s language under localeLanguage, and no two keys differ only in case', () => {
    // The popup takes the browser's copy of its strings only when the file the browser chose is its
    // language (lib/i18n/packaged.ts); the browser looks keys up without regard to case.
    expect(nl.localeLanguage.message).toBe('nl');
    expect(en.localeLanguage.message).toBe('en');
    const lowered = Object.keys(nl).map((key) => key.toLowerCase());
    expect(new Set(lowered).size).toBe(lowered.length);
  });

  it('uses no $ in messages (the browser reads $ as a placeholder)', () => {
    for (const [key, value] of [...Object.entries(nl), ...Object.entries(en)]) expect(value.message, key).not.toContain('$');
  });

  it.each([
    ['nl', 'nl'],
    ['nl-BE', 'nl'],
    ['en-US', 'en'],
    ['da', 'en'],
    [undefined, 'en'],
  ])('picks %s → %s', (preferred, expected) => {
    expect(pickLanguage(preferred)).toBe(expected);
  });

  it('formats plurals and numbers per language', () => {
    expect(createTranslator('nl').plural('requests', 1)).toBe('1 verzoek');
    expect(createTranslator('nl').plural('requests', 1234)).toBe('1.234 verzoeken');
    expect(createTranslator('en').plural('requests', 1234)).toBe('1,234 requests');
  });
});
