import { normaliseCategories, type PlatformId, type RecordCategory } from '../categories';
import type { ConsentRecord } from '../model';
import { decodeCookieValue, MAX_CONSENT_COOKIE_LENGTH, parseJsonSafely } from '../readers/util';
import type { PageReading } from './types';

/**
 * Small pieces every platform module uses: folding a platform's answers into our categories, and
 * touching a page's objects without letting a hostile page throw, hang or pollute through us.
 */

/** One answer of the platform, already in our terms: the category and whether it was allowed. */
export type Decision = readonly [RecordCategory, boolean];

/**
 * What to do when the platform answers one of our categories both ways:
 * - `deny`: several of the platform's own categories fold into one of ours (CookieYes "analytics"
 *   and "performance"); a refusal of either refuses ours, as the OneTrust reader does for C0004/C0005.
 * - `unknown`: the answers are per service (Usercentrics, Klaro, Axeptio): some services of the
 *   category are allowed and some not, so the category as a whole is neither. Usercentrics' own
 *   bridge says the same (`SOME_ACCEPTED` becomes `null` in its v2 events).
 */
export type MixedRule = 'deny' | 'unknown';

export function foldDecisions(decisions: Iterable<Decision>, mixed: MixedRule): { granted: RecordCategory[]; denied: RecordCategory[] } {
  const granted = new Set<RecordCategory>();
  const denied = new Set<RecordCategory>();
  for (const [category, allowed] of decisions) (allowed ? granted : denied).add(category);
  for (const category of [...granted]) {
    if (!denied.has(category)) continue;
    granted.delete(category);
    if (mixed === 'unknown') denied.delete(category);
  }
  return { granted: normaliseCategories(granted), denied: normaliseCategories(denied) };
}

/** A record from the platform's answers; null when none of them maps to our categories. */
export function toRecord(source: PlatformId, decidedAt: number | null, decisions: Iterable<Decision>, mixed: MixedRule): ConsentRecord | null {
  const { granted, denied } = foldDecisions(decisions, mixed);
  if (granted.length === 0 && denied.length === 0) return null;
  return { source, decidedAt, granted, denied };
}

/** The page API's answer; null when none of it maps to our categories. */
export function toReading(decisions: Iterable<Decision>, mixed: MixedRule): PageReading | null {
  const { granted, denied } = foldDecisions(decisions, mixed);
  if (granted.length === 0 && denied.length === 0) return null;
  return { state: 'answered', granted, denied };
}

export function unanswered(): PageReading {
  return { state: 'unanswered' };
}

// A consent decided before 2000 or after 2100 is a broken or hostile value, not a moment.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function plausible(ms: number): number | null {
  return Number.isFinite(ms) && ms >= EARLIEST && ms < LATEST ? Math.trunc(ms) : null;
}

/** An ISO date as the platforms write it ("2025-02-05T15:40:00.391Z"), in ms since epoch. */
export function msFromIso(value: unknown): number | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  return plausible(Date.parse(value));
}

/** A number of seconds or milliseconds since epoch, in ms. */
export function msFromEpoch(value: unknown, unit: 's' | 'ms'): number | null {
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number') return null;
  return plausible(unit === 's' ? n * 1000 : n);
}

/** A cookie's JSON value (URL-encoded or not), or undefined when it is not JSON or too long. */
export function cookieJson(raw: string | undefined): unknown {
  if (raw === undefined || raw.length > MAX_CONSENT_COOKIE_LENGTH) return undefined;
  return parseJsonSafely(decodeCookieValue(raw));
}

/** Own enumerable keys of a plain JSON object, without prototype keys; [] for anything else. */
export function jsonEntries(value: unknown, max = 500): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([key]) => key !== '__proto__' && key !== 'constructor' && key !== 'prototype')
    .slice(0, max);
}

/** A property of a page object; undefined when the object is not one or its getter throws. */
export function get(target: unknown, key: PropertyKey): unknown {
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) return undefined;
  try {
    return (target as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

export type CallResult = { ok: true; value: unknown } | { ok: false };

/** Calls a page object's method with the object as `this`; `ok: false` when it is missing or throws. */
export function call(target: unknown, method: string, ...args: unknown[]): CallResult {
  const fn = get(target, method);
  if (typeof fn !== 'function') return { ok: false };
  try {
    return { ok: true, value: Reflect.apply(fn, target, args) };
  } catch {
    return { ok: false };
  }
}

export function hasMethod(target: unknown, method: string): boolean {
  return typeof get(target, method) === 'function';
}

const MAX_SNAPSHOT_NODES = 2000;
const MAX_SNAPSHOT_KEYS = 300;
const MAX_SNAPSHOT_STRING = 1000;

function ownKeys(value: object): string[] {
  try {
    return Object.keys(value).slice(0, MAX_SNAPSHOT_KEYS);
  } catch {
    return [];
  }
}

function isArray(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false; // a revoked Proxy
  }
}

/**
 * A plain-data copy of a page value: strings, numbers, booleans, null, arrays and objects only,
 * functions dropped, getters that throw read as missing, depth, size and string length capped,
 * prototype keys left out. The copy can then be read like a parsed cookie, by the same code.
 */
export function snapshot(value: unknown, depth = 4): unknown {
  const budget = { nodes: MAX_SNAPSHOT_NODES };
  const copy = (input: unknown, level: number): unknown => {
    if (--budget.nodes < 0) return undefined;
    if (input === null || typeof input === 'boolean') return input;
    if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
    if (typeof input === 'string') return input.length <= MAX_SNAPSHOT_STRING ? input : undefined;
    if (typeof input !== 'object' || level > depth) return undefined;
    if (isArray(input)) {
      const length = get(input, 'length');
      const n = typeof length === 'number' && Number.isSafeInteger(length) ? Math.min(Math.max(length, 0), MAX_SNAPSHOT_KEYS) : 0;
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(copy(get(input, i), level + 1));
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of ownKeys(input)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype' || key.length > 200) continue;
      const item = copy(get(input, key), level + 1);
      if (item !== undefined) out[key] = item;
    }
    return out;
  };
  return copy(value, 0);
}

/** Adds listeners through the target's own addEventListener; a failing one is skipped. */
export function listen(target: unknown, events: readonly string[], onChange: () => void): void {
  const add = get(target, 'addEventListener');
  if (typeof add !== 'function') return;
  const handler = () => {
    try {
      onChange();
    } catch {
      // The engine's problem, not the page's: never throw into the platform's dispatch.
    }
  };
  for (const event of events) {
    try {
      Reflect.apply(add, target, [event, handler]);
    } catch {
      // A page that broke addEventListener gives us no events; the engine still polls.
    }
  }
}

/** The value of one cookie in the page's `document.cookie`, undefined when absent or unreadable. */
export function pageCookie(win: Window, name: string): string | undefined {
  const text = get(get(win, 'document'), 'cookie');
  if (typeof text !== 'string' || text.length > 64 * 1024) return undefined;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
