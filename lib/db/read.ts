import * as z from 'zod/mini';
import { EntryId, RequestKind } from '../catalog/vocabulary';
import { ConsentModeSignals } from '../consent/consent-mode';
import { BannerState, ConsentChange } from '../consent/model';
import { PersonalDataHit } from '../consent/personal-data';
import type { ConsentChangeRow, CookieSeen, Observation, Visit } from './schema';

/**
 * The one way rows come back out of the log. IndexedDB is the extension's own, but a log outlives
 * versions of the extension: an entry the catalog no longer has (retired, renamed) must not throw in
 * the visit view or the composer. Such a row is kept and says which entry it was (`retiredEntry`);
 * a row that is not a row at all is left out.
 */

/** An entry id: a current one, or one the catalog no longer has. */
const AnyEntryId = z.lazy(() => z.string().check(z.maxLength(100)));

const ObservationRow = z.lazy(() => z.looseObject({
  id: z.string(),
  visitId: z.string(),
  at: z.number(),
  entryId: z.nullable(AnyEntryId),
  host: z.string(),
  url: z.string(),
  kind: z.catch(RequestKind, 'other'),
  type: z.string(),
  method: z.string(),
  status: z.optional(z.number()),
  error: z.optional(z.string()),
  initiator: z.optional(z.string()),
  worker: z.catch(z.optional(z.literal(true)), undefined),
  frameId: z.number(),
  source: z.enum(['network', 'page', 'headers']),
  via: z.optional(z.string()),
  relay: z.optional(z.enum(['shop', 'other'])),
  consentMode: z.catch(z.optional(z.nullable(ConsentModeSignals)), undefined),
  personalData: z.catch(z.optional(z.array(PersonalDataHit)), undefined),
}));

const CookieRow = z.lazy(() => z.looseObject({
  id: z.string(),
  visitId: z.string(),
  entryId: AnyEntryId,
  name: z.string(),
  domain: z.string(),
  value: z.string(),
  at: z.number(),
  change: z.enum(['present', 'set', 'removed']),
  by: z.optional(z.literal('server')),
}));

const ChangeRow = z.lazy(() => z.extend(ConsentChange, { id: z.string(), visitId: z.string() }));

const VisitRow = z.lazy(() => z.looseObject({
  id: z.string(),
  tabId: z.number(),
  url: z.string(),
  startedAt: z.number(),
  banner: z.catch(z.optional(z.nullable(BannerState)), null),
}));

const isEntryId = (id: string): id is EntryId => EntryId.safeParse(id).success;

export type ReadObservation = Observation & { retiredEntry?: string };
export type ReadCookie = Omit<CookieSeen, 'entryId'> & { entryId: EntryId | null; retiredEntry?: string };

/** An observation, with an entry the catalog no longer has kept as `retiredEntry` (and no entry). */
export function readObservation(raw: unknown): ReadObservation | null {
  const parsed = ObservationRow.safeParse(raw);
  if (!parsed.success) return null;
  const { entryId, ...row } = parsed.data;
  if (entryId === null || isEntryId(entryId)) return { ...(row as Omit<Observation, 'entryId'>), entryId };
  return { ...(row as Omit<Observation, 'entryId'>), entryId: null, retiredEntry: entryId };
}

export function readCookie(raw: unknown): ReadCookie | null {
  const parsed = CookieRow.safeParse(raw);
  if (!parsed.success) return null;
  const { entryId, ...row } = parsed.data;
  return isEntryId(entryId) ? { ...(row as Omit<CookieSeen, 'entryId'>), entryId } : { ...(row as Omit<CookieSeen, 'entryId'>), entryId: null, retiredEntry: entryId };
}

export function readConsentChange(raw: unknown): ConsentChangeRow | null {
  const parsed = ChangeRow.safeParse(raw);
  return parsed.success ? (parsed.data as ConsentChangeRow) : null;
}

export function readVisit(raw: unknown): Visit | null {
  const parsed = VisitRow.safeParse(raw);
  return parsed.success ? (parsed.data as Visit) : null;
}

/** Rows read one by one: the ones that parse, in order. */
export function readRows<T>(rows: readonly unknown[], read: (raw: unknown) => T | null): T[] {
  const out: T[] = [];
  for (const raw of rows) {
    const row = read(raw);
    if (row !== null) out.push(row);
  }
  return out;
}
