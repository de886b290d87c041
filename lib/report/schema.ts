import * as z from 'zod/mini';
import { ConsentCategory, EntryId, PromiseId, RequestKind } from '../catalog/vocabulary';
import { PromiseStatus } from '../promises/facts';
import { FINDING_KINDS, VERDICTS } from '../consent/judge';
import { BANNERS, CONSENT_SOURCES, RecordCategory } from '../consent/model';

/**
 * The one report format: every export, every support bundle and the scan command write it, and
 * the import reads it. `schemaVersion` changes whenever a field changes meaning or goes away;
 * `report.schema.json` beside this file is the same schema as JSON Schema, for other tools.
 */
export const REPORT_SCHEMA_VERSION = 1;

const IsoTime = z.lazy(() => z.iso.datetime({ offset: true }));
const Text = (max: number) => z.string().check(z.maxLength(max));

/**
 * What a verdict judged from a HAR file rests on that a HAR cannot show (lib/har): `page-world`, what only
 * the page's own scripts knew (the banner on screen, the platform's API, a choice no later request
 * carried); `consent-mode-hits`, the choice read from Consent Mode on Google's hits, not the page's own
 * commands; `script-cookie`, a cookie a script wrote, whose moment the HAR shows only as "before the
 * next request that carried it".
 */
export const HAR_LIMITS = ['page-world', 'consent-mode-hits', 'script-cookie'] as const;
export type HarLimit = (typeof HAR_LIMITS)[number];

export const TrackerReport = z.lazy(() => z.strictObject({
  id: EntryId,
  company: Text(200),
  category: ConsentCategory,
  requests: z.int().check(z.nonnegative()),
  cookies: z.array(Text(256)).check(z.maxLength(100)),
  verdict: z.enum(VERDICTS),
  /** Of `requests`, those stopped before they were sent (a blocker, the browser, the network). Since 2026-12; absent for none. */
  stopped: z.optional(z.int().check(z.positive())),
  /** Hosts that relayed the vendor's own protocol (server-side tagging, a tag gateway). Since 2026-12. */
  relays: z._default(z.array(z.strictObject({ host: Text(300), party: z.enum(['shop', 'other']) })).check(z.maxLength(10)), []),
  /** The cookie write the verdict rests on, when a cookie (not a request) decided it. Since 2026-12. */
  cookieEvidence: z._default(z.nullable(z.strictObject({ name: Text(256), at: IsoTime, by: z.enum(['script', 'server']) })), null),
  /** Judged from a HAR file: what the verdict rests on that a HAR cannot show. Since 2026-12 (issue 17). */
  harLimits: z.optional(z.array(z.enum(HAR_LIMITS)).check(z.maxLength(HAR_LIMITS.length))),
}));
export type TrackerReport = z.infer<typeof TrackerReport>;

export const FindingReport = z.lazy(() => z.strictObject({
  kind: z.enum(FINDING_KINDS),
  trackerId: z.optional(EntryId),
  /** The category a consent-signal-conflict or stance-mismatch is about. */
  category: z.optional(RecordCategory),
  /** The cookie the finding is about (a write before or against the choice, a Consent Mode mismatch). */
  cookie: z.optional(Text(256)),
  detail: Text(2000),
}));
export type FindingReport = z.infer<typeof FindingReport>;

/**
 * A third party the policy does not name, with who it is when the directory of common third parties
 * knows it (`null` when it does not; reports written before 2026-12 have neither field).
 */
export const UnlistedReport = z.lazy(() => z.strictObject({
  host: Text(300),
  requests: z.int().check(z.nonnegative()),
  company: z._default(z.nullable(Text(200)), null),
  country: z._default(z.nullable(z.string().check(z.regex(/^[A-Z]{2}$/))), null),
  purpose: z._default(z.nullable(Text(40)), null),
}));
export type UnlistedReport = z.infer<typeof UnlistedReport>;

/** One request, for the CSV export and for a support engineer reading a visit in order. */
export const ObservationReport = z.lazy(() => z.strictObject({
  at: IsoTime,
  trackerId: z.nullable(EntryId),
  host: Text(300),
  url: Text(16_384),
  type: Text(40),
  method: Text(16),
  status: z.nullable(z.int()),
  verdict: z.nullable(z.enum(VERDICTS)),
  /** A catalog entry this version no longer has (from an older log): shown as "no longer in the catalog". */
  retiredEntry: z.optional(Text(100)),
  /**
   * What the catalog calls the request (a tracker's script, a hit, its config, a widget, ...): the
   * import judges the promises by it. Since 2026-12.
   */
  kind: z.optional(RequestKind),
  /** Stopped before it was sent (a blocker, the browser, the network): never received. Since 2026-12. */
  stopped: z.optional(z.literal(true)),
  /**
   * Sent by a service worker, not by the page (Google's tag sends GA4 to a tagging server so): the
   * browser tied it to no tab, and the page's own developer tools may not list it. Since 2026-12.
   */
  worker: z.optional(z.literal(true)),
}));
export type ObservationReport = z.infer<typeof ObservationReport>;

/**
 * One of the privacy policy's promises, as judged on the page: `evidence` is one English sentence a
 * support person can act on. Since 2026-12; a page of an older report has none (an empty list), and
 * the import judges them again from the page's own requests where it can.
 */
export const PromiseReport = z.lazy(() => z.strictObject({
  id: PromiseId,
  status: PromiseStatus,
  evidence: Text(2000),
}));
export type PromiseReport = z.infer<typeof PromiseReport>;

/**
 * One change of the consent state during a visit: the customer's record, or (with `signal`) what the
 * shop told the vendors' tags. The timeline draws a line at each. Since 2026-12.
 */
export const ConsentChangeReport = z.lazy(() => z.strictObject({
  at: IsoTime,
  source: z.enum(CONSENT_SOURCES),
  signal: z.optional(z.enum(['default', 'update'])),
  granted: z.array(RecordCategory).check(z.maxLength(5)),
  denied: z.array(RecordCategory).check(z.maxLength(5)),
  /** Already there when the visit began: an earlier visit's choice. */
  carriedOver: z.boolean(),
}));
export type ConsentChangeReport = z.infer<typeof ConsentChangeReport>;

export const PageReport = z.lazy(() => z.strictObject({
  url: Text(16_384),
  visitedAt: IsoTime,
  consent: z.strictObject({
    /** Which reader decided: a platform's record (`cookiebot`, …), `tcf`, `gpp`, or `consent-mode` standing in. */
    source: z.enum([...CONSENT_SOURCES, 'none']),
    /** null while the banner was unanswered (or no banner was seen). */
    decidedAt: z.nullable(IsoTime),
    granted: z.array(RecordCategory).check(z.maxLength(5)),
    denied: z.array(RecordCategory).check(z.maxLength(5)),
    /**
     * `record`: the customer's recorded choice; `consent-mode`: no record could be read, and Google
     * Consent Mode's updates stood in for it. Since 2026-12; absent in older reports.
     */
    from: z.optional(z.enum(['record', 'consent-mode', 'none'])),
    /** The banner seen on the page, named even when its record could not be read. Since 2026-12. */
    banner: z.optional(z.nullable(z.enum(BANNERS))),
  }),
  trackers: z.array(TrackerReport).check(z.maxLength(50)),
  unlisted: z.array(UnlistedReport).check(z.maxLength(1000)),
  findings: z.array(FindingReport).check(z.maxLength(2000)),
  promises: z._default(z.array(PromiseReport).check(z.maxLength(50)), []),
  observations: z.optional(z.array(ObservationReport).check(z.maxLength(20_000))),
  /**
   * Requests of the visit that `observations` lacks: a live tab keeps the first and the latest of a
   * busy page's requests, the log keeps every one. Since 2026-12.
   */
  observationsLeftOut: z.optional(z.int().check(z.nonnegative())),
  consentChanges: z.optional(z.array(ConsentChangeReport).check(z.maxLength(200))),
  /**
   * Judged from a HAR file rather than seen live: who wrote the file, and whether it holds cookies at all
   * (Chrome's "sanitized" export leaves them out, and with them the consent platform's record). Since 2026-12.
   */
  capture: z.optional(z.strictObject({ from: z.literal('har'), creator: Text(200), cookies: z.boolean() })),
  /** The page's place in a site scan's URL list (sitemap or crawl order), kept when shards are merged. Since 2026-12. */
  position: z.optional(z.int().check(z.nonnegative())),
}));
export type PageReport = z.infer<typeof PageReport>;

/** One tracker across the pages of a site scan. */
export const SiteTrackerSummary = z.lazy(() => z.strictObject({
  id: EntryId,
  company: Text(200),
  /** Pages on which it was active. */
  pages: z.int().check(z.nonnegative()),
  /** Pages on which its verdict was before-choice or against-choice. */
  violations: z.int().check(z.nonnegative()),
  /** The first page, in the site's order, on which it was active, and on which it broke the choice. */
  firstPage: Text(16_384),
  firstViolation: z.nullable(Text(16_384)),
}));

/** Who was active across a site scan's pages (or merged shards). Since 2026-12 (issue 17). */
export const SiteSummary = z.lazy(() => z.strictObject({
  pages: z.int().check(z.nonnegative()),
  pagesWithViolations: z.int().check(z.nonnegative()),
  trackers: z.array(SiteTrackerSummary).check(z.maxLength(50)),
  unlisted: z.array(z.strictObject({ host: Text(300), pages: z.int().check(z.nonnegative()), firstPage: Text(16_384) })).check(z.maxLength(10_000)),
}));
export type SiteSummary = z.infer<typeof SiteSummary>;

/** How a site scan chose its pages, and which shards of the URL list this report holds. Since 2026-12 (issue 17). */
export const SiteScan = z.lazy(() => z.strictObject({
  source: z.enum(['urls', 'sitemap', 'crawl']),
  /** The sitemap, or the page the crawl started from; null for a list of URLs. */
  start: z.nullable(Text(16_384)),
  /** URLs in the whole list, before it was split into shards. */
  urls: z.int().check(z.nonnegative()),
  consent: z.enum(['accept-all', 'reject-all', 'none']),
  /** The shards of the list this report holds (`--shard i/n`): one for a shard's own report, every one once merged; empty when unsplit. */
  shards: z.array(z.strictObject({ index: z.int().check(z.positive()), count: z.int().check(z.positive()) })).check(z.maxLength(1000)),
  /** Pages of the list that could not be scanned (they did not load): the report does not cover them. */
  failed: z.array(z.strictObject({ url: Text(16_384), reason: Text(2000) })).check(z.maxLength(10_000)),
}));
export type SiteScan = z.infer<typeof SiteScan>;

export const Report = z.lazy(() => z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: IsoTime,
  tool: z.strictObject({ name: Text(100), version: Text(40) }),
  catalogVersion: Text(40),
  /** Support bundles: where the report was made. */
  environment: z.optional(z.strictObject({ browser: Text(200), extensionVersion: Text(40), language: Text(20) })),
  /** true when personal data (e-mail addresses, order numbers, ids, query strings) was removed. */
  redacted: z.boolean(),
  pages: z.array(PageReport).check(z.maxLength(10_000)),
  site: z.optional(SiteScan),
  summary: z.optional(SiteSummary),
}));
export type Report = z.infer<typeof Report>;
