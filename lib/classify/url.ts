// Apart from the classifier: the pages need a URL's host without the catalog's compiled rules.

/** Host and path (with the query, without the fragment) of an http(s) URL, or null. */
export function splitUrl(url: string): { host: string; pathAndQuery: string } | null {
  const cut = cutUrl(url);
  return cut && { host: cut.host, pathAndQuery: pathOf(cut) };
}

/**
 * An http(s) URL cut after its host. Its path is read from `url` at `pathStart` only when asked for
 * (`pathOf`): the classifier decides most listed hosts by the host alone, and the path's slice and its
 * search for a fragment read the whole URL, cache line by cache line.
 */
export interface UrlCut {
  host: string;
  url: string;
  pathStart: number;
  /** Set by the parser, or by `pathOf` once asked. */
  pathAndQuery: string | undefined;
}

/**
 * The host of an http(s) URL, and where its path starts. The common shape (`https://host/…`, an
 * ASCII host) is cut by hand because the classifier runs on every request; anything unusual (user
 * info, IPv6, Unicode, escapes) goes through the WHATWG parser, which also normalises punycode.
 */
export function cutUrl(url: string): UrlCut | null {
  let start: number;
  if (url.startsWith('https://')) start = 8;
  else if (url.startsWith('http://')) start = 7;
  else {
    start = httpSchemeEnd(url);
    if (start < 0) return /^https?:/i.test(url) ? viaUrlParser(url) : null;
  }
  // One pass over the host: where it ends, and whether every character is one a plain ASCII host
  // has (letters, digits, '-', and '.' between labels); then the port's digits. Anything else takes
  // the slow path. Timed between other engines' calls (caches cold, as between a browser's
  // events), this loop beat sticky regular expressions and a separate `includes('..')`.
  let end = start;
  let plain = true;
  let upper = false;
  let previousDot = false;
  let doubleDot = -1; // where the first '..' ends
  let lastLabel = start;
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 /* - */) {
      if (previousDot) lastLabel = end;
      previousDot = false;
    } else if (c >= 65 && c <= 90) {
      // The parser lower-cases an ASCII host, and that is all it would change here: 20-30 µs a
      // URL saved (its share of the classifier's p99 in the bench).
      upper = true;
      if (previousDot) lastLabel = end;
      previousDot = false;
    } else if (c === 46 /* . */) {
      if (previousDot && doubleDot < 0) doubleDot = end;
      previousDot = true;
    } else break;
  }
  let hostEnd = end;
  if (url.charCodeAt(end) === 58 /* : */) {
    for (end++; end < url.length; end++) {
      const c = url.charCodeAt(end);
      if (c < 48 || c > 57) break;
    }
  }
  if (end < url.length) {
    const c = url.charCodeAt(end);
    if (c !== 47 /* / */ && c !== 63 /* ? */ && c !== 35 /* # */) plain = false;
  }
  if (url.charCodeAt(hostEnd - 1) === 46) hostEnd--; // trailing dot
  // An empty label, except the one a second trailing dot leaves (kept as it always was).
  if (!plain || hostEnd <= start || url.charCodeAt(start) === 46 || (doubleDot >= 0 && doubleDot < hostEnd)) {
    // User info (`user:pw@host`) ends at the authority's last '@'; without it, the host is cut as
    // any other (the parser took 20-40 µs a URL between the other engines' calls in the bench).
    const at = userInfoEnd(url, start);
    if (at < 0) return viaUrlParser(url);
    // No host after it is no URL (the parser fails; without the user info it would skip the slashes).
    return endsAuthority(url, at + 1) ? null : cutUrl(url.slice(0, start) + url.slice(at + 1));
  }
  const host = upper ? url.slice(start, hostEnd).toLowerCase() : url.slice(start, hostEnd);
  // A last label that starts with a digit makes the host an IPv4 address, which the parser writes as
  // four decimal numbers (`0x7f.1` is 127.0.0.1): any other form is left to it.
  const lastFirst = url.charCodeAt(lastLabel);
  if (lastFirst >= 48 && lastFirst <= 57 && !DOTTED_QUAD.test(host)) return viaUrlParser(url);
  return { host, url, pathStart: end, pathAndQuery: undefined };
}

/** The cut URL's path and query, without its fragment; `/` for none. */
export function pathOf(cut: UrlCut): string {
  if (cut.pathAndQuery !== undefined) return cut.pathAndQuery;
  const { url, pathStart } = cut;
  const hash = url.indexOf('#', pathStart);
  const rest = hash >= 0 ? url.slice(pathStart, hash) : url.slice(pathStart);
  return (cut.pathAndQuery = rest.charCodeAt(0) === 47 ? rest : `/${rest}`);
}

/** Where the user info after `start` ends (its last '@' before the path, query or fragment), or -1. */
function userInfoEnd(url: string, start: number): number {
  let end = start;
  while (!endsAuthority(url, end)) end++;
  const at = url.lastIndexOf('@', end - 1);
  return at >= start ? at : -1;
}

/** Whether the authority ends at `i`: the URL's end, or the path, query or fragment starts (for http(s), a backslash starts the path as a slash does). */
function endsAuthority(url: string, i: number): boolean {
  if (i >= url.length) return true;
  const c = url.charCodeAt(i);
  return c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */ || c === 92; /* \ */
}

/** An IPv4 address as the WHATWG parser writes it: four numbers of 0 to 255, no leading zeros. */
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Where `http://` or `https://` in any case ends, or -1. (`x | 32` is `x` lower-cased for letters.) */
function httpSchemeEnd(url: string): number {
  if ((url.charCodeAt(0) | 32) !== 104 || (url.charCodeAt(1) | 32) !== 116 || (url.charCodeAt(2) | 32) !== 116 || (url.charCodeAt(3) | 32) !== 112) return -1;
  const colon = (url.charCodeAt(4) | 32) === 115 ? 5 : 4;
  return url.charCodeAt(colon) === 58 && url.charCodeAt(colon + 1) === 47 && url.charCodeAt(colon + 2) === 47 ? colon + 3 : -1;
}

function viaUrlParser(url: string): UrlCut | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const host = normaliseHost(parsed.hostname);
  if (host === null) return null;
  return { host, url, pathStart: 0, pathAndQuery: parsed.pathname + parsed.search };
}

const VALID_HOST = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])$/;

/** Lower case, no trailing dot; null for anything that is not a host name or IP literal. */
export function normaliseHost(raw: string): string | null {
  let host = raw.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  return VALID_HOST.test(host) ? host : null;
}
