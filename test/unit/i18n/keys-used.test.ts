import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import nl from '@/public/_locales/nl/messages.json';
import en from '@/public/_locales/en/messages.json';
import { CONSENT_RECORD_CATEGORIES } from '@/lib/consent/model';
import { LOG_HEALTH_STATES } from '@/lib/db/health';
import { RETENTION_CHOICES } from '@/lib/history';
import { CHANNELS, Customer, FOLLOW_UPS, REQUEST_STATUSES, REQUEST_TYPES } from '@/lib/requests';
import { promiseCodes, PROMISE_STATUSES } from '@/lib/promises';
import { HAR_PROBLEM_CODES } from '@/lib/har/parse';

/**
 * Every key the code asks for exists in both languages. `t()` is typed against the Dutch file, but
 * `plural()` takes any string, keys built from a value are cast, and the manifest and HTML use
 * `__MSG_key__`: none of those would fail the type check, and a missing key shows the bare key name.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const files = { nl: nl as Record<string, unknown>, en: en as Record<string, unknown> };

function sources(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path, pattern);
    return pattern.test(entry.name) ? [path] : [];
  });
}

interface Use {
  where: string;
  keys: string[];
}

/** The keys a source asks for by name: t('key'), plural('key') (its _one and _other), __MSG_key__, notices. */
export function keysUsed(text: string, where: string): Use[] {
  const uses: Use[] = [];
  const lineOf = (index: number) => `${where}:${text.slice(0, index).split('\n').length}`;
  for (const m of text.matchAll(/\bt\(\s*'(\w+)'/g)) uses.push({ where: lineOf(m.index), keys: [m[1]!] });
  for (const m of text.matchAll(/\bplural\(\s*'(\w+)'/g)) uses.push({ where: lineOf(m.index), keys: [`${m[1]}_one`, `${m[1]}_other`] });
  for (const m of text.matchAll(/__MSG_(\w+)__/g)) uses.push({ where: lineOf(m.index), keys: [m[1]!] });
  // The composer's notices name their key: `notice.value = { key: 'copied' }`.
  for (const m of text.matchAll(/\bkey:\s*'(\w+)'/g)) uses.push({ where: lineOf(m.index), keys: [m[1]!] });
  // setUpPage(language, 'titleKey')
  for (const m of text.matchAll(/setUpPage\([^,]+,\s*'(\w+)'/g)) uses.push({ where: lineOf(m.index), keys: [m[1]!] });
  return uses;
}

const missing = (keys: string[]) => keys.flatMap((key) => Object.entries(files).filter(([, file]) => !(key in file)).map(([language]) => `${key} (${language})`));

describe('locale keys used by the code', () => {
  it('exist in Dutch and English, for every key named in the code, the pages and the manifest', () => {
    const code = [...['components', 'entrypoints', 'lib'].flatMap((dir) => sources(join(ROOT, dir), /\.(ts|tsx|html)$/)), join(ROOT, 'wxt.config.ts')];
    const uses = code.flatMap((path) => keysUsed(readFileSync(path, 'utf8'), relative(ROOT, path)));
    expect(uses.length).toBeGreaterThan(100);
    const problems = uses.flatMap((use) => missing(use.keys).map((what) => `${use.where}: ${what}`));
    expect(problems.join('\n')).toBe('');
  });

  it('finds keys in t(), plural(), __MSG_…__ and notices, with their line', () => {
    const text = "const a = t('one');\n<b>{plural('visits', n)}</b>\n'__MSG_extName__'; c.notice.value = { key: 'copied' };";
    expect(keysUsed(text, 'x.tsx')).toEqual([
      { where: 'x.tsx:1', keys: ['one'] },
      { where: 'x.tsx:2', keys: ['visits_one', 'visits_other'] },
      { where: 'x.tsx:3', keys: ['extName'] },
      { where: 'x.tsx:3', keys: ['copied'] },
    ]);
    expect(missing(['one', 'extName'])).toEqual(['one (nl)', 'one (en)']);
  });

  // Keys built from a value (`t(key('status', request.status))`): one per value the domain allows.
  const underscore = (value: string | number) => String(value).replace(/-/g, '_');
  const customerErrors = ['', 'x'.repeat(201)].flatMap((name) => {
    const parsed = Customer.safeParse({ name, email: 'sanne@', orderNumber: '#12' });
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  });
  it.each([
    ['requestType', REQUEST_TYPES],
    ['channelName', CHANNELS],
    ['followUp', FOLLOW_UPS],
    ['status', REQUEST_STATUSES],
    ['health', LOG_HEALTH_STATES.filter((state) => state !== 'ok')],
    ['retention', RETENTION_CHOICES],
    ['category', CONSENT_RECORD_CATEGORIES],
    ['tab', ['history', 'requests', 'settings', 'import']],
    ['promise', promiseCodes()],
    ['promiseStatus', PROMISE_STATUSES],
    ['importProblem', ['too-large', 'not-json', 'not-a-report', 'newer-version', 'older-version', 'invalid']],
    ['harProblem', HAR_PROBLEM_CODES],
    ['error', [...new Set([...customerErrors, 'letter-empty'])]],
  ] as [string, readonly (string | number)[]][])('%s_<value> for every value', (prefix, values) => {
    expect(values.length).toBeGreaterThan(0);
    expect(missing(values.map((value) => `${prefix}_${underscore(value)}`))).toEqual([]);
  });

  it('reads every customer error the form can show', () => {
    expect(new Set(customerErrors)).toEqual(new Set(['name-missing', 'name-too-long', 'email-invalid', 'order-number-shape']));
  });
});
