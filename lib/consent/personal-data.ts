import * as z from 'zod/mini';
import { queryPairs } from '../classify/query';

/** Personal data found in a tracker request, named by kind and place, never by value. */
export const PersonalDataHit = z.lazy(() => z.strictObject({
  kind: z.enum(['email', 'hashed-email', 'phone', 'hashed-phone']),
  /** The query or form parameter it was in, or `body`. */
  where: z.string().check(z.maxLength(100)),
}));
export type PersonalDataHit = z.infer<typeof PersonalDataHit>;

/** A name or a domain beyond ASCII too (`josé@voorbeëld.nl`), and a domain in punycode (`xn--…`). */
const EMAIL = /[\p{L}\p{N}._%+-]{1,64}@(?:[\p{L}\p{N}-]{1,63}\.)+(?:\p{L}{2,24}|xn--[a-z0-9-]{1,59})/iu;
const SHA256_HEX = /^[a-f0-9]{64}$/i;
/** Parameter names the trackers use for matching by e-mail or phone (Meta advanced matching `ud[em]`, Google enhanced conversions `em`). */
const EMAIL_PARAMS = /^(ud\[em\]|em|email|e-mail|sha256_email_address|hashed_email|user_data\.email(_address)?|cd\[email\])$/i;
const PHONE_PARAMS = /^(ud\[ph\]|ph|phone|phone_number|sha256_phone_number|user_data\.phone_number)$/i;
const MAX_SCANNED = 65_536;

/**
 * E-mail addresses and phone numbers in a tracker request's URL or body: in clear, or hashed with
 * SHA-256 after normalising, as Meta's advanced matching (`ud[em]`) and Google's enhanced
 * conversions do. A hash is still personal data: the tracker matches it against its own users.
 */
export function findPersonalData(url: string, body?: string): PersonalDataHit[] {
  const hits: PersonalDataHit[] = [];
  const seen = new Set<string>();
  const add = (hit: PersonalDataHit) => {
    const key = `${hit.kind}|${hit.where}`;
    if (!seen.has(key) && hits.length < 10) {
      seen.add(key);
      hits.push({ kind: hit.kind, where: hit.where.slice(0, 100) });
    }
  };
  const query = url.indexOf('?');
  if (query >= 0) scanParams(url.slice(query + 1, query + 1 + MAX_SCANNED), add);
  if (body) {
    const text = body.slice(0, MAX_SCANNED);
    // Beacons often carry several hits, one query string per line.
    for (const line of text.split('\n')) scanParams(line, add);
    if (text.includes('@') && EMAIL.test(text) && !hits.some((h) => h.kind === 'email')) add({ kind: 'email', where: 'body' });
  }
  return hits;
}

function scanParams(text: string, add: (hit: PersonalDataHit) => void) {
  for (const [name, rawValue] of queryPairs(text)) {
    // Decoded once more: a page's address inside a hit (`dl`, `p`) carries its own query encoded
    // again, so an address the shop's form put in it reads `sanne%40voorbeeld.nl` after the first.
    const value = decodedOnce(rawValue.trim());
    if (value === '') continue;
    // Google's enhanced conversions pack several values: `tv.1~em.<hash>~ph.<hash>`.
    const packed = value.includes('~') ? value.split('~') : [value];
    for (const part of packed) {
      const [prefix, rest] = part.includes('.') && /^(em|ph)\./.test(part) ? [part.slice(0, 2), part.slice(3)] : [null, part];
      const isEmailParam = EMAIL_PARAMS.test(name) || prefix === 'em';
      const isPhoneParam = PHONE_PARAMS.test(name) || prefix === 'ph';
      // Looked for only where there is an `@`: the pattern's letter classes are slow to fail on every value.
      if (rest.includes('@') && EMAIL.test(rest)) add({ kind: 'email', where: name });
      else if (isEmailParam && (SHA256_HEX.test(rest) || /^[A-Za-z0-9_-]{43}$/.test(rest))) add({ kind: 'hashed-email', where: name });
      else if (isPhoneParam && SHA256_HEX.test(rest)) add({ kind: 'hashed-phone', where: name });
      else if (isPhoneParam && /^\+?[0-9 ()-]{8,20}$/.test(rest)) add({ kind: 'phone', where: name });
    }
  }
}

/**
 * `text` with its percent escapes decoded when it holds an encoded `@` (all an address needs to be found:
 * the rest of it, `%C3%A9` in a name, decodes with it); as it is otherwise, or when they do not decode.
 * Most hits carry the page's address in `dl` with escapes and no `@`: those are not decoded for nothing.
 */
function decodedOnce(text: string): string {
  if (!text.includes('%40')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    // A lone `%` (`100% zeker`) stops decodeURIComponent; an address's `@` is still worth finding.
    return text.replace(/%40/gi, '@');
  }
}
