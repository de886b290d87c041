import * as z from 'zod/mini';
import { AwsRegion, EntryId, PromiseId } from '../catalog/vocabulary';
import { CONSENT_SOURCES, RecordCategory } from '../consent/model';
import { REQUEST_TYPES } from '../requests/types';

export const PROMISE_STATUSES = ['kept', 'broken', 'unknown'] as const;
export const PromiseStatus = z.lazy(() => z.enum(PROMISE_STATUSES));
/** `unknown`: the page gave nothing to judge the promise by; the UI says "cannot tell". */
export type PromiseStatus = z.infer<typeof PromiseStatus>;

const Count = z.lazy(() => z.int().check(z.nonnegative()));
const Name = z.lazy(() => z.string().check(z.minLength(1), z.maxLength(64)));
const Host = z.lazy(() => z.string().check(z.minLength(1), z.maxLength(253)));
/** A calendar date, YYYY-MM-DD, in the customer's own time zone (lib/requests/deadline.ts). */
const CalendarDate = z.lazy(() => z.iso.date());
/** Of the requests the evidence is about, those stopped before they were sent: left out of it, told apart. */
const Stopped = z.lazy(() => z.optional(z.int().check(z.positive())));
const EventCount = z.lazy(() => z.strictObject({ name: Name, count: Count }));
/** What an invitation carried, by kind; never the value. */
const InvitationData = z.lazy(() => z.enum(['email', 'order-number']));
/** Where a storage region was read: S3's own response header, or the S3 host name the page loaded from. */
const RegionFrom = z.lazy(() => z.enum(['header', 'host']));

/**
 * The evidence of one judged promise as facts, not sentences: every place that shows it (popup,
 * history, report, scan, letters) says it in its own language from these (lib/promises/describe.ts).
 * `code` names the sentence; it is also a locale key, `promise_<code>`.
 */
export const PromiseFacts = z.lazy(() => z.discriminatedUnion('code', [
  // no-identifiers (Google Analytics)
  z.strictObject({ code: z.literal('identifiers-no-hits'), entry: EntryId, stopped: Stopped }),
  z.strictObject({ code: z.literal('identifiers-absent'), entry: EntryId, hits: Count, stopped: Stopped }),
  z.strictObject({ code: z.literal('identifiers-sent'), entry: EntryId, hits: Count, identifying: Count, params: z.array(Name).check(z.minLength(1), z.maxLength(10)), stopped: Stopped }),
  // only-events (Meta)
  z.strictObject({ code: z.literal('events-none'), entry: EntryId, stopped: Stopped }),
  z.strictObject({ code: z.literal('events-allowed'), entry: EntryId, events: z.array(EventCount).check(z.minLength(1), z.maxLength(10)), stopped: Stopped }),
  z.strictObject({ code: z.literal('events-other'), entry: EntryId, events: z.array(EventCount).check(z.minLength(1), z.maxLength(10)), stopped: Stopped }),
  z.strictObject({ code: z.literal('events-personal'), entry: EntryId, params: z.array(Name).check(z.minLength(1), z.maxLength(10)), stopped: Stopped }),
  z.strictObject({ code: z.literal('events-other-and-personal'), entry: EntryId, events: z.array(EventCount).check(z.minLength(1), z.maxLength(10)), params: z.array(Name).check(z.minLength(1), z.maxLength(10)), stopped: Stopped }),
  // data-only-with-consent (Trustpilot's invitations)
  z.strictObject({ code: z.literal('invitation-none'), entry: EntryId, stopped: Stopped }),
  z.strictObject({ code: z.literal('invitation-with-consent'), entry: EntryId, data: z.array(InvitationData).check(z.minLength(1)), category: RecordCategory, stopped: Stopped }),
  z.strictObject({ code: z.literal('invitation-before-consent'), entry: EntryId, data: z.array(InvitationData).check(z.minLength(1)), category: RecordCategory, stopped: Stopped }),
  z.strictObject({ code: z.literal('invitation-against-consent'), entry: EntryId, data: z.array(InvitationData).check(z.minLength(1)), category: RecordCategory, stopped: Stopped }),
  z.strictObject({ code: z.literal('invitation-consent-unknown'), entry: EntryId, data: z.array(InvitationData).check(z.minLength(1)), category: RecordCategory, stopped: Stopped }),
  // an invitation among the requests a busy page's tab let go of: counted, its consent verdict not kept
  z.strictObject({ code: z.literal('invitation-verdict-not-kept'), entry: EntryId, data: z.array(InvitationData).check(z.minLength(1)), category: RecordCategory, stopped: Stopped }),
  // consent-verdicts (lib/consent/judge.ts)
  z.strictObject({ code: z.literal('consent-violations'), trackers: z.array(z.strictObject({ entry: EntryId, verdict: z.enum(['before-choice', 'against-choice']) })).check(z.minLength(1), z.maxLength(20)) }),
  z.strictObject({ code: z.literal('consent-unreadable'), entries: z.array(EntryId).check(z.minLength(1), z.maxLength(20)) }),
  z.strictObject({ code: z.literal('consent-respected'), consented: Count, source: z.enum(CONSENT_SOURCES) }),
  z.strictObject({ code: z.literal('consent-pings-only'), entries: z.array(EntryId).check(z.minLength(1), z.maxLength(20)) }),
  z.strictObject({ code: z.literal('consent-nothing-optional') }),
  // encrypted
  z.strictObject({ code: z.literal('plain-http'), entries: z.array(EntryId).check(z.minLength(1), z.maxLength(20)), requests: Count, host: Host }),
  z.strictObject({ code: z.literal('all-encrypted'), requests: Count }),
  z.strictObject({ code: z.literal('no-processor-requests') }),
  // storage-region (AWS)
  z.strictObject({ code: z.literal('region-eu'), region: AwsRegion, from: RegionFrom, host: z.nullable(Host), edge: z.nullable(Name) }),
  z.strictObject({ code: z.literal('region-outside-eu'), region: AwsRegion, from: RegionFrom, host: z.nullable(Host), edge: z.nullable(Name) }),
  z.strictObject({ code: z.literal('region-unknown'), edge: z.nullable(Name) }),
  z.strictObject({ code: z.literal('region-no-hosting') }),
  // named-parties
  z.strictObject({ code: z.literal('unnamed-parties'), hosts: z.array(Host).check(z.maxLength(5)), more: Count, banner: z.nullable(Host) }),
  z.strictObject({ code: z.literal('all-named') }),
  z.strictObject({ code: z.literal('unnamed-not-watched') }),
  // answer-deadline (the customer's rights requests)
  z.strictObject({ code: z.literal('answer-overdue'), type: z.enum(REQUEST_TYPES), sent: CalendarDate, due: CalendarDate, overdue: Count }),
  z.strictObject({ code: z.literal('answer-given'), answered: Count }),
  z.strictObject({ code: z.literal('answer-pending'), type: z.enum(REQUEST_TYPES), due: CalendarDate }),
  z.strictObject({ code: z.literal('answer-no-requests') }),
  z.strictObject({ code: z.literal('answer-not-known') }),
  // An imported report that keeps neither the requests' parameters nor its own judgement.
  z.strictObject({ code: z.literal('not-in-report') }),
]));
export type PromiseFacts = z.infer<typeof PromiseFacts>;
export type PromiseCode = PromiseFacts['code'];
/** Every code, read from the schema (which is built on first use). */
export const promiseCodes = (): PromiseCode[] => PromiseFacts._zod.innerType.def.options.map((option) => option.shape.code.def.values[0]) as PromiseCode[];

/** One promise judged on one visit. */
export const PromiseCheck = z.lazy(() => z.strictObject({ id: PromiseId, status: PromiseStatus, facts: PromiseFacts }));
export type PromiseCheck = z.infer<typeof PromiseCheck>;

/**
 * Checks read back from the log (a visit row): parsed at the boundary like anything else from
 * storage; a row written by another version that does not parse is treated as having none.
 */
export function parseStoredChecks(raw: unknown): PromiseCheck[] | null {
  const parsed = z.array(PromiseCheck).check(z.maxLength(50)).safeParse(raw);
  return parsed.success ? parsed.data : null;
}
