import '../parse/english-issues';
import { parseJsonSafely } from '../consent/readers/util';
import { REPORT_SCHEMA_VERSION, Report } from './schema';

/** Larger files are not reports this tool wrote (10,000 pages of requests stay well under it). */
export const MAX_REPORT_BYTES = 50 * 1024 * 1024;

export type ImportProblem =
  | { code: 'too-large'; values: { megabytes: number } }
  | { code: 'not-json' }
  | { code: 'not-a-report' }
  | { code: 'newer-version'; values: { version: number } }
  | { code: 'older-version'; values: { version: number } }
  | { code: 'invalid'; values: { where: string; problem: string } };

export type ImportResult = { ok: true; report: Report } | { ok: false; problem: ImportProblem };

/**
 * Reads a report file (a customer's bundle, an export, a scan) for the read-only view. Never
 * throws: a broken, truncated, wrong-version or hostile file comes back as a problem with a code
 * the page turns into a sentence in the reader's language, and nothing is stored.
 */
export function parseReport(text: string): ImportResult {
  if (text.length > MAX_REPORT_BYTES) return { ok: false, problem: { code: 'too-large', values: { megabytes: Math.round(MAX_REPORT_BYTES / 1024 / 1024) } } };
  const json = parseJsonSafely(text.replace(/^\uFEFF/, ''));
  if (json === undefined) return { ok: false, problem: { code: 'not-json' } };
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('schemaVersion' in json) || !('pages' in json)) {
    return { ok: false, problem: { code: 'not-a-report' } };
  }
  const version = (json as { schemaVersion: unknown }).schemaVersion;
  if (typeof version !== 'number') return { ok: false, problem: { code: 'not-a-report' } };
  if (version > REPORT_SCHEMA_VERSION) return { ok: false, problem: { code: 'newer-version', values: { version } } };
  if (version < REPORT_SCHEMA_VERSION) return { ok: false, problem: { code: 'older-version', values: { version } } };
  const parsed = Report.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: { code: 'invalid', values: { where: issue.path.map(String).join('.') || '(root)', problem: issue.message } } };
  }
  return { ok: true, report: parsed.data };
}
