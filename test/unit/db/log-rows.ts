import { packBatch, unpackObservations } from '@/lib/db/packs';
import type { LogDatabase, Observation } from '@/lib/db/schema';

/**
 * The tests' view of the log's requests, one row each as the extension reads them: the log keeps them
 * packed (lib/db/packs.ts), so a test seeds and reads through the same packing, never a table of its own.
 */
/** Every request in the log, in time order. */
export async function storedObservations(db: LogDatabase): Promise<Observation[]> {
  return unpackObservations(await db.requestPacks.toArray());
}

export async function storedObservation(db: LogDatabase, id: string): Promise<Observation | undefined> {
  return (await storedObservations(db)).find((row) => row.id === id);
}

/** Seeds the log with requests, packed as one write of the log would (several visits share a pack). */
export async function addObservations(db: LogDatabase, rows: readonly Observation[]): Promise<void> {
  await db.requestPacks.bulkAdd(packBatch(rows, new Set()));
}
