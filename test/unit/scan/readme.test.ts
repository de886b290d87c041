import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScanArgs } from '@/lib/scan/args';

/** The README's scan commands, the CI example's among them: each must be one the scan accepts. */
const README = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
const section = README.slice(README.indexOf('## The scan command'), README.indexOf('## Tests and benchmarks'));

function commands(text: string): string[][] {
  return [...text.matchAll(/npm run scan -- ([^\n#>|]*)/g)].map((m) =>
    m[1]!
      .replace(/\$\{\{ matrix\.shard \}\}/g, '1')
      .replace(/\$CI_NODE_(INDEX|TOTAL)/g, '2')
      .trim()
      .split(/\s+/)
      // Prose writes optional flags in brackets (`[--json]`) and ends a command with a backtick.
      .filter((word) => !word.startsWith('[') && !word.endsWith(']') && !word.startsWith('`'))
      .map((word) => word.replace(/`+$/, '')),
  );
}

describe('the README’s scan commands', () => {
  const all = commands(section);
  it('include the CI example’s shard and merge steps', () => {
    expect(all.some((argv) => argv.includes('--shard') && argv.includes('--sitemap'))).toBe(true);
    expect(all.some((argv) => argv[0] === '--merge')).toBe(true);
    expect(section).toMatch(/matrix:\s*\n\s*shard: \[1, 2, 3, 4\]/);
  });

  it.each(commands(section).map((argv) => [argv.join(' '), argv] as const))('%s is accepted', (_text, argv) => {
    const parsed = parseScanArgs(argv);
    expect(parsed.ok, parsed.ok ? '' : parsed.message).toBe(true);
  });
});
