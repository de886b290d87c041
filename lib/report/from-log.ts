import type { CookieWrite, JudgedRequest } from '../consent/judge';
import type { LogDatabase, Visit } from '../db/schema';
import type { VisitRecord } from './build';

/** A visit as the log holds it, in the shape the report and the history page judge. */
export async function visitFromLog(db: LogDatabase, visit: Visit): Promise<VisitRecord> {
  const [rows, consent, cookies] = await Promise.all([
    db.observations.where('[visitId+at]').between([visit.id, -Infinity], [visit.id, Infinity]).toArray(),
    db.consentChanges.where('visitId').equals(visit.id).sortBy('at'),
    db.cookies.where('visitId').equals(visit.id).toArray(),
  ]);
  const requests: JudgedRequest[] = [];
  const activity: VisitRecord['activity'] = {};
  const unlisted: Record<string, number> = {};
  const observations: NonNullable<VisitRecord['observations']> = [];
  for (const row of rows) {
    let judged: number | null = null;
    if (row.entryId) {
      judged = requests.length;
      requests.push({ entryId: row.entryId, at: row.at, consentMode: row.consentMode ?? null, personalData: row.personalData ?? [] });
      const entry = (activity[row.entryId] ??= { requests: 0, cookies: [], relays: [] });
      entry.requests++;
      if (row.relay && !entry.relays!.some((r) => r.host === row.host) && entry.relays!.length < 10) entry.relays!.push({ host: row.host, party: row.relay });
    } else unlisted[row.host] = (unlisted[row.host] ?? 0) + 1;
    observations.push({ at: row.at, entryId: row.entryId, host: row.host, url: row.url, type: row.type, method: row.method, status: row.status ?? null, judged, kind: row.kind });
  }
  const cookieWrites: CookieWrite[] = [];
  for (const cookie of cookies) {
    if (cookie.change === 'set') cookieWrites.push({ entryId: cookie.entryId, name: cookie.name, at: cookie.at, ...(cookie.by ? { by: cookie.by } : {}) });
    // A cookie written with no request of its tracker is evidence on its own: the tracker is listed.
    const entry = cookie.change === 'set' ? (activity[cookie.entryId] ??= { requests: 0, cookies: [], relays: [] }) : activity[cookie.entryId];
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
    observations,
  };
}
