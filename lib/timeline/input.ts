import type { EntryId, RequestKind } from '../catalog';
import type { Verdict } from '../consent/judge';
import type { ConsentChange, ConsentSource, RecordCategory } from '../consent/model';
import type { PageReport } from '../report/schema';

/** One request on the timeline: when (ms since the page began loading), whose, and how it was judged. */
export interface TimelineRequest {
  at: number;
  /** null: a host the privacy policy does not name (not judged). */
  entryId: EntryId | null;
  verdict: Verdict | null;
  /** Where it went, as the source keeps it (a live tab: without the query; a redacted report: masked). */
  url: string;
  kind?: RequestKind;
  /** Stopped before it was sent (lib/observe/stopped.ts): the page tried, the company got nothing. */
  stopped?: true;
}

/** A change of the consent state: the customer's record, or (with `signal`) what the shop told the tags. */
export interface TimelineConsent {
  /** ms since the page began loading; below zero for a choice made before this page (carried over). */
  at: number;
  source: ConsentSource;
  signal?: 'default' | 'update';
  granted: readonly RecordCategory[];
  denied: readonly RecordCategory[];
  carriedOver: boolean;
}

export interface TimelineInput {
  requests: TimelineRequest[];
  consent: TimelineConsent[];
  /** Requests of the visit the source does not hold (a live tab keeps the first and the latest). */
  leftOut: number;
}

/** A consent change as the log and the tab state keep it, placed on the page's own clock. */
export function timelineConsent(change: Pick<ConsentChange, 'at' | 'source' | 'signal' | 'granted' | 'denied' | 'carriedOver'>, startedAt: number): TimelineConsent {
  return { at: change.at - startedAt, source: change.source, ...(change.signal ? { signal: change.signal } : {}), granted: change.granted, denied: change.denied, carriedOver: change.carriedOver };
}

/**
 * A page of a report on the timeline: its requests with the verdicts the report gives them, and its
 * consent changes. A report written before it kept its consent changes (2026-12) has only the choice
 * in force at the end, which is drawn where it was made; `consentHistory` (the log's own changes, for
 * a visit of the customer's own history) is preferred when given.
 */
export function timelineOfPage(page: PageReport, consentHistory?: readonly ConsentChange[]): TimelineInput {
  const startedAt = Date.parse(page.visitedAt);
  const requests = (page.observations ?? []).map((o) => ({ at: Date.parse(o.at) - startedAt, entryId: o.trackerId, verdict: o.verdict, url: o.url, ...(o.kind ? { kind: o.kind } : {}), ...(o.stopped ? { stopped: true as const } : {}) }));
  let consent: TimelineConsent[];
  if (consentHistory) consent = consentHistory.map((c) => timelineConsent(c, startedAt));
  else if (page.consentChanges) consent = page.consentChanges.map((c) => timelineConsent({ ...c, at: Date.parse(c.at) }, startedAt));
  else {
    const { source, decidedAt, granted, denied } = page.consent;
    consent = source !== 'none' && decidedAt ? [{ at: Date.parse(decidedAt) - startedAt, source, granted, denied, carriedOver: Date.parse(decidedAt) < startedAt }] : [];
  }
  return { requests, consent: consent.sort((a, b) => a.at - b.at), leftOut: page.observationsLeftOut ?? 0 };
}
