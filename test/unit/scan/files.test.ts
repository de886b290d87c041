import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeHarFile, harProblemText } from '@/lib/scan/har-file';
import { mergeFiles } from '@/lib/scan/merge-files';
import { SetupError } from '@/lib/scan/run';

const tool = { name: 'test', version: '0' };
const report = (schemaVersion: unknown) =>
  JSON.stringify({ schemaVersion, generatedAt: '2026-12-01T10:00:00.000Z', tool, catalogVersion: 'c', redacted: false, pages: [] });

/** The SetupError a promise fails with (a sentence for the terminal), or the test fails. */
async function setupError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SetupError);
  return (error as SetupError).message;
}

describe('the files the scan reads', () => {
  const folder = mkdtempSync(join(tmpdir(), 'scan-files-'));

  it('says a folder is a folder, for --har and for --merge', async () => {
    const inside = join(folder, 'captures');
    mkdirSync(inside);
    expect(await setupError(judgeHarFile(inside, tool))).toBe(`${inside} is a folder: name the file in it`);
    expect(await setupError(mergeFiles([inside], () => undefined))).toBe(`${inside} is a folder: name the file in it`);
  });

  it('refuses a report too large before reading it', async () => {
    // Sparse: 60 MB on paper, nothing on disk, and never read.
    const huge = join(folder, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 60 * 1024 * 1024);
    expect(await setupError(mergeFiles([huge], () => undefined))).toBe(`${huge} is larger than 50 MB: that is not a report of this extension.`);
  });

  it.each([
    [report(2), 'is a report of version 2, newer than this tool can read: update it (git pull, npm ci).'],
    [report(0), 'is a report of version 0, older than this tool can read'],
    ['{"schemaVersion": 1, "pages": [', 'is cut off or not JSON: save the report again'],
    ['{"log": {"version": "1.2", "entries": []}}', 'is not a Privacy Lens report. A HAR file is judged with --har'],
    [report(1).replace('"pages":[]', '"pages":[{"url":3}]'), 'is not a valid report at pages.0.url: '],
  ])('says in words what is wrong with a report to merge: %s', async (text, sentence) => {
    const file = join(folder, 'shard.json');
    writeFileSync(file, text);
    const message = await setupError(mergeFiles([file], () => undefined));
    expect(message).toContain(`${file} ${sentence}`);
    expect(message).not.toMatch(/[a-z]+-[a-z]+: \{|"version"/);
  });

  it('sends a report given to --har to the command that reads it', async () => {
    expect(harProblemText('report.json', { code: 'not-a-har' })).toContain('A Privacy Lens report is read with --merge report.json');
    const file = join(folder, 'report.json');
    writeFileSync(file, report(1));
    // And that command does read it.
    const merged = await mergeFiles([file], () => undefined);
    expect(merged.report.pages).toEqual([]);
  });
});
