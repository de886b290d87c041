import type { Report } from './schema';

/**
 * An e-mail address as text or in an address: `@` as itself, encoded (`%40`) or encoded twice (`%2540`,
 * a link passed through a redirect); a name or domain with letters beyond ASCII, as text (`voorbeëld.nl`),
 * percent-encoded (a path's `jos%C3%A9`) or in punycode (`xn--…`).
 */
const EMAIL = /(?:[\p{L}\p{N}._+-]|%(?!40|2540)[0-9A-Fa-f]{2}){1,64}(?:@|%40|%2540)(?:(?:[\p{L}\p{N}-]|%(?!40|2540|2E)[0-9A-Fa-f]{2}){1,63}(?:\.|%2E)){1,8}(?:\p{L}{2,24}|xn--[\p{L}\p{N}-]{1,59})/gu;
/**
 * A phone number written with separators (`06-1234-5678`, `+31 6 12 34 56 78`, `(06) 12.34.56.78`,
 * `0031…`, spaces encoded as `%20`): it starts as a phone number does (a leading 0, 00 or +), and has
 * nine to thirteen digits. A run of digits without separators is ID_IN_PATH's; an ISBN (`978-90-…`),
 * a range of sizes (`36-38-40`) or dates (`2026-12-05-2027-01-05`: no number starts inside a group) is not
 * a phone number.
 */
const PHONE_IN_PATH = /(?<![\p{L}\p{N}]|[0-9][ .-])(?:\(|%28)?(?:(?:\+|%2B|00)[1-9]|0[1-9])(?:(?:[ .()-]|%20|%28|%29){0,2}[0-9]){7,11}(?![0-9])/giu;
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

/**
 * The address without its query and fragment, and with personal data in its path masked. The host is
 * left as it is: it says which company received the request, and a number in it (an IP address, a
 * CloudFront distribution) is the server's, not the customer's.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${maskPath(parsed.pathname)}${parsed.search ? '?[removed]' : ''}`;
  } catch {
    return maskPath(url.split(/[?#]/)[0]!);
  }
}

function maskPath(path: string): string {
  // The address pattern only where an `@` can be: it is the slow one, and most paths have none.
  return (path.includes('@') || path.includes('%40') ? path.replace(EMAIL, '[e-mail]') : path)
    .replace(TOKEN_IN_PATH, (token) => (looksRandom(token) ? '[id]' : token))
    .replace(ID_IN_PATH, '[id]')
    .replace(PHONE_IN_PATH, '[phone]');
}
