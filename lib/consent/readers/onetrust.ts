import { normaliseCategories, type RecordCategory } from '../categories';
import type { ConsentRecord } from '../model';
import { decodeCookieValue, MAX_CONSENT_COOKIE_LENGTH } from './util';

export const ONETRUST_COOKIE = 'OptanonConsent';
export const ONETRUST_CLOSED_COOKIE = 'OptanonAlertBoxClosed';

/** OneTrust's default groups. Tenants can rename them; unknown groups are ignored. */
export const ONETRUST_GROUPS: Record<string, RecordCategory> = {
  C0001: 'necessary',
  C0002: 'statistics',
  C0003: 'functional',
  C0004: 'marketing',
  C0005: 'marketing',
};

/**
 * OneTrust's `OptanonConsent` cookie: a URL-encoded query string whose `groups=C0001:1,C0002:0,…`
 * holds the choice. A choice was made when `interactionCount` is above zero or the separate
 * `OptanonAlertBoxClosed` cookie (an ISO date of the choice) exists; until then the groups are
 * only the defaults and mean nothing about the visitor.
 */
export function parseOneTrust(raw: string, alertBoxClosed?: string | null): ConsentRecord | null {
  if (raw.length > MAX_CONSENT_COOKIE_LENGTH) return null;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw.includes('%') ? raw : decodeCookieValue(raw));
  } catch {
    return null;
  }
  const groups = params.get('groups');
  if (!groups) return null;
  const closedAt = alertBoxClosed ? Date.parse(decodeCookieValue(alertBoxClosed)) : Number.NaN;
  const interactions = Number(params.get('interactionCount') ?? '0');
  if (!(interactions > 0) && !Number.isFinite(closedAt)) return null;
  const granted = new Set<RecordCategory>();
  const denied = new Set<RecordCategory>();
  for (const item of groups.split(',')) {
    const [id, state] = item.split(':');
    const category = id ? ONETRUST_GROUPS[id] : undefined;
    if (!category) continue;
    if (state === '1') granted.add(category);
    else if (state === '0') denied.add(category);
  }
  // C0004 and C0005 both map to marketing: a refusal of either refuses marketing.
  for (const category of denied) granted.delete(category);
  if (granted.size === 0 && denied.size === 0) return null;
  return {
    source: 'onetrust',
    decidedAt: Number.isFinite(closedAt) ? closedAt : null,
    granted: normaliseCategories(granted),
    denied: normaliseCategories(denied),
  };
}
