import type { Dexie, EntityTable } from 'dexie';
import { dexie } from '../db/dexie';
import type { Report } from '../report';
import { harFileReport, type HarReportResult } from './file';

/**
 * How a HAR file the history page was given reaches the background, which judges it: the background
 * already holds the whole pipeline (classifier, observer, readers, judge), where a worker of the page's
 * own would carry a second copy of it (≈140–200 kB gzip, half the store zip again). Chromium's runtime
 * messages are JSON and capped at 64 MB, so the file itself goes through IndexedDB, which stores a Blob
 * as it is, and the message only names it. Nothing is kept: the background takes the file out as it
 * reads it, and files nobody took are swept after an hour.
 */
interface InboxFile {
  id: string;
  file: Blob;
  at: number;
}

const STALE_MS = 60 * 60 * 1000;

function openInbox() {
  const db = new (dexie())('privacy-lens-har-inbox') as Dexie & { files: EntityTable<InboxFile, 'id'> };
  db.version(1).stores({ files: 'id, at' });
  return db;
}

/** The page's side: the file stored for the background; its id goes in the message. */
export async function putHarFile(file: Blob, now = Date.now()): Promise<string> {
  const db = openInbox();
  try {
    const id = crypto.randomUUID();
    await db.transaction('rw', db.files, async () => {
      await db.files.where('at').below(now - STALE_MS).delete();
      await db.files.put({ id, file, at: now });
    });
    return id;
  } finally {
    db.close();
  }
}

/** "Delete all my local data": a HAR file still waiting (a worker that stopped before taking it) goes too. */
export async function emptyHarInbox(): Promise<void> {
  const db = openInbox();
  try {
    await db.files.clear();
  } finally {
    db.close();
  }
}

/** The background's side: the file taken out of the inbox and judged. */
export async function judgeInboxFile(id: string, tool: Report['tool']): Promise<HarReportResult> {
  const db = openInbox();
  let stored: InboxFile | undefined;
  try {
    stored = await db.transaction('rw', db.files, async () => {
      const found = await db.files.get(id);
      await db.files.delete(id);
      return found;
    });
  } finally {
    db.close();
  }
  if (!stored) return { ok: false, problem: { code: 'unreadable' } };
  return harFileReport(stored.file, tool);
}
