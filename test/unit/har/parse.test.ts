import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksCutOff, parseHar } from '@/lib/har';
import { SHOP, entry, harOf } from './build';

const GOOD = harOf([entry(`${SHOP}/`, { at: 0, dest: 'document' })]);

describe('reading a HAR file', () => {
  it.each([
    ['an empty file', '', 'empty'],
    ['only white space', ' \n\t ', 'empty'],
    ['a file cut off in the middle of an entry', GOOD.slice(0, Math.floor(GOOD.length / 2)), 'truncated'],
    ['a file cut off inside a string', '{"log":{"entries":[{"request":{"url":"https://www.mijnlie', 'truncated'],
    ['an HTML page saved by mistake', '<!doctype html><html><body>Network</body></html>', 'not-json'],
    ['JSON with a syntax error in the middle', '{"log": {"entries": [}, "x": 1}', 'not-json'],
    ['a Privacy Lens report', JSON.stringify({ schemaVersion: 1, pages: [] }), 'not-a-har'],
    ['an array', '[{"log":{}}]', 'not-a-har'],
    ['a log without entries', '{"log":{"version":"1.2","pages":[]}}', 'not-a-har'],
    ['a format from the future', '{"log":{"version":"2.0","entries":[]}}', 'unsupported-version'],
  ])('%s: %s', (_what, text, code) => {
    const result = parseHar(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.code).toBe(code);
  });

  it('says where an entry is wrong', () => {
    const broken = JSON.parse(GOOD);
    broken.log.entries.push({ startedDateTime: 'yesterday', request: { method: 'GET', url: 'x', headers: [] }, response: { status: 200, headers: [] } });
    expect(parseHar(JSON.stringify(broken))).toEqual({ ok: false, problem: { code: 'invalid', values: { where: 'log.entries[1].startedDateTime', problem: 'not a date and time (ISO 8601)' } } });
    delete broken.log.entries[1];
    broken.log.entries[1] = { startedDateTime: '2026-11-30T10:00:00Z', response: { status: 200, headers: [] } };
    const missing = parseHar(JSON.stringify(broken));
    expect(!missing.ok && missing.problem).toMatchObject({ code: 'invalid', values: { where: 'log.entries[1].request' } });
  });

  it('reads Chromium’s and Firefox’s shapes, a byte-order mark, and the 1.1 version', () => {
    const firefox = harOf([entry(`${SHOP}/`, { at: 0, offset: '+01:00', pageref: 'page_1' })], {
      creator: { name: 'Firefox', version: '128.0' },
      browser: { name: 'Firefox', version: '128.0' },
      pages: [{ startedDateTime: '2026-11-30T11:00:00.000+01:00', id: 'page_1', title: 'Mijn Liefste Boek', pageTimings: {} }],
    });
    for (const text of [GOOD, firefox, `\uFEFF${GOOD}`, GOOD.replace('"1.2"', '"1.1"')]) expect(parseHar(text).ok).toBe(true);
  });

  it('keeps only what it reads: bodies and unknown fields are dropped, and __proto__ in the file reaches nothing', () => {
    const raw = JSON.parse(GOOD);
    raw.log.entries[0].response.content.text = 'x'.repeat(10_000);
    raw.log.entries[0].__proto__ = { polluted: true };
    const text = JSON.stringify(raw).replace('"x":', '"__proto__":');
    const result = parseHar(text.replace('"cache":{}', '"__proto__":{"polluted":true},"cache":{}'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(JSON.stringify(result.har)).not.toContain('xxxxxxxx');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((result.har.log.entries[0] as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('tells a cut-off file from a broken one without the engine’s message', () => {
    expect(looksCutOff('{"a":[1,2')).toBe(true);
    expect(looksCutOff('{"a":"b\\"')).toBe(true);
    expect(looksCutOff('{"a":1}}')).toBe(false);
    expect(looksCutOff('{"a": tru}')).toBe(false);
  });

  it('never throws, whatever the file holds', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => void parseHar(text)), { numRuns: 2000 });
    fc.assert(
      fc.property(fc.nat(GOOD.length), fc.string({ maxLength: 20 }), (at, insert) => void parseHar(GOOD.slice(0, at) + insert + GOOD.slice(at))),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.jsonValue(), (value) => void parseHar(JSON.stringify({ log: { entries: [value] } }))), { numRuns: 1000 });
  });
});
