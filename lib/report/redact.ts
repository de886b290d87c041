import type { Report } from './schema';

const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Long digit or hex runs in a path: order numbers, ids; digits also when glued to a letter (`s1718000000`). */
const ID_IN_PATH = /(?<![0-9])[0-9]{5,}(?![0-9])|\b(?:[0-9a-f]{16,}|[A-Z]{2,5}-[0-9]{3,})\b/gi;
/**
 * Random tokens, base64 or base64url, URL-encoded or not (`+`, `%2B`, `%2F`, `%3D` stay inside the
 * token): the form of most tracking ids (AWSALB, IDE, a gclid or fbclid, the parts of Meta's `fr`).
 * Letters with digits from 8 characters, or both cases from 16, tell one from a plain word such as
 * `viewthroughconversion`; a product slug with a year in it is masked too, which a bundle can afford.
 */
const TOKEN_IN_PATH = /(?:[A-Za-z0-9_+-]|%[0-9A-Fa-f]{2}){8,}/g;
function looksRandom(token: string): boolean {
  const plain = token.replace(/%[0-9A-Fa-f]{2}/g, '');
  const letters = /[A-Za-z]/.test(plain);
  return (letters && /[0-9]/.test(plain)) || (token.length >= 16 && /[a-z]/.test(plain) && /[A-Z]/.test(plain));
}

/**
 * A report with personal data taken out, for sharing with support: query strings (where e-mail
 * addresses, order numbers and tracking ids travel) are cut, e-mail addresses and id-like runs in
 * paths are masked, and cookie values were never in a report to begin with.
 */
export function redactReport(report: Report): Report {
  return {
    ...report,
    redacted: true,
    pages: report.pages.map((page) => ({
      ...page,
      url: redactUrl(page.url),
      findings: page.findings.map((f) => ({ ...f, detail: f.detail.replace(EMAIL, '[e-mail]') })),
      // Evidence names parameters and events, never their values; an event name a shop filled with an id is masked all the same.
      promises: page.promises.map((p) => ({ ...p, evidence: p.evidence.replace(EMAIL, '[e-mail]').replace(ID_IN_PATH, '[id]') })),
      ...(page.observations ? { observations: page.observations.map((o) => ({ ...o, url: redactUrl(o.url) })) } : {}),
    })),
  };
}

export function redactUrl(url: string): string {
  let base = url;
  try {
    const parsed = new URL(url);
    base = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
    if (parsed.search) base += '?[removed]';
  } catch {
    base = url.split(/[?#]/)[0]!;
  }
  return base
    .replace(EMAIL, '[e-mail]')
    .replace(TOKEN_IN_PATH, (token) => (looksRandom(token) ? '[id]' : token))
    .replace(ID_IN_PATH, '[id]');
}
