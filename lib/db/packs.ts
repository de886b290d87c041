import type { EntryId } from '../catalog/vocabulary';
import { logOpener, type LogSource } from './dexie';
import type { LogDatabase, Observation, PackedObservation, RequestPack } from './schema';
import { mergeObservation } from './merge';

/**
 * A visit's requests on disk: one pack per write of the log and visit (RequestPack in schema.ts).
 * Packs are only ever added, never rewritten: a request's end that arrives in a later write is
 * packed again as an amendment, and reading applies the packs in the order they were written (their
 * key, which IndexedDB's key generator hands out in commit order, whatever the clock says), as the
 * one-row-per-request log applied its writes: a row replaces the one with its id, an amendment is
 * merged into it (mergeObservation).
 */

/** One pack of `rows`, all of `visitId`; `amended` names the rows that are only a request's end. */
export function packObservations(visitId: string, rows: readonly Observation[], amended: ReadonlySet<string>): RequestPack {
  const entryIds = new Set<EntryId>();
  let at = Infinity;
  const observations = rows.map(({ visitId: _, ...row }) => {
    if (row.entryId) entryIds.add(row.entryId);
    at = Math.min(at, row.at);
    return amended.has(row.id) ? { ...row, amend: true as const } : row;
  });
  return { visitId, at, entryIds: [...entryIds], observations };
}

/** Groups queued rows by visit: one pack each. */
export function packBatch(rows: readonly Observation[], amended: ReadonlySet<string>): RequestPack[] {
  const byVisit = new Map<string, Observation[]>();
  for (const row of rows) {
    const visit = byVisit.get(row.visitId);
    if (visit) visit.push(row);
    else byVisit.set(row.visitId, [row]);
  }
  return [...byVisit].map(([visitId, visitRows]) => packObservations(visitId, visitRows, amended));
}

/**
 * A visit's requests from its packs, in time order. Packs are applied in the order they were written
 * (by key); what does not have the shape of a pack or a row is passed over, never thrown on: the log
 * is on the user's disk and may have been written by another version. A request the page's report
 * recovered and webRequest showed as well reads as one (`withoutRecoveredTwice`).
 */
export function unpackObservations(packs: readonly unknown[]): Observation[] {
  const sorted = packs.filter(isPack).sort((a, b) => a.seq! - b.seq!);
  const byId = new Map<string, Observation>();
  for (const pack of sorted) {
    for (const packed of pack.observations) {
      if (typeof packed !== 'object' || packed === null || typeof (packed as { id?: unknown }).id !== 'string') continue;
      const { amend, ...rest } = packed as PackedObservation;
      const row = { ...rest, visitId: pack.visitId } as Observation;
      const earlier = byId.get(row.id);
      byId.set(row.id, amend && earlier ? mergeSafely(earlier, row) : row);
    }
  }
  return [...withoutRecoveredTwice(byId).values()].sort((a, b) => a.at - b.at);
}

/**
 * Rows by id without the recovered rows that webRequest's own rows account for. A recovered row
 * (`<visit>:t<url key>:<occurrence>`, lib/observe/reconcile.ts) stands for the n-th request to its
 * URL that the page's report showed and webRequest had not; the n-th request to a URL that webRequest
 * showed is the same request. The browser does not order the two: under load, Firefox delivered a
 * page's report before the events of the same requests, and both were logged. Decided when reading,
 * not when writing, so it holds whichever came first, across worker stops, and for logs written
 * before this rule: a URL's recovered rows up to the number of its webRequest rows are left out.
 */
function withoutRecoveredTwice(byId: Map<string, Observation>): Map<string, Observation> {
  let onNetwork: Map<string, number> | undefined;
  for (const [id, row] of byId) {
    const occurrence = row.source === 'page' ? recoveredOccurrence(id, row.visitId) : null;
    if (occurrence === null) continue;
    onNetwork ??= networkRowsByUrl(byId);
    if (occurrence <= (onNetwork.get(`${row.visitId}\n${row.url}`) ?? 0)) byId.delete(id);
  }
  return byId;
}

/** webRequest's rows by visit and URL. */
function networkRowsByUrl(byId: Map<string, Observation>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of byId.values()) {
    if (row.source !== 'network') continue;
    const key = `${row.visitId}\n${row.url}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const RECOVERED_KEY = /^t[0-9a-z]+:([1-9]\d{0,8})$/;

/** The occurrence a recovered row's id names (`<visit>:t<url key>:<occurrence>`), or null for any other row. */
export function recoveredOccurrence(id: string, visitId: string): number | null {
  if (!id.startsWith(visitId) || id.charCodeAt(visitId.length) !== 58 /* : */) return null;
  const match = RECOVERED_KEY.exec(id.slice(visitId.length + 1));
  return match ? Number(match[1]) : null;
}

function isPack(value: unknown): value is RequestPack {
  const pack = value as Partial<RequestPack> | null;
  return typeof pack === 'object' && pack !== null && typeof pack.seq === 'number' && typeof pack.visitId === 'string' && Array.isArray(pack.observations);
}

/** The merge rule on rows from the disk, which may not have the shape it expects: then the start stays as it was. */
function mergeSafely(earlier: Observation, later: Observation): Observation {
  try {
    return mergeObservation(earlier, later);
  } catch {
    return earlier;
  }
}

/** Every request logged for a visit, in time order (raw rows: read each through `readObservation`). */
export async function visitObservations(db: LogDatabase, visitId: string): Promise<Observation[]> {
  return unpackObservations(await db.requestPacks.where('visitId').equals(visitId).toArray());
}

/**
 * How many rows the log holds for a URL in a visit, for requests recovered after a stopped worker
 * lost their events. A page's report recovers them in a burst, each asking for its own URL: the asks
 * made while one read is under way share it (one write of what is queued, one read and unpack of the
 * visit), where each used to make its own, which on a long visit was a read of the whole visit per
 * recovered request. An ask after the read has answered reads again, so it sees what was written since.
 */
export function createLoggedRowsCounter(log: LogSource, flush: () => Promise<void>): (visitId: string, url: string) => Promise<number> {
  const database = logOpener(log);
  let reading: { visitId: string; rowsByUrl: Promise<Map<string, number>> } | null = null;
  return (visitId, url) => {
    if (reading?.visitId !== visitId) {
      const rowsByUrl = flush()
        .then(() => visitObservations(database(), visitId))
        .then((rows) => {
          const counts = new Map<string, number>();
          for (const row of rows) counts.set(row.url, (counts.get(row.url) ?? 0) + 1);
          return counts;
        });
      const current = { visitId, rowsByUrl };
      reading = current;
      const done = () => void (reading === current && (reading = null));
      rowsByUrl.then(done, done);
    }
    return reading!.rowsByUrl.then((counts) => counts.get(url) ?? 0);
  };
}
