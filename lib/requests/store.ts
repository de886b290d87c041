import { catalog, findEntry } from '../catalog';
import type { LogDatabase } from '../db/schema';
import { latestBrokenPromises, type SeenBrokenPromise } from './cite';
import { trackingIdentifiers } from './identifiers';
import { Customer, RightsRequestRecord, type FollowUp, type TrackingIdentifier } from './types';

export const CUSTOMER_KEY = 'customer:v1';

/**
 * What the log knows that a request can use: ids seen in the shop's cookies, companies seen receiving
 * data, and the privacy policy's promises seen broken (the latest time each was).
 */
export async function requestEvidence(db: LogDatabase): Promise<{ identifiers: TrackingIdentifier[]; recipients: string[]; brokenPromises: SeenBrokenPromise[] }> {
  const identifierNames = new Set(catalog.entries.flatMap((e) => e.cookies.filter((c) => c.identifier && c.match === 'exact').map((c) => c.name)));
  const cookies = await db.cookies.orderBy('at').filter((c) => c.change !== 'removed' && (identifierNames.has(c.name) || c.name.startsWith('_gcl_'))).toArray();
  // The latest value of each cookie wins: ordered by time, later rows overwrite earlier ones.
  const identifiers = trackingIdentifiers(cookies.map((c) => ({ name: c.name, value: c.value })));
  const entryIds = await db.requestPacks.orderBy('entryIds').uniqueKeys();
  // An entry the catalog no longer has (an older log) names no company this version knows.
  const companies = new Set(entryIds.flatMap((id) => (typeof id === 'string' ? [findEntry(id)?.company] : [])).filter((c): c is string => c !== undefined));
  const unlisted = (await db.findings.where('kind').equals('unlisted-third-party').toArray()).map((f) => f.host).filter((h): h is string => !!h);
  const visits = await db.visits.orderBy('startedAt').reverse().limit(5_000).toArray();
  return { identifiers, recipients: [...companies, ...new Set(unlisted)], brokenPromises: latestBrokenPromises(visits) };
}

export async function saveRequest(db: LogDatabase, record: RightsRequestRecord): Promise<void> {
  await db.rightsRequests.put(RightsRequestRecord.parse(record));
}

/** Every stored request, newest first; rows that do not parse are left out, not thrown on. */
export async function listRequests(db: LogDatabase): Promise<RightsRequestRecord[]> {
  const rows = await db.rightsRequests.orderBy('sentAt').reverse().toArray();
  return rows.flatMap((row) => {
    const parsed = RightsRequestRecord.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function updateRequest(db: LogDatabase, id: string, change: Partial<Pick<RightsRequestRecord, 'status' | 'notes'>> & { followUp?: FollowUp }, now = Date.now()): Promise<void> {
  await db.transaction('rw', db.rightsRequests, async () => {
    const current = await db.rightsRequests.get(id);
    if (!current) throw new Error(`no request ${id}`);
    const next: RightsRequestRecord = {
      ...current,
      ...(change.status ? { status: change.status } : {}),
      ...(change.notes !== undefined ? { notes: change.notes } : {}),
      followUps: change.followUp ? [...current.followUps, { step: change.followUp, at: now }] : current.followUps,
      updatedAt: now,
    };
    await db.rightsRequests.put(RightsRequestRecord.parse(next));
  });
}

/** The stored customer details, or null when none (or nothing valid) is stored. */
export function parseStoredCustomer(raw: unknown): Customer | null {
  const parsed = Customer.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
