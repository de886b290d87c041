import type { Catalog } from '../catalog';
import { judgeVisit, type VisitJudgement } from '../consent/judge';
import type { Stance } from '../consent/stance';
import type { FindingRow, Visit } from '../db/schema';
import { judgePromises, promiseInput, promiseStatuses, type PromiseCheck, type RightsDigest } from '../promises';
import { pageWatched, visitOfState, type TabState } from './tab-state';

/** The consent judgement of what a tab has seen so far. */
export function judgeTab(state: TabState, stance: Stance | null, catalog?: Catalog): VisitJudgement {
  return judgeVisit(
    { requests: state.requests, consent: state.consent, banner: state.banner, cookieWrites: state.cookieWrites, unlistedHosts: Object.keys(state.unlisted), stance },
    catalog,
  );
}

/**
 * The policy's promises on what a tab has seen so far, with its consent judgement (`judgeTab`) and
 * the customer's rights requests (null where they are not known).
 */
export function judgeTabPromises(state: TabState, judgement: VisitJudgement, context: { rights: RightsDigest[] | null; now: number }, catalog?: Catalog): PromiseCheck[] {
  return judgePromises(promiseInput(state, judgement, { ...context, watched: pageWatched(state) }), catalog);
}

/** Log rows for a visit's findings; ids are stable, so re-judging updates a row rather than adding one. */
export function findingRows(visitId: string, judgement: VisitJudgement): FindingRow[] {
  return judgement.findings.map((finding) => ({
    ...finding,
    id: `${visitId}:${finding.kind}:${finding.trackerId ?? finding.host ?? finding.category ?? ''}`,
    visitId,
  }));
}

/** The visit's log row with the summary the history list shows, and the promises judged on it. */
export function visitRow(state: TabState, judgement: VisitJudgement, promises: PromiseCheck[]): Visit {
  const now = judgement.consentNow;
  return {
    ...visitOfState(state),
    summary: {
      trackers: Object.fromEntries(Object.values(judgement.entries).map((e) => [e!.entryId, e!.verdict])),
      unlistedHosts: Object.keys(state.unlisted).length + state.unlistedOverflow,
      findings: [...new Set(judgement.findings.map((f) => f.kind))],
      consent: now ? { source: now.source, at: now.at, granted: now.granted, denied: now.denied } : null,
      worst: judgement.worst,
      promises: promiseStatuses(promises),
    },
    promises,
  };
}
