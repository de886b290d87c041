import type { ConsentChange, ConsentRecord } from './model';

/**
 * A visit's consent timeline: where a new record or signal goes, and from which moment it counts.
 * Pure: the observer keeps the timeline in the tab's state and writes what this decides.
 *
 * A choice made during the visit counts from the moment its report gives, kept between the last
 * moment we knew there was no (other) choice and the moment we learnt of it: a page cannot backdate
 * its banner's answer past what we saw. Records of the customer's choice and signals to the vendors'
 * tags (Consent Mode, UET, Meta) each keep their own history: a signal never clamps or replaces a record.
 */

/**
 * The longest a live consent report takes from the customer's click to the background: the page's
 * event, or the cookie jar's change, handed to a service worker that may have to start first.
 */
export const MAX_REPORT_DELAY_MS = 5_000;

/** A platform's Consent Mode update and its record of the same click arrive this close together. */
export const SAME_CHOICE_MS = 2_000;

export interface TimelineState {
  startedAt: number;
  /** The last moment we knew there was no record of a choice. */
  noRecordSince: number | null;
  consent: ConsentChange[];
}

export type Placement =
  /**
   * `earlierRecord`: a Consent Mode update that tells Google of the latest record's choice, arriving just
   * after that record: the choice was made by the update's moment, so the record counts from it.
   */
  | { kind: 'new'; change: ConsentChange; earlierRecord?: { change: ConsentChange; at: number } }
  /** The same choice told again, earlier than we had it: the change already there now counts from `at`. */
  | { kind: 'earlier'; change: ConsentChange; at: number }
  | { kind: 'same' };

type Report = ConsentRecord & { signal?: 'default' | 'update' };

const sameKind = (a: Pick<ConsentChange, 'signal' | 'source'>, b: Pick<ConsentChange, 'signal' | 'source'>) => a.signal === b.signal && (a.signal === undefined || a.source === b.source);

/**
 * Where a report goes on the timeline: a new change, an earlier moment for the same one, or nothing new.
 * `maxDelayMs` bounds how long before `receivedAt` a live report may count from; evidence that is not a
 * live report (a request in a HAR file that carried the record, whatever later) passes Infinity and is
 * bounded by `noRecordSince` alone: the last request that showed no choice.
 */
export function placeConsent(state: TimelineState, report: Report, receivedAt: number, carriedOver: boolean, { maxDelayMs = MAX_REPORT_DELAY_MS }: { maxDelayMs?: number } = {}): Placement {
  const signal = report.signal;
  const last = state.consent.findLast((c) => sameKind(c, report));
  if (last && same(last.granted, report.granted) && same(last.denied, report.denied) && sameVendors(last.vendors, report.vendors)) {
    // The same choice reported again (the page's API and the cookie jar race to tell us): the report
    // that says it earlier wins, within the same bounds as the first, so a tracker that fired right
    // after the click is not judged as before it.
    if (carriedOver || last.carriedOver) return { kind: 'same' };
    const before = state.consent.slice(0, state.consent.indexOf(last)).findLast((c) => sameKind(c, last));
    const at = Math.max(report.decidedAt ?? last.receivedAt, floorFor(state, signal, before, last.receivedAt, maxDelayMs));
    return at < last.at ? { kind: 'earlier', change: last, at } : { kind: 'same' };
  }
  let at: number;
  if (carriedOver) at = Math.min(report.decidedAt ?? state.startedAt, state.startedAt);
  else {
    const floor = floorFor(state, signal, last, receivedAt, maxDelayMs);
    at = Math.min(Math.max(report.decidedAt ?? receivedAt, floor), receivedAt);
    // The banner told Google of this very choice a moment ago (its Consent Mode update): the choice
    // was made by then, whatever the record's own report says (some are read asynchronously).
    if (signal === undefined) {
      const told = state.consent.findLast((c) => c.source === 'consent-mode' && c.signal === 'update' && receivedAt - c.receivedAt <= SAME_CHOICE_MS && c.at >= floor && agrees(c, report));
      if (told) at = Math.min(at, told.at);
    }
  }
  const change: ConsentChange = {
    at,
    receivedAt,
    source: report.source,
    granted: report.granted,
    denied: report.denied,
    carriedOver,
    ...(report.vendors ? { vendors: report.vendors } : {}),
    ...(signal ? { signal } : {}),
  };
  return { kind: 'new', change, ...recordToMoveEarlier(state, change, maxDelayMs) };
}

/**
 * The other order of the same race: the record arrived first (the cookie jar), the banner's Consent
 * Mode update for the same click a moment later. The update was pushed before the tags it unblocked
 * sent anything, so the record counts from the update's moment, within the record's own bounds.
 */
function recordToMoveEarlier(state: TimelineState, signal: ConsentChange, maxDelayMs: number): { earlierRecord?: { change: ConsentChange; at: number } } {
  if (signal.source !== 'consent-mode' || signal.signal !== 'update') return {};
  const record = state.consent.findLast((c) => c.signal === undefined);
  if (!record || record.carriedOver || signal.receivedAt - record.receivedAt > SAME_CHOICE_MS || signal.at >= record.at || !agrees(signal, record)) return {};
  const before = state.consent.slice(0, state.consent.indexOf(record)).findLast((c) => c.signal === undefined);
  const at = Math.max(signal.at, floorFor(state, undefined, before, record.receivedAt, maxDelayMs));
  return at < record.at ? { earlierRecord: { change: record, at } } : {};
}

/**
 * The earliest a live report learnt of at `receivedAt` may count from: not before the last moment we
 * knew there was no record, nor before the change it follows, nor before a live report can take.
 */
function floorFor(state: TimelineState, signal: Report['signal'], previous: ConsentChange | undefined, receivedAt: number, maxDelayMs: number): number {
  return Math.max(
    signal === undefined ? (state.noRecordSince ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY,
    previous?.at ?? Number.NEGATIVE_INFINITY,
    receivedAt - maxDelayMs,
  );
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A Consent Mode update and a record that say the same of the categories Consent Mode speaks for. */
function agrees(signal: { granted: readonly string[]; denied: readonly string[] }, record: { granted: readonly string[]; denied: readonly string[] }): boolean {
  return (['statistics', 'marketing'] as const).every((c) => signal.granted.includes(c) === record.granted.includes(c) && signal.denied.includes(c) === record.denied.includes(c));
}

function sameVendors(a: ConsentRecord['vendors'], b: ConsentRecord['vendors']): boolean {
  return a === b || (a !== undefined && b !== undefined && same(a.consents.map(String), b.consents.map(String)) && same(a.objections.map(String), b.objections.map(String)));
}
