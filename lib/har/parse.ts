import '../parse/english-issues';
import { Har } from './schema';

/** Larger files are refused before they are read (a long support session with bodies stays well under it). */
export const MAX_HAR_BYTES = 200 * 1024 * 1024;

export type HarProblem =
  | { code: 'too-large'; values: { megabytes: number } }
  | { code: 'empty' }
  | { code: 'truncated' }
  | { code: 'not-json' }
  | { code: 'not-a-har' }
  | { code: 'unsupported-version'; values: { version: string } }
  | { code: 'invalid'; values: { where: string; problem: string } }
  | { code: 'no-shop-pages' }
  /** The reader itself failed (the history page's worker ran out of memory on a huge file). */
  | { code: 'unreadable' };
export type HarProblemCode = HarProblem['code'];
export const HAR_PROBLEM_CODES = ['too-large', 'empty', 'truncated', 'not-json', 'not-a-har', 'unsupported-version', 'invalid', 'no-shop-pages', 'unreadable'] as const satisfies readonly HarProblemCode[];

export type HarParseResult = { ok: true; har: Har } | { ok: false; problem: HarProblem };

export const tooLarge = (): HarProblem => ({ code: 'too-large', values: { megabytes: Math.round(MAX_HAR_BYTES / 1024 / 1024) } });

/**
 * A HAR file's text, validated. Never throws: a broken, cut-off, hostile or non-HAR file comes back
 * as a problem with a code the history page and the scan turn into a sentence. Plain `JSON.parse`
 * (no reviver: it would make a 50 MB file several times slower) is safe here because zod copies
 * only the fields it knows into new objects: a `__proto__` key in the file never reaches anything.
 */
export function parseHar(text: string): HarParseResult {
  if (text.length > MAX_HAR_BYTES) return { ok: false, problem: tooLarge() };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim().length === 0) return { ok: false, problem: { code: 'empty' } };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problem: { code: looksCutOff(body) ? 'truncated' : 'not-json' } };
  }
  const log = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { log?: unknown }).log : undefined;
  if (typeof log !== 'object' || log === null || !Array.isArray((log as { entries?: unknown }).entries)) return { ok: false, problem: { code: 'not-a-har' } };
  const version = (log as { version?: unknown }).version;
  // 1.1 and 1.2 differ in fields this judgement does not read; anything else is a format we do not know.
  if (version !== undefined && version !== '1.1' && version !== '1.2') return { ok: false, problem: { code: 'unsupported-version', values: { version: String(version).slice(0, 20) } } };
  const parsed = Har.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: { code: 'invalid', values: { where: describePath(issue.path), problem: issue.message } } };
  }
  return { ok: true, har: parsed.data };
}

/** `log.entries[12].request.url`, as a reader finds it in the file. */
function describePath(path: PropertyKey[]): string {
  let where = '';
  for (const key of path) where += typeof key === 'number' ? `[${key}]` : `${where ? '.' : ''}${String(key)}`;
  return where || '(root)';
}

/**
 * Whether text that is not JSON stops in the middle of a value: an object or array left open, or a
 * string never closed. One pass, without the engine's message (Chromium and Firefox word it
 * differently), and only on a file that already failed to parse.
 */
export function looksCutOff(text: string): boolean {
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) open.push(c + 2);
    // A bracket that closes the wrong thing is a broken file, not a short one.
    else if ((c === 125 /* } */ || c === 93 /* ] */) && open.pop() !== c) return false;
  }
  return inString || open.length > 0;
}
