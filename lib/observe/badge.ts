import { isViolation, type VisitJudgement } from '../consent/judge';
import { activeEntries, type TabState } from './tab-state';

export interface Badge {
  text: string;
  color: string;
  /** Which of the toolbar title's messages to show. */
  tone: 'none' | 'active' | 'violation';
}

const COLOURS = { none: '#5b5b66', active: '#3a5a8c', violation: '#b3261e' } as const;

/**
 * The toolbar badge for a tab: how many of the policy's companies and trackers are active, in a
 * warning colour (and with the title saying why) when one of them fired before or against the choice.
 */
export function badgeFor(state: TabState | undefined, judgement: VisitJudgement | null): Badge {
  if (!state) return { text: '', color: COLOURS.none, tone: 'none' };
  const count = activeEntries(state).length;
  const tone = isViolation(judgement?.worst ?? null) ? 'violation' : count === 0 ? 'none' : 'active';
  return { text: count === 0 ? '' : tone === 'violation' ? `${count}!` : String(count), color: COLOURS[tone], tone };
}
