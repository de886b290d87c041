import { activeEntries, type TabState } from './tab-state';

export interface Badge {
  text: string;
  color: string;
}

/** The toolbar badge for a tab: how many of the policy's companies and trackers are active. */
export function badgeFor(state: TabState | undefined): Badge {
  if (!state) return { text: '', color: '#5b5b66' };
  const count = activeEntries(state).length;
  return { text: count === 0 ? '' : String(count), color: '#3a5a8c' };
}
