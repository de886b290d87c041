/**
 * The log's ingest, run in the extension's service worker beside the background (bench.ts bundles this
 * file and evaluates it there): the log's own writer (lib/db/writer.ts) with the background's delay, on
 * the log itself, fed a flood of requests as fast as it takes them, one visit's requests per task. The
 * writer decides the packs and the transactions, as it does for the background. Its journal in session
 * storage is left out: this measures IndexedDB.
 */
import { LOG_WRITE_DELAY_MS } from '@/lib/db/background-log';
import { openLog } from '@/lib/db/schema';
import { createLogWriter } from '@/lib/db/writer';
import { visitObservations, visitsObservations } from '@/lib/db/packs';
import { median } from './stats';

const ENTRIES = ['google-analytics', 'meta-pixel', 'microsoft-ads', 'google-ads', 'aws', null] as const;

/**
 * Lets the worker's other tasks run (the writer's transaction callbacks), without a timer's clamping.
 * One channel for every hop: making a channel per hop took 92 ms of a 3.1 s ingest's profile, the
 * bench's cost and not the log's. A port delivers its messages in order, so each message wakes the
 * oldest hop still waiting, however many ingests run at once.
 */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const nextTask = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

async function ingest(count: number, visits: number, name?: string) {
  const db = openLog(name);
  await db.open();
  let transactions = 0;
  const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
  Object.assign(db, { transaction: (...args: unknown[]) => (transactions++, transaction(...args)) });
  const writer = createLogWriter(db, { delayMs: LOG_WRITE_DELAY_MS });
  const packsBefore = await db.requestPacks.count();
  const before = (await navigator.storage.estimate()).usage ?? 0;
  const started = performance.now();
  const base = Date.now() - 30 * 86_400_000;
  const perVisit = count / visits;
  for (let visitIndex = 0; visitIndex < visits; visitIndex++) {
    const visitId = `bench-${count}-${visitIndex}`;
    const first = visitIndex * perVisit;
    writer.put('visits', { id: visitId, tabId: 1, url: `https://www.mijnliefsteboek.nl/boeken/${visitIndex}`, startedAt: base + first * 1000, summary: { trackers: { 'meta-pixel': visitIndex % 7 === 0 ? 'against-choice' : 'consented', aws: 'necessary' }, unlistedHosts: 1, findings: [], consent: null, worst: 'consented' } });
    for (let i = first; i < first + perVisit; i++) {
      const entryId = ENTRIES[i % ENTRIES.length]!;
      writer.put('observations', { id: `${visitId}:r${i}`, visitId, at: base + i * 1000, entryId, host: entryId ? 'www.facebook.com' : 'static.hotjar.com', url: `https://www.facebook.com/tr/?id=1234567890123456&ev=PageView&n=${i}`, kind: 'hit', type: 'image', method: 'GET', status: 200, frameId: 0, source: 'network' });
    }
    await nextTask();
  }
  const fedMs = performance.now() - started;
  await writer.flush();
  const ms = performance.now() - started;
  const after = (await navigator.storage.estimate()).usage ?? 0;
  const packs = (await db.requestPacks.count()) - packsBefore;
  // A visit's requests read back, as the history's detail and a report read them: a pack holds up to
  // 500 requests of several visits, read whole. Every hundredth visit, once each.
  const reads: number[] = [];
  for (let visitIndex = 0; visitIndex < visits; visitIndex += 100) {
    const readStarted = performance.now();
    const rows = await visitObservations(db, `bench-${count}-${visitIndex}`);
    reads.push(performance.now() - readStarted);
    if (rows.length !== perVisit) throw new Error(`visit ${visitIndex} read back ${rows.length} requests of ${perVisit}`);
  }
  // The first 1,000 visits as an export reads them (lib/history/export.ts): a hundred at a time.
  const exportStarted = performance.now();
  let exported = 0;
  for (let visitIndex = 0; visitIndex < Math.min(visits, 1_000); visitIndex += 100) {
    const ids = Array.from({ length: Math.min(100, visits - visitIndex) }, (_, n) => `bench-${count}-${visitIndex + n}`);
    for (const rows of (await visitsObservations(db, ids)).values()) exported += rows.length;
  }
  const exportReadMs = performance.now() - exportStarted;
  if (exported !== Math.min(visits, 1_000) * perVisit) throw new Error(`the export's read found ${exported} requests`);
  db.close();
  return { ms, fedMs, bytes: after - before, transactions, packs, visitReadMs: median(reads), exportReadMs };
}

Object.assign(globalThis, { benchIngest: ingest });
