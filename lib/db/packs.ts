import type { EntryId } from '../catalog/vocabulary';
import { logOpener, type LogSource } from './dexie';
import type { LogDatabase, Observation, PackedObservation, RequestPack } from './schema';
import { mergeObservation } from './merge';

/**
 * Requests on disk: a write of the log packs the requests it queued into rows of at most PACK_SIZE,
 * each naming the visits its requests belong to (RequestPack in schema.ts). Packs are only ever
 * added by the writer, never rewritten: a request's end that arrives in a later write is packed again
 * as an amendment, and reading applies the packs in the order they were written (their key, which
 * IndexedDB's key generator hands out in commit order, whatever the clock says), as the
 * one-row-per-request log applied its writes: a row replaces the one with its id, an amendment is
 * merged into it (mergeObservation). Only removing visits (retention, a full disk) rewrites a pack,
 * without theirs, under its own key.
 */

/**
 * Requests per pack at most. A pack is read whole whenever one of its visits is shown, so it is kept
 * small enough to read in a few milliseconds; one write packs several visits when it holds them (a
 * flood of tabs, the journal of a stopped worker), since IndexedDB's cost is per row and index entry.
 */
export const PACK_SIZE = 500;

/** A pack being filled: its visits' places, its companies, its first request. */
interface OpenPack {
  places: Map<string, number>;
  entryIds: Set<EntryId>;
  at: number;
  observations: PackedObservation[];
}

/**
 * Packs one write's queued rows (`amended` names those that are only a request's end): a visit's rows
 * together, in the order they were queued, PACK_SIZE to a pack.
 */
export function packBatch(rows: readonly Observation[], amended: ReadonlySet<string>): RequestPack[] {
  const byVisit = new Map<string, Observation[]>();
  for (const row of rows) {
    const visit = byVisit.get(row.visitId);
    if (visit) visit.push(row);
    else byVisit.set(row.visitId, [row]);
  }
  const packs: OpenPack[] = [];
  let open: OpenPack | undefined;
  for (const [visitId, visitRows] of byVisit) {
    for (const { visitId: _, ...row } of visitRows) {
      if (!open || open.observations.length === PACK_SIZE) packs.push((open = { places: new Map(), entryIds: new Set(), at: Infinity, observations: [] }));
      let place = open.places.get(visitId);
      if (place === undefined) open.places.set(visitId, (place = open.places.size));
      if (row.entryId) open.entryIds.add(row.entryId);
      open.at = Math.min(open.at, row.at);
      // A request of the pack's first visit names none: most packs hold one visit.
      const packed: PackedObservation = place === 0 ? row : { ...row, visit: place };
      open.observations.push(amended.has(row.id) ? { ...packed, amend: true } : packed);
    }
  }
  return packs.map(({ places, entryIds, at, observations }) => ({ visitIds: [...places.keys()], at, entryIds: [...entryIds], observations }));
}

/** The visit a packed request belongs to, or undefined when the pack names none there (a row from another version). */
function visitOf(pack: RequestPack, packed: PackedObservation): string | undefined {
  const visitId: unknown = pack.visitIds[packed.visit ?? 0];
  return typeof visitId === 'string' ? visitId : undefined;
}

/**
 * The pack without the requests of `gone`'s visits, or null when nothing else is left in it. Its
 * key stays, so the requests kept keep their place in the writing order.
 */
export function packWithout(pack: RequestPack, gone: ReadonlySet<string>): RequestPack | null {
  const kept: Observation[] = [];
  const amended = new Set<string>();
  for (const packed of pack.observations) {
    const visitId = visitOf(pack, packed);
    if (visitId === undefined || gone.has(visitId)) continue;
    const { visit: _, amend, ...row } = packed;
    if (amend) amended.add(row.id);
    kept.push({ ...row, visitId });
  }
  // Packed again as a write packs its rows, into one pack: a pack of more than PACK_SIZE requests was
  // written before version 7, with one visit's, so it is either gone whole or not asked for here.
  const [rest] = packBatch(kept, amended);
  return rest ? { ...rest, seq: pack.seq } : null;
}

/** Packs read at a time when visits are removed: never the whole log in memory. */
const REMOVAL_STEP = 100;

/** The keys of the packs holding any of `visitIds`, each once (the index finds a pack once per visit in it). */
async function packKeysOf(db: LogDatabase, visitIds: readonly string[]): Promise<number[]> {
  return [...new Set((await db.requestPacks.where('visitIds').anyOf(visitIds).primaryKeys()) as number[])];
}

/** Runs `step` on the packs holding any of `visitIds`, each with its key, `REMOVAL_STEP` at a time, inside the caller's transaction. */
async function inRemovalSteps(db: LogDatabase, visitIds: readonly string[], step: (packs: [key: number, pack: RequestPack][]) => Promise<void>): Promise<void> {
  const keys = await packKeysOf(db, visitIds);
  for (let start = 0; start < keys.length; start += REMOVAL_STEP) {
    const batch = keys.slice(start, start + REMOVAL_STEP);
    const packs = await db.requestPacks.bulkGet(batch);
    await step(batch.flatMap((key, n) => (packs[n] === undefined ? [] : [[key, packs[n]] as [number, RequestPack]])));
  }
}

/** Whether a pack holds nothing but the requests of `gone` (what has no pack's shape goes with its visits). */
const holdsOnly = (pack: RequestPack, gone: ReadonlySet<string>) => !isPack(pack) || pack.visitIds.every((visitId) => gone.has(visitId));

/**
 * Removing visits' requests takes two steps, because a full disk may refuse a transaction that writes,
 * even one that makes the log smaller, where Chromium counts one that only deletes as free (its
 * IndexedDB maintainer in w3c/IndexedDB#196). First the one write: the packs the visits share with
 * others are written again without their requests, under their own keys, so the writing order and
 * later amendments still hold (this function). Then the packs that hold only the visits' requests are
 * deleted (`deleteVisitsPacks`).
 */
export async function rewriteSharedPacks(db: LogDatabase, visitIds: readonly string[]): Promise<void> {
  const gone = new Set(visitIds);
  await db.transaction('rw', db.requestPacks, () =>
    inRemovalSteps(db, visitIds, async (packs) => {
      const rewritten: RequestPack[] = [];
      const emptied: number[] = [];
      for (const [key, pack] of packs) {
        if (holdsOnly(pack, gone)) continue;
        const rest = packWithout(pack, gone);
        if (rest) rewritten.push(rest);
        else emptied.push(key);
      }
      await db.requestPacks.bulkPut(rewritten);
      await db.requestPacks.bulkDelete(emptied);
    }),
  );
}

/**
 * Deletes the packs that hold only `visitIds`' requests, and nothing else. Returns the visits still
 * found in a pack with another's: that pack could not be written again without them, so they keep
 * their requests, and the caller keeps the rest of theirs, until a later try.
 */
export async function deleteVisitsPacks(db: LogDatabase, visitIds: readonly string[]): Promise<Set<string>> {
  const gone = new Set(visitIds);
  const kept = new Set<string>();
  await db.transaction('rw', db.requestPacks, () =>
    inRemovalSteps(db, visitIds, async (packs) => {
      const emptied: number[] = [];
      for (const [key, pack] of packs) {
        if (holdsOnly(pack, gone)) emptied.push(key);
        else for (const visitId of pack.visitIds) if (gone.has(visitId)) kept.add(visitId);
      }
      await db.requestPacks.bulkDelete(emptied);
    }),
  );
  return kept;
}

/**
 * A visit's requests from its packs, in time order. Packs are applied in the order they were written
 * (by key); what does not have the shape of a pack or a row is passed over, never thrown on: the log
 * is on the user's disk and may have been written by another version. A request the page's report
 * recovered and webRequest showed as well reads as one (`withoutRecoveredTwice`). `onlyVisits`: the
 * requests of those visits alone, from packs that may hold others.
 */
export function unpackObservations(packs: readonly unknown[], onlyVisits?: ReadonlySet<string>): Observation[] {
  const sorted = packs.filter(isPack).sort((a, b) => a.seq! - b.seq!);
  const byId = new Map<string, Observation>();
  for (const pack of sorted) {
    for (const packed of pack.observations) {
      if (typeof packed !== 'object' || packed === null || typeof (packed as { id?: unknown }).id !== 'string') continue;
      const visitId = visitOf(pack, packed as PackedObservation);
      if (visitId === undefined || (onlyVisits !== undefined && !onlyVisits.has(visitId))) continue;
      const { amend, visit: _, ...rest } = packed as PackedObservation;
      const row = { ...rest, visitId } as Observation;
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
  return typeof pack === 'object' && pack !== null && typeof pack.seq === 'number' && Array.isArray(pack.visitIds) && Array.isArray(pack.observations);
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
  return unpackObservations(await db.requestPacks.where('visitIds').equals(visitId).toArray(), new Set([visitId]));
}

/**
 * The requests of several visits, each visit's in time order: one read of their packs, which visits
 * logged at the same time share (an export reads the log this way, rather than a pack once per visit
 * in it).
 */
export async function visitsObservations(db: LogDatabase, visitIds: readonly string[]): Promise<Map<string, Observation[]>> {
  const byVisit = new Map(visitIds.map((visitId) => [visitId, [] as Observation[]]));
  // Each pack read once, by its key: the index's own `toArray` would copy a pack out of IndexedDB once
  // for each of the visits it holds.
  for (const row of unpackObservations(await db.requestPacks.bulkGet(await packKeysOf(db, visitIds)), new Set(visitIds))) byVisit.get(row.visitId)!.push(row);
  return byVisit;
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
