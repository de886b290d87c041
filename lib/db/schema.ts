import type { Dexie, EntityTable } from 'dexie';
import { dexie } from './dexie';
import { packBatch } from './packs';
import type { EntryId, PromiseId, RequestKind } from '../catalog';
import type { PromiseCheck, PromiseStatus } from '../promises/facts';
import type { BannerState, ConsentChange, ConsentSource, RecordCategory } from '../consent/model';
import type { ConsentModeSignals } from '../consent/consent-mode';
import type { Finding, FindingKind, Verdict } from '../consent/judge';
import type { PersonalDataHit } from '../consent/personal-data';
import type { RightsRequestRecord } from '../requests/types';

/** One page load of the shop in one tab. */
export interface Visit {
  id: string;
  tabId: number;
  url: string;
  startedAt: number;
  /** The consent banner seen on the page, if any (since schema version 2; no index, no upgrade needed). */
  banner?: BannerState | null;
  /** What the history list shows, kept up to date while the visit goes on (since version 3). */
  summary?: VisitSummary;
  /**
   * The privacy policy's promises judged on the visit, with their evidence (since 2026-12; no index,
   * no upgrade). Read back through `parseStoredChecks`: a row of another version may not parse.
   */
  promises?: PromiseCheck[];
  /** The back/forward cache showed the page again: the visit holds what happened since (since 2026-12). */
  shownAgain?: true;
}

export interface VisitSummary {
  trackers: Partial<Record<EntryId, Verdict>>;
  unlistedHosts: number;
  findings: FindingKind[];
  consent: { source: ConsentSource; at: number; granted: RecordCategory[]; denied: RecordCategory[] } | null;
  worst: Verdict | null;
  /** Each promise's status (since 2026-12). */
  promises?: Partial<Record<PromiseId, PromiseStatus>>;
}

/**
 * One request seen during a visit. `id` is `<visitId>:<source key>` so that the start and the
 * end of a request (and a re-sent page report) land on the same row instead of two.
 */
export interface Observation {
  id: string;
  visitId: string;
  at: number;
  /** null: a third party the privacy policy does not name. */
  entryId: EntryId | null;
  host: string;
  url: string;
  kind: RequestKind;
  /** The browser's resource type (script, image, ping, xmlhttprequest, main_frame, ...). */
  type: string;
  method: string;
  status?: number;
  error?: string;
  initiator?: string;
  /** A service worker sent it, not the page, which it names (lib/observe/worker-requests.ts; since 2026-12). */
  worker?: true;
  frameId: number;
  /** network: webRequest; page: the page's Resource Timing; headers: the shop's own responses. */
  source: 'network' | 'page' | 'headers';
  via?: string;
  /** Recognised by its protocol on a host that is not the vendor's: the shop's own, or another (since 2026-12). */
  relay?: 'shop' | 'other';
  /** Google Consent Mode as the request reported it (since schema version 2). */
  consentMode?: ConsentModeSignals | null;
  /** Personal data found in the request, by kind and place, never the value (since version 2). */
  personalData?: PersonalDataHit[];
  /**
   * What the policy's promises read (lib/promises/signals.ts): the watched parameters the request
   * carried, by name, and the event it reported (since 2026-12; older rows are read from `url`).
   */
  carried?: string[];
  event?: string;
}

/**
 * How the log keeps requests on disk (since schema version 5): the rows one write of the log queued,
 * packed into IndexedDB rows of up to 500 (`PACK_SIZE`; before version 7, one visit's, however many).
 * A page load's fifty requests were fifty rows, each with its own key and index entries; IndexedDB's cost is per row, so packing them made writing
 * the log several times faster (BENCHMARKS.md). Until version 7 a pack held one visit's requests; a
 * write that holds many visits (a flood of tabs, a stopped worker's journal) now packs them together.
 * `lib/db/packs.ts` packs and unpacks them; nothing else reads a pack.
 */
export interface RequestPack {
  /** From IndexedDB's key generator, in the order the packs were written: reading applies them in it. */
  seq?: number;
  /** The visits its requests belong to (a multi-entry index; version 7, before which it was one `visitId`). */
  visitIds: string[];
  /** The earliest of its requests. */
  at: number;
  /** The catalog entries its requests went to (a multi-entry index: which companies ever received data). */
  entryIds: EntryId[];
  observations: PackedObservation[];
}

/**
 * An observation in a pack. `visit`: its visit's place in the pack's `visitIds`, left out for the first.
 * `amend`: only the request's end, to merge into its start.
 */
export type PackedObservation = Omit<Observation, 'visitId'> & { visit?: number; amend?: true };

/** A change of the consent record during a visit (since schema version 2). */
export interface ConsentChangeRow extends ConsentChange {
  id: string;
  visitId: string;
}

/** A finding on a visit, kept up to date while the visit goes on (since schema version 2). */
export interface FindingRow extends Finding {
  id: string;
  visitId: string;
}

/** A catalog cookie on the shop's domain, as found at the start of a visit or set during it. */
export interface CookieSeen {
  id: string;
  visitId: string;
  entryId: EntryId;
  name: string;
  domain: string;
  /** Kept locally only: a rights request can quote it so the shop can find your data. */
  value: string;
  at: number;
  change: 'present' | 'set' | 'removed';
  /** For a write: the shop's own server set it (a Set-Cookie header), since 2026-12. */
  by?: 'server';
}

export type LogDatabase = Dexie & {
  visits: EntityTable<Visit, 'id'>;
  requestPacks: EntityTable<RequestPack, 'seq'>;
  cookies: EntityTable<CookieSeen, 'id'>;
  consentChanges: EntityTable<ConsentChangeRow, 'id'>;
  findings: EntityTable<FindingRow, 'id'>;
  rightsRequests: EntityTable<RightsRequestRecord, 'id'>;
};

/** The log's kinds of rows, as the writer queues them ('observations' are written as request packs). */
export type LogTableName = 'visits' | 'observations' | 'cookies' | 'consentChanges' | 'findings';

export const DATABASE_NAME = 'privacy-lens-log';

/**
 * Every schema version the log has had, oldest first. A new version appends an entry (with an
 * `upgrade` when rows change shape) and never edits an old one: a user's log may be at any of them,
 * and test/unit/db/upgrade.test.ts opens a log written at each earlier version with the current code.
 */
export const SCHEMA_HISTORY: { version: number; stores: Record<string, string | null>; upgrade?: (tx: import('dexie').Transaction) => Promise<void> }[] = [
  {
    version: 1,
    stores: {
      visits: 'id, startedAt, tabId',
      observations: 'id, visitId, [visitId+at], entryId, at',
      cookies: 'id, visitId, name, at',
    },
  },
  {
    // Consent history and findings. Existing rows keep their shape: observations only gain
    // optional fields, so no upgrade function is needed.
    version: 2,
    stores: {
      consentChanges: 'id, visitId, at',
      findings: 'id, visitId, kind, at',
    },
  },
  {
    // The customer's rights requests, followed to their deadline. Never pruned by retention.
    version: 3,
    stores: {
      rightsRequests: 'id, type, sentAt, status',
    },
  },
  {
    // Measured (npm run bench): every index costs write time and disk per observation. Lookups by
    // visit use the compound [visitId+at] (Dexie answers where('visitId') from its first part), and
    // nothing reads observations by time alone, so both single indexes go. Rows are unchanged.
    version: 4,
    stores: {
      observations: 'id, [visitId+at], entryId',
    },
  },
  {
    // A visit's requests packed into a row per write of the log (RequestPack): IndexedDB's cost is per
    // row, not per byte. The rows logged so far are packed by visit, in time order.
    version: 5,
    stores: {
      requestPacks: '++seq, visitId, *entryIds',
    },
    upgrade: async (tx) => {
      // Visit by visit, each visit's rows deleted once packed: never the whole log in memory, and never
      // two copies of it on a disk that may be nearly full.
      const rows = tx.table('observations');
      const packVisit = async (visit: Observation[]) => {
        for (let start = 0; start < visit.length; start += UPGRADE_PACK_SIZE) {
          await tx.table('requestPacks').bulkAdd(packBatch(visit.slice(start, start + UPGRADE_PACK_SIZE), new Set()));
        }
      };
      for (const visitId of (await tx.table('visits').toCollection().primaryKeys()) as string[]) {
        const visit = rows.where('[visitId+at]').between([visitId, dexie().minKey], [visitId, dexie().maxKey]);
        await packVisit((await visit.toArray()) as Observation[]);
        await visit.delete();
      }
      // Rows of no visit (the history never showed them, but they are the user's, and few): packed by
      // their visit id, as the writer packs a batch.
      const leftOver = ((await rows.toArray()) as Observation[]).map((row) => ({ ...row, visitId: String(row.visitId) }));
      await tx.table('requestPacks').bulkAdd(packBatch(leftOver, new Set()));
    },
  },
  {
    // The one-row-per-request table, once version 5 packed its rows.
    version: 6,
    stores: {
      observations: null,
    },
  },
  {
    // A pack may hold several visits' requests, indexed by each (RequestPack): 100,000 requests in
    // 4,000 visits were 4,000 packs, each a row with its index entries, and are now 200 (BENCHMARKS.md).
    // A pack written before names its one visit as `visitId`; its requests, the pack's first visit's,
    // stay as they are. (Version 5's upgrade, run first on an older log, packs in today's shape.)
    version: 7,
    stores: {
      requestPacks: '++seq, *visitIds, *entryIds',
    },
    upgrade: async (tx) => {
      await tx
        .table('requestPacks')
        .toCollection()
        .modify((pack: { visitId?: unknown; visitIds?: unknown }) => {
          // A pack version 5's upgrade wrote just now has today's shape: left as it is, not written again.
          if (Array.isArray(pack.visitIds)) return false;
          pack.visitIds = typeof pack.visitId === 'string' ? [pack.visitId] : [];
          delete pack.visitId;
        });
    },
  },
];

/** Requests per pack when version 5 packs the rows of an older log. */
const UPGRADE_PACK_SIZE = 500;

export const CURRENT_SCHEMA_VERSION = SCHEMA_HISTORY[SCHEMA_HISTORY.length - 1]!.version;

/**
 * The log, declared to Dexie with only the versions it must step through: each one with an upgrade,
 * and the current one, each with every table declared up to it. Since 3.0, Dexie reads the schema a
 * log is installed with and adds or drops the tables and indexes in between itself, so a version
 * without an upgrade needs no declaration of its own (test/unit/db/upgrade.test.ts opens a log of
 * every version and compares its tables and indexes with a new log's). Each declaration builds every
 * table's API again, and a woken worker builds the log before its first event: six declarations were
 * most of `openLog`'s time there (BENCHMARKS.md).
 */
export function openLog(name = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]): LogDatabase {
  const db = new (dexie())(name, options) as LogDatabase;
  let stores: Record<string, string | null> = {};
  for (const step of SCHEMA_HISTORY) {
    stores = { ...stores, ...step.stores };
    if (step.upgrade) db.version(step.version).stores(stores).upgrade(step.upgrade);
    else if (step.version === CURRENT_SCHEMA_VERSION) db.version(step.version).stores(stores);
  }
  return db;
}

/**
 * Dexie 4 opens a database that a newer version of the extension upgraded, as it is, without a
 * downgrade or a wipe. It still works; the pages say that it is newer than this version knows.
 */
export function logVersionState(db: { backendDB(): IDBDatabase }): 'ok' | 'newer-version' {
  // IndexedDB holds Dexie's version times ten.
  return db.backendDB().version / 10 > CURRENT_SCHEMA_VERSION ? 'newer-version' : 'ok';
}
