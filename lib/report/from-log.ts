import type { CookieWrite, JudgedRequest } from '../consent/judge';
import { readConsentChange, readCookie, readObservation, readRows } from '../db/read';
import { visitObservations } from '../db/packs';
import type { LogDatabase, Observation, Visit } from '../db/schema';
import { stoppedBeforeSent } from '../observe/stopped';
import { parseStoredChecks, promiseSignals, type PromiseSource } from '../promises';
import type { VisitRecord } from './build';

/**
 * A visit as the log holds it, in the shape the report and the history page judge. `logged`: its
 * requests as already read with other visits' (`visitsObservations`).
 */
export async function visitFromLog(db: LogDatabase, visit: Visit, logged?: Observation[]): Promise<VisitRecord> {
  const [rawRows, rawConsent, rawCookies] = await Promise.all([
    logged ?? visitObservations(db, visit.id),
    db.consentChanges.where('visitId').equals(visit.id).sortBy('at'),
    db.cookies.where('visitId').equals(visit.id).toArray(),
  ]);
  // Through the one reader of log rows: an entry the catalog no longer has is kept, never thrown on.
  const rows = readRows(rawRows, readObservation);
  const consent = readRows(rawConsent, readConsentChange);
  const cookies = readRows(rawCookies, readCookie).filter((c) => c.entryId !== null);
  const requests: PromiseSource['requests'] = [];
  const plain: PromiseSource['plain'] = [];
  const signals = promiseSignals();
  const activity: VisitRecord['activity'] = {};
  const unlisted: Record<string, number> = {};
  const observations: NonNullable<VisitRecord['observations']> = [];
  for (const row of rows) {
    let judged: number | null = null;
    const stopped = row.entryId !== null && row.error !== undefined && stoppedBeforeSent(row.error);
    if (row.entryId) {
      judged = requests.length;
      const personalData = row.personalData ?? [];
      // Rows logged before the promises kept what their rules read: read again from the address.
      const derived = row.carried === undefined && row.event === undefined ? signals.requestSignals(row.entryId, row.host, row.url, undefined, personalData) : {};
      const carried = row.carried ?? derived.carried;
      const event = row.event ?? derived.event;
      requests.push({ entryId: row.entryId, at: row.at, consentMode: row.consentMode ?? null, personalData, kind: row.kind, ...(carried ? { carried } : {}), ...(event ? { event } : {}), ...(stopped ? { stopped } : {}) });
      // The row keeps the request's final address (its end merged into its start): as the observer judges it.
      if (row.url.startsWith('http:') && row.status !== undefined) plain.push({ entryId: row.entryId, host: row.host });
      const entry = (activity[row.entryId] ??= { requests: 0, cookies: [], relays: [] });
      entry.requests++;
      if (stopped) entry.stopped = (entry.stopped ?? 0) + 1;
      if (row.relay && !entry.relays!.some((r) => r.host === row.host) && entry.relays!.length < 10) entry.relays!.push({ host: row.host, party: row.relay });
    } else unlisted[row.host] = (unlisted[row.host] ?? 0) + 1;
    observations.push({ at: row.at, entryId: row.entryId, host: row.host, url: row.url, type: row.type, method: row.method, status: row.status ?? null, judged, kind: row.kind, ...(row.retiredEntry ? { retiredEntry: row.retiredEntry } : {}), ...(stopped ? { stopped: true as const } : {}), ...(row.worker ? { worker: true as const } : {}) });
  }
  const cookieWrites: CookieWrite[] = [];
  for (const cookie of cookies) {
    const entryId = cookie.entryId!;
    if (cookie.change === 'set') cookieWrites.push({ entryId, name: cookie.name, at: cookie.at, ...(cookie.by ? { by: cookie.by } : {}) });
    // A cookie written with no request of its tracker is evidence on its own: the tracker is listed.
    const entry = cookie.change === 'set' ? (activity[entryId] ??= { requests: 0, cookies: [], relays: [] }) : activity[entryId];
    if (entry && cookie.change !== 'removed' && !entry.cookies.includes(cookie.name)) entry.cookies.push(cookie.name);
  }
  return {
    url: visit.url,
    startedAt: visit.startedAt,
    evidence: {
      requests,
      consent: consent.map(({ id: _id, visitId: _visit, ...change }) => change),
      banner: visit.banner ?? null,
      cookieWrites,
      unlistedHosts: Object.keys(unlisted),
    },
    activity,
    unlisted,
    plain,
    ...(visit.promises ? { promises: parseStoredChecks(visit.promises) ?? undefined } : {}),
    observations,
  };
}
