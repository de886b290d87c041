import * as z from 'zod/mini';
import type { LogDatabase } from '../db/schema';
import { deleteVisitsPacks, rewriteSharedPacks } from '../db/packs';
import { emptyHarInbox } from '../har/inbox';
import { within } from '../timing/within';

export const RETENTION_KEY = 'retention:v1';
/** How long the log keeps visits, in days; 0 keeps everything. */
export const RETENTION_CHOICES = [30, 90, 365, 0] as const;
export const Retention = z.lazy(() => z.lazy(() => z.union([z.literal(30), z.literal(90), z.literal(365), z.literal(0)])));
export type Retention = z.infer<typeof Retention>;
export const DEFAULT_RETENTION: Retention = 365;

export function parseRetention(raw: unknown): Retention {
  const parsed = Retention.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_RETENTION;
}

/**
 * Removes visits older than the retention, with everything logged under them. Rights requests are never
 * touched: they are the customer's evidence until they delete them. The packs the old visits share with
 * newer ones are written again without them first, on their own: a full disk may refuse that. Then one
 * transaction that only deletes, which Chromium lets through on a full disk (lib/db/packs.ts), takes the
 * old visits with the rest of theirs. A visit whose shared pack could not be written again stays, whole,
 * for the next prune.
 */
export async function pruneLog(db: LogDatabase, retentionDays: Retention, now = Date.now()): Promise<number> {
  if (retentionDays === 0) return 0;
  const cutoff = now - retentionDays * 86_400_000;
  const old = await db.visits.where('startedAt').below(cutoff).primaryKeys();
  if (old.length === 0) return 0;
  await rewriteSharedPacks(db, old).catch(() => undefined);
  return db.transaction('rw', [db.visits, db.requestPacks, db.cookies, db.consentChanges, db.findings], async () => {
    const stuck = await deleteVisitsPacks(db, old);
    const gone = old.filter((visitId) => !stuck.has(visitId));
    await Promise.all([
      db.cookies.where('visitId').anyOf(gone).delete(),
      db.consentChanges.where('visitId').anyOf(gone).delete(),
      db.findings.where('visitId').anyOf(gone).delete(),
    ]);
    await db.visits.bulkDelete(gone);
    return gone.length;
  });
}

/**
 * Makes room when the disk is full: first what the retention setting already allows to go, then the
 * observations (the request-by-request detail) of the oldest visits. The visits themselves, their
 * consent history, findings and the rights requests stay: they are the customer's evidence. Returns
 * how many visits it took something from (0: nothing is left to free).
 */
export async function makeRoom(db: LogDatabase, retentionDays: Retention, now = Date.now()): Promise<number> {
  const pruned = await pruneLog(db, retentionDays, now);
  if (pruned > 0) return pruned;
  // The oldest tenth of the visits (at least one) that still hold request detail lose it. Visits whose
  // detail went on an earlier call are passed over, so every call frees something while any is left,
  // unless the disk refuses even to write again a pack they share with a newer visit: they keep it then.
  const want = Math.max(1, Math.floor((await db.visits.count()) / 10));
  const chosen: string[] = [];
  for (let offset = 0; chosen.length < want; offset += ROOM_PAGE) {
    const page = await db.visits.orderBy('startedAt').offset(offset).limit(ROOM_PAGE).primaryKeys();
    for (const visitId of page) {
      if (chosen.length >= want) break;
      if ((await db.requestPacks.where('visitIds').equals(visitId).limit(1).count()) > 0) chosen.push(visitId);
    }
    if (page.length < ROOM_PAGE) break;
  }
  if (chosen.length === 0) return 0;
  await rewriteSharedPacks(db, chosen).catch(() => undefined);
  return chosen.length - (await deleteVisitsPacks(db, chosen)).size;
}

/** Visits looked at per step while looking for ones that still hold detail. */
const ROOM_PAGE = 200;

/**
 * "Delete all my local data": the whole log, the requests, every stored setting and detail, and a HAR
 * file still waiting in the background's inbox (it holds every cookie and request of its capture).
 */
export async function eraseEverything(db: LogDatabase, areas: { clear(): Promise<void> }[]): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    await Promise.all(db.tables.map((table) => table.clear()));
  });
  await Promise.all([...areas.map((area) => area.clear()), emptyHarInbox()]);
}

/** How long the history page waits for the background's erase before erasing from the page itself. */
const ERASE_BOUND_MS = 20_000;

/**
 * "Delete all my local data" from the history page: the background erases, since it holds the log's
 * queued rows and the open tabs' states (lib/background/erase.ts). Asked twice (an answer of nothing is
 * how Chromium ends a message to a worker being stopped, lib/messages/answers.ts); a background that
 * does not say it erased within the bound, or fails, leaves the erase to the page: the tables and the
 * settings are cleared then, if not the rows the background still holds.
 */
export async function eraseThroughBackground(
  send: (message: { type: 'erase-everything' }) => Promise<unknown>,
  eraseHere: () => Promise<void>,
  boundMs = ERASE_BOUND_MS,
): Promise<'background' | 'page'> {
  const asking = async () => {
    for (let ask = 0; ask < 2; ask++) {
      const answer = await Promise.resolve()
        .then(() => send({ type: 'erase-everything' }))
        .catch(() => undefined);
      if (answer === true) return true;
    }
    return false;
  };
  if (await within(boundMs, asking(), false)) return 'background';
  await eraseHere();
  return 'page';
}
