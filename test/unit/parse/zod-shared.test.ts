import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ZOD_EXPORTS } from '@/lib/parse/zod-shared';

/**
 * Chrome's worker and the pages take zod/mini's functions from zod.js, which holds only the listed ones
 * (wxt.config.ts): one the code calls and the list lacks would be `undefined` there, and fail only when
 * its schema is first built. The scan command runs in Node with zod itself, and the report's JSON
 * Schema is written by a script: neither is in the extension.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const NOT_IN_THE_EXTENSION = ['lib/scan/', 'lib/report/json-schema.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const extensionSources = ['lib', 'components', 'entrypoints']
  .flatMap((dir) => sources(resolve(ROOT, dir)))
  .map((path) => ({ where: relative(ROOT, path), text: readFileSync(path, 'utf8') }))
  .filter(({ where }) => !NOT_IN_THE_EXTENSION.some((prefix) => where.startsWith(prefix)));

/** `z.name` read as a value, also split across lines (`z\n  .string()`); `z.infer<…>` and zod's types (capitalised) are erased at build. */
function functionsCalled(text: string): string[] {
  return [...text.matchAll(/\bz\s*\.\s*(\w+)/g)].map((m) => m[1]!).filter((name) => !/^[A-Z]/.test(name) && !['infer', 'input', 'output'].includes(name));
}

describe('the zod functions zod.js holds', () => {
  it('are every one the extension calls', () => {
    const missing = extensionSources.flatMap(({ where, text }) => functionsCalled(text).filter((name) => !(ZOD_EXPORTS as readonly string[]).includes(name)).map((name) => `${where}: z.${name}`));
    expect(missing, 'add these to ZOD_EXPORTS (lib/parse/zod-shared.ts)').toEqual([]);
  });

  it('are all used, and all zod/mini’s', () => {
    const called = new Set(extensionSources.flatMap(({ text }) => functionsCalled(text)));
    expect(ZOD_EXPORTS.filter((name) => !called.has(name)), 'listed but never called: zod.js carries them for nothing').toEqual([]);
    for (const name of ZOD_EXPORTS) expect(z[name], `zod/mini exports ${name}`).toBeDefined();
  });

  it('are reached only as the namespace `z`, the one way the check above sees', () => {
    const imports = extensionSources.flatMap(({ where, text }) => [...text.matchAll(/^import\s+(?!type\b)(.*?)\s+from\s+'zod\/mini';/gm)].map((m) => `${where}: ${m[1]}`));
    expect(imports.length).toBeGreaterThan(10);
    expect(imports.filter((line) => !line.endsWith(': * as z'))).toEqual([]);
  });
});
