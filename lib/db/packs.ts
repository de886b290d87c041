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
 * is on the user's disk and may have been written by another version.
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
  return [...byId.values()].sort((a, b) => a.at - b.at);
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
