import * as z from 'zod';
import { ConsentCategory, EntryId, PromiseId, RequestKind } from '../catalog/schema';
import { PromiseStatus } from '../promises/facts';
import { FINDING_KINDS, VERDICTS } from '../consent/judge';
import { BANNERS, CONSENT_SOURCES, RecordCategory } from '../consent/model';

/**
 * The one report format: every export, every support bundle and the scan command write it, and
 * the import reads it. `schemaVersion` changes whenever a field changes meaning or goes away;
 * `report.schema.json` beside this file is the same schema as JSON Schema, for other tools.
 */
export const REPORT_SCHEMA_VERSION = 1;

const IsoTime = z.iso.datetime({ offset: true });
const Text = (max: number) => z.string().max(max);

export const TrackerReport = z.strictObject({
  id: EntryId,
  company: Text(200),
  category: ConsentCategory,
  requests: z.number().int().nonnegative(),
  cookies: z.array(Text(256)).max(100),
  verdict: z.enum(VERDICTS),
  /** Hosts that relayed the vendor's own protocol (server-side tagging, a tag gateway). Since 2026-12. */
  relays: z.array(z.strictObject({ host: Text(300), party: z.enum(['shop', 'other']) })).max(10).default([]),
  /** The cookie write the verdict rests on, when a cookie (not a request) decided it. Since 2026-12. */
  cookieEvidence: z.strictObject({ name: Text(256), at: IsoTime, by: z.enum(['script', 'server']) }).nullable().default(null),
});
export type TrackerReport = z.infer<typeof TrackerReport>;

export const FindingReport = z.strictObject({
  kind: z.enum(FINDING_KINDS),
  trackerId: EntryId.optional(),
  /** The category a consent-signal-conflict or stance-mismatch is about. */
  category: RecordCategory.optional(),
  /** The cookie the finding is about (a write before or against the choice, a Consent Mode mismatch). */
  cookie: Text(256).optional(),
  detail: Text(2000),
});
export type FindingReport = z.infer<typeof FindingReport>;

/**
 * A third party the policy does not name, with who it is when the directory of common third parties
 * knows it (`null` when it does not; reports written before 2026-12 have neither field).
 */
export const UnlistedReport = z.strictObject({
  host: Text(300),
  requests: z.number().int().nonnegative(),
  company: Text(200).nullable().default(null),
  country: z.string().regex(/^[A-Z]{2}$/).nullable().default(null),
  purpose: Text(40).nullable().default(null),
});
export type UnlistedReport = z.infer<typeof UnlistedReport>;

/** One request, for the CSV export and for a support engineer reading a visit in order. */
export const ObservationReport = z.strictObject({
  at: IsoTime,
  trackerId: EntryId.nullable(),
  host: Text(300),
  url: Text(16_384),
  type: Text(40),
  method: Text(16),
  status: z.number().int().nullable(),
  verdict: z.enum(VERDICTS).nullable(),
  /** A catalog entry this version no longer has (from an older log): shown as "no longer in the catalog". */
  retiredEntry: Text(100).optional(),
  /**
   * What the catalog calls the request (a tracker's script, a hit, its config, a widget, ...): the
   * import judges the promises by it. Since 2026-12.
   */
  kind: RequestKind.optional(),
});
export type ObservationReport = z.infer<typeof ObservationReport>;

/**
 * One of the privacy policy's promises, as judged on the page: `evidence` is one English sentence a
 * support person can act on. Since 2026-12; a page of an older report has none (an empty list), and
 * the import judges them again from the page's own requests where it can.
 */
export const PromiseReport = z.strictObject({
  id: PromiseId,
  status: PromiseStatus,
  evidence: Text(2000),
});
export type PromiseReport = z.infer<typeof PromiseReport>;

/**
 * One change of the consent state during a visit: the customer's record, or (with `signal`) what the
 * shop told the vendors' tags. The timeline draws a line at each. Since 2026-12.
 */
export const ConsentChangeReport = z.strictObject({
  at: IsoTime,
  source: z.enum(CONSENT_SOURCES),
  signal: z.enum(['default', 'update']).optional(),
  granted: z.array(RecordCategory).max(5),
  denied: z.array(RecordCategory).max(5),
  /** Already there when the visit began: an earlier visit's choice. */
  carriedOver: z.boolean(),
});
export type ConsentChangeReport = z.infer<typeof ConsentChangeReport>;

export const PageReport = z.strictObject({
  url: Text(16_384),
  visitedAt: IsoTime,
  consent: z.strictObject({
    /** Which reader decided: a platform's record (`cookiebot`, …), `tcf`, `gpp`, or `consent-mode` standing in. */
    source: z.enum([...CONSENT_SOURCES, 'none']),
    /** null while the banner was unanswered (or no banner was seen). */
    decidedAt: IsoTime.nullable(),
    granted: z.array(RecordCategory).max(5),
    denied: z.array(RecordCategory).max(5),
    /**
     * `record`: the customer's recorded choice; `consent-mode`: no record could be read, and Google
     * Consent Mode's updates stood in for it. Since 2026-12; absent in older reports.
     */
    from: z.enum(['record', 'consent-mode', 'none']).optional(),
    /** The banner seen on the page, named even when its record could not be read. Since 2026-12. */
    banner: z.enum(BANNERS).nullable().optional(),
  }),
  trackers: z.array(TrackerReport).max(50),
  unlisted: z.array(UnlistedReport).max(1000),
  findings: z.array(FindingReport).max(2000),
  promises: z.array(PromiseReport).max(50).default([]),
  observations: z.array(ObservationReport).max(20_000).optional(),
  /**
   * Requests of the visit that `observations` lacks: a live tab keeps the first and the latest of a
   * busy page's requests, the log keeps every one. Since 2026-12.
   */
  observationsLeftOut: z.number().int().nonnegative().optional(),
  consentChanges: z.array(ConsentChangeReport).max(200).optional(),
});
export type PageReport = z.infer<typeof PageReport>;

export const Report = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: IsoTime,
  tool: z.strictObject({ name: Text(100), version: Text(40) }),
  catalogVersion: Text(40),
  /** Support bundles: where the report was made. */
  environment: z.strictObject({ browser: Text(200), extensionVersion: Text(40), language: Text(20) }).optional(),
  /** true when personal data (e-mail addresses, order numbers, ids, query strings) was removed. */
  redacted: z.boolean(),
  pages: z.array(PageReport).max(10_000),
});
export type Report = z.infer<typeof Report>;
