// Apart from the classifier: the pages need a URL's host without the Public Suffix List (tldts) the
// classifier brings, some 60 kB gzip in a page's bundle.

/**
 * Host and path of an http(s) URL. The common shape (`https://host/…`, lower-case host) is cut by
 * hand because the classifier runs on every request; anything unusual (upper case, user info,
 * IPv6, Unicode) goes through the WHATWG parser, which also normalises punycode.
 */
export function splitUrl(url: string): { host: string; pathAndQuery: string } | null {
  let start: number;
  if (url.startsWith('https://')) start = 8;
  else if (url.startsWith('http://')) start = 7;
  else return /^https?:/i.test(url) ? viaUrlParser(url) : null;
  // One pass over the authority: where it ends, where a port starts, and whether every character
  // is one a plain lower-case host has (a-z, 0-9, '.', '-'); anything else takes the slow path.
  let end = start;
  let colon = -1;
  let plain = true;
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    if (colon >= 0) {
      if (c < 48 || c > 57) plain = false; // the port: digits only
    } else if (c === 58 /* : */) colon = end;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45)) plain = false;
  }
  let hostEnd = colon >= 0 ? colon : end;
  if (url.charCodeAt(hostEnd - 1) === 46) hostEnd--; // trailing dot
  if (!plain || hostEnd <= start || url.charCodeAt(start) === 46) return viaUrlParser(url);
  const host = url.slice(start, hostEnd);
  if (host.includes('..')) return viaUrlParser(url);
  const hash = url.indexOf('#', end);
  const rest = hash >= 0 ? url.slice(end, hash) : url.slice(end);
  return { host, pathAndQuery: rest.charCodeAt(0) === 47 ? rest : `/${rest}` };
}

function viaUrlParser(url: string): { host: string; pathAndQuery: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const host = normaliseHost(parsed.hostname);
  if (host === null) return null;
  return { host, pathAndQuery: parsed.pathname + parsed.search };
}

const VALID_HOST = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])$/;

/** Lower case, no trailing dot; null for anything that is not a host name or IP literal. */
export function normaliseHost(raw: string): string | null {
  let host = raw.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  return VALID_HOST.test(host) ? host : null;
}
