import { splitUrl } from '../classify';
import type { Har, HarEntry } from './schema';

/** One HAR entry as the judgement reads it: times in ms since the epoch, the browser's view of what it was. */
export interface Exchange {
  index: number;
  start: number;
  end: number;
  url: string;
  /** Lower-case host; null for data:, blob: and anything that is not an http(s) URL. */
  host: string | null;
  method: string;
  /** webRequest's name for the kind of request (`main_frame`, `script`, `ping`, …). */
  type: string;
  status: number | undefined;
  error: string | undefined;
  responseHeaders: { name: string; value: string }[];
  /**
   * The cookies the request carried (its Cookie headers, or the exporter's `cookies` list). Empty when
   * it carried none; HAR exports that leave cookies out altogether are told apart by `cookiesInHar`.
   */
  cookies: Map<string, string>;
  /** The request body as text (beacons, form posts), the first 64 kB: what webRequest hands the extension. */
  body: string | undefined;
}

const MAX_BODY = 65_536;

/** DevTools' resource types (Chromium's `_resourceType`) as webRequest names them. */
const WEB_REQUEST_TYPE: Record<string, string> = {
  document: 'sub_frame',
  stylesheet: 'stylesheet',
  script: 'script',
  image: 'image',
  font: 'font',
  media: 'media',
  xhr: 'xmlhttprequest',
  fetch: 'xmlhttprequest',
  ping: 'ping',
  websocket: 'websocket',
  'csp-violation-report': 'csp_report',
};

/**
 * The entries of a HAR in the order they started, with the page loads marked. A top-level document
 * is told by what the browser itself sent (`Sec-Fetch-Dest: document`, both browsers since 2021),
 * else by the page it opened (Chromium titles a page by its address), else as the first entry of a
 * page and the redirects that led to it (older Firefox exports).
 */
export function readExchanges(har: Har): Exchange[] {
  const entries = har.log.entries;
  const firstOfPage = new Map<string, number>();
  const titles = new Map(har.log.pages.map((p) => [p.id, p.title]));
  const order = entries.map((entry, index) => ({ entry, index, start: Date.parse(entry.startedDateTime) }));
  order.sort((a, b) => a.start - b.start || a.index - b.index);
  for (const { entry, index } of order) if (entry.pageref !== undefined && !firstOfPage.has(entry.pageref)) firstOfPage.set(entry.pageref, index);

  const exchanges: Exchange[] = [];
  const redirectTargets = new Set<string>();
  for (const { entry, index, start } of order) {
    const url = entry.request.url;
    const dest = header(entry.request.headers, 'sec-fetch-dest');
    // A page the shop's speculation rules had the browser fetch ahead (`prefetch`, `prefetch;prerender`)
    // is a document, but not the tab's: the customer may never go there (the live observer's isSpeculative).
    const fetchedAhead = header(entry.request.headers, 'sec-purpose')?.startsWith('prefetch') === true;
    let mainFrame: boolean;
    if (fetchedAhead) mainFrame = false;
    else if (dest !== undefined) mainFrame = dest === 'document';
    else if (entry._resourceType !== undefined) mainFrame = entry._resourceType === 'document' && (titles.get(entry.pageref ?? '') === url || firstOfPage.get(entry.pageref ?? '') === index || redirectTargets.has(url));
    else mainFrame = (entry.pageref !== undefined && firstOfPage.get(entry.pageref) === index) || redirectTargets.has(url);
    if (mainFrame && entry.response.redirectURL) redirectTargets.add(resolveUrl(entry.response.redirectURL, url));
    const status = entry.response.status;
    exchanges.push({
      index,
      start,
      end: start + Math.max(0, entry.time),
      url,
      host: splitUrl(url)?.host ?? null,
      method: entry.request.method.toUpperCase(),
      type: mainFrame ? 'main_frame' : fetchedAhead ? 'other' : (WEB_REQUEST_TYPE[entry._resourceType ?? ''] ?? 'other'),
      status: status > 0 ? status : undefined,
      // A status of 0 is how both browsers write a request that never got an answer.
      error: status > 0 ? undefined : (entry.response._error ?? 'net::ERR_FAILED'),
      responseHeaders: entry.response.headers,
      cookies: requestCookies(entry),
      body: entry.request.postData?.text?.slice(0, MAX_BODY),
    });
  }
  return exchanges;
}

/**
 * Whether the HAR holds cookies at all. Chrome's "sanitized" export (its default since version 130)
 * and some support tools strip every Cookie and Set-Cookie header: then a request without cookies
 * says nothing about whether the customer had chosen.
 */
export function cookiesInHar(har: Har): boolean {
  return har.log.entries.some(
    (e) => e.request.cookies.length > 0 || e.request.headers.some((h) => h.name.toLowerCase() === 'cookie') || e.response.headers.some((h) => h.name.toLowerCase() === 'set-cookie'),
  );
}

function header(headers: readonly { name: string; value: string }[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value.trim().toLowerCase();
}

function resolveUrl(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

/** The request's cookies, name → value as the browser sent them (not decoded: the readers expect them raw). */
function requestCookies(entry: HarEntry): Map<string, string> {
  const cookies = new Map<string, string>();
  const lines = entry.request.headers.filter((h) => h.name.toLowerCase() === 'cookie');
  if (lines.length === 0) {
    for (const c of entry.request.cookies) cookies.set(c.name, c.value);
    return cookies;
  }
  for (const line of lines) {
    for (const pair of line.value.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      if (name && !cookies.has(name)) cookies.set(name, pair.slice(eq + 1).trim());
    }
  }
  return cookies;
}
