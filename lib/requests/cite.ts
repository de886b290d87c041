import { catalog as defaultCatalog, type Catalog, type PromiseId } from '../catalog';
import { createTranslator, type Language } from '../i18n';
import { describeEvidence, parseStoredChecks, type PromiseCheck } from '../promises';
import { calendarDate } from './deadline';

/** A promise the log saw broken: the judgement, and the visit it was broken on. */
export interface SeenBrokenPromise {
  check: PromiseCheck;
  at: number;
  url: string;
}

/** A broken promise as a letter cites it, in the letter's language. */
export interface CitedPromise {
  /** The policy's own sentence (Dutch, verbatim) and, for an English letter, our rendering. */
  quote: string;
  rendering: string | null;
  /** When and where it was seen: a written-out date and the page's address without its query. */
  date: string;
  page: string;
  evidence: string;
}

/** How far back through the log a letter looks for broken promises. */
const MAX_VISITS_READ = 5_000;

/**
 * The latest visit on which each promise was broken, in the policy's order. Visits come from the log
 * (their stored judgement is parsed at the boundary; a row of another version that does not parse is
 * passed over). `except`: promises the letter is already about (a complaint about a late answer).
 */
export function latestBrokenPromises(
  visits: readonly { startedAt: number; url: string; promises?: unknown }[],
  { except = [], catalog = defaultCatalog }: { except?: readonly PromiseId[]; catalog?: Catalog } = {},
): SeenBrokenPromise[] {
  const latest = new Map<PromiseId, SeenBrokenPromise>();
  const newestFirst = [...visits].sort((a, b) => b.startedAt - a.startedAt).slice(0, MAX_VISITS_READ);
  for (const visit of newestFirst) {
    for (const check of parseStoredChecks(visit.promises) ?? []) {
      if (check.status === 'broken' && !except.includes(check.id) && !latest.has(check.id)) latest.set(check.id, { check, at: visit.startedAt, url: visit.url });
    }
  }
  return catalog.promises.flatMap((p) => latest.get(p.id) ?? []);
}

/** The broken promises said in the letter's language, each with the day (in the customer's time zone) it was seen. */
export function citePromises(seen: readonly SeenBrokenPromise[], language: Language, timeZone: string, catalog: Catalog = defaultCatalog): CitedPromise[] {
  const t = createTranslator(language);
  return seen.map(({ check, at, url }) => {
    const promise = catalog.promises.find((p) => p.id === check.id)!;
    return {
      quote: promise.quote,
      rendering: language === 'en' ? promise.en : null,
      date: t.formatCalendarDate(calendarDate(at, timeZone)),
      page: pageOf(url),
      evidence: describeEvidence(check.facts, t, catalog),
    };
  });
}

/** Host and path: a query string can carry an order number or an e-mail address. */
function pageOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host + parsed.pathname;
  } catch {
    return url.split(/[?#]/)[0]!.slice(0, 200);
  }
}
