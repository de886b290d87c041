import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { judgeInboxFile, putHarFile } from '@/lib/har/inbox';
import { SHOP, entry, harOf } from './build';

const tool = { name: 'mijnliefsteboek-privacy-lens', version: '0.1.0' };
const stored = async () => {
  const db = new Dexie('privacy-lens-har-inbox');
  db.version(1).stores({ files: 'id, at' });
  const count = await db.table('files').count();
  db.close();
  return count;
};

describe('the HAR inbox between the history page and the background', () => {
  it('hands the file over once: judged, and gone from the inbox', async () => {
    const id = await putHarFile(new Blob([harOf([entry(`${SHOP}/`, { at: 0, dest: 'document' })])], { type: 'application/json' }));
    expect(await stored()).toBe(1);
    const result = await judgeInboxFile(id, tool);
    expect(result.ok && result.report.pages.map((p) => p.url)).toEqual([`${SHOP}/`]);
    expect(await stored()).toBe(0);
    expect(await judgeInboxFile(id, tool)).toEqual({ ok: false, problem: { code: 'unreadable' } });
  });

  it('says what is wrong with a broken file, and sweeps files nobody took after an hour', async () => {
    const broken = await putHarFile(new Blob(['{"log":{"entries":[{"startedDate']), Date.now() - 2 * 3600_000);
    await putHarFile(new Blob(['<html>']));
    expect(await stored()).toBe(1);
    expect(await judgeInboxFile(broken, tool)).toEqual({ ok: false, problem: { code: 'unreadable' } });
    const fresh = await putHarFile(new Blob(['{"log":{"entries":[{"startedDate']));
    expect(await judgeInboxFile(fresh, tool)).toEqual({ ok: false, problem: { code: 'truncated' } });
  });
});
