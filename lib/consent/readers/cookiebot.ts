import { normaliseCategories, type RecordCategory } from '../categories';
import type { ConsentRecord } from '../model';
import { decodeCookieValue, MAX_CONSENT_COOKIE_LENGTH } from './util';

export const COOKIEBOT_COOKIE = 'CookieConsent';

const CATEGORY: Record<string, RecordCategory> = {
  necessary: 'necessary',
  preferences: 'functional',
  statistics: 'statistics',
  marketing: 'marketing',
};

/**
 * Cookiebot's `CookieConsent` cookie: a JavaScript-object-like text, not JSON, e.g.
 * `{stamp:'…',necessary:true,preferences:false,statistics:true,marketing:false,method:'explicit',ver:1,utc:1731969341591,region:'nl'}`.
 * Read with a small key:value scanner (never eval). `-1` means Cookiebot decided the visitor's
 * region needs no consent: that is not a choice the visitor made, so it is `null`.
 */
export function parseCookiebot(raw: string): ConsentRecord | null {
  if (raw.length > MAX_CONSENT_COOKIE_LENGTH) return null;
  const text = decodeCookieValue(raw).trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  const fields = new Map<string, string>();
  const pair = /([A-Za-z_][A-Za-z0-9_]*)\s*:\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,}]*)/g;
  for (const match of text.slice(1, -1).matchAll(pair)) {
    const key = match[1]!;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (!fields.has(key)) fields.set(key, match[2]!.trim());
  }
  // Written without a choice: `stamp:'-1'` where the region needs no consent, `method:'implied'` under
  // implied consent, both with every category true (lib/consent/platforms/cookiebot.ts).
  if (fields.get('stamp') === "'-1'" || fields.get('method') === "'implied'") return null;
  const granted: RecordCategory[] = [];
  const denied: RecordCategory[] = [];
  for (const [field, category] of Object.entries(CATEGORY)) {
    const value = fields.get(field);
    if (value === 'true') granted.push(category);
    else if (value === 'false') denied.push(category);
    else return null; // a category missing or not a boolean: not a record we understand
  }
  const utc = Number(fields.get('utc'));
  return {
    source: 'cookiebot',
    decidedAt: Number.isSafeInteger(utc) && utc > 0 ? utc : null,
    granted: normaliseCategories(granted),
    denied: normaliseCategories(denied),
  };
}
