import type { Catalog } from '../catalog';
import { judgeVisit, type VisitJudgement } from '../consent/judge';
import type { Stance } from '../consent/stance';
import type { FindingRow } from '../db/schema';
import type { TabState } from './tab-state';

/** The consent judgement of what a tab has seen so far. */
export function judgeTab(state: TabState, stance: Stance | null, catalog?: Catalog): VisitJudgement {
  return judgeVisit(
    { requests: state.requests, consent: state.consent, banner: state.banner, cookieWrites: state.cookieWrites, unlistedHosts: Object.keys(state.unlisted), stance },
    catalog,
  );
}

/** Log rows for a visit's findings; ids are stable, so re-judging updates a row rather than adding one. */
export function findingRows(visitId: string, judgement: VisitJudgement): FindingRow[] {
  return judgement.findings.map((finding) => ({
    ...finding,
    id: `${visitId}:${finding.kind}:${finding.trackerId ?? finding.host ?? finding.category ?? ''}`,
    visitId,
  }));
}
