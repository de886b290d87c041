/** Hand-made HAR files for the unit tests, in the shapes Chromium's DevTools and Firefox export. */

export const T0 = Date.parse('2026-11-30T10:00:00.000Z');

export interface EntryOptions {
  /** ms after T0 */
  at: number;
  time?: number;
  method?: string;
  /** Chromium's `_resourceType`. */
  type?: string;
  /** Sec-Fetch-Dest, as both browsers send it. */
  dest?: string;
  cookies?: Record<string, string>;
  setCookie?: string[];
  status?: number;
  headers?: { name: string; value: string }[];
  responseHeaders?: { name: string; value: string }[];
  pageref?: string;
  body?: string;
  /** Firefox writes local time with an offset. */
  offset?: string;
}

export function entry(url: string, o: EntryOptions): Record<string, unknown> {
  const cookie = o.cookies ? Object.entries(o.cookies).map(([n, v]) => `${n}=${v}`).join('; ') : '';
  const started = new Date(T0 + o.at);
  return {
    ...(o.pageref ? { pageref: o.pageref } : {}),
    ...(o.type ? { _resourceType: o.type } : {}),
    startedDateTime: o.offset ? localTime(started, o.offset) : started.toISOString(),
    time: o.time ?? 20,
    request: {
      method: o.method ?? 'GET',
      url,
      httpVersion: 'HTTP/2',
      headers: [...(o.dest ? [{ name: 'Sec-Fetch-Dest', value: o.dest }] : []), ...(cookie ? [{ name: 'Cookie', value: cookie }] : []), ...(o.headers ?? [])],
      cookies: Object.entries(o.cookies ?? {}).map(([name, value]) => ({ name, value })),
      queryString: [],
      headersSize: -1,
      bodySize: o.body?.length ?? 0,
      ...(o.body ? { postData: { mimeType: 'text/plain', text: o.body } } : {}),
    },
    response: {
      status: o.status ?? 200,
      statusText: '',
      httpVersion: 'HTTP/2',
      headers: [...(o.setCookie ?? []).map((value) => ({ name: 'Set-Cookie', value })), ...(o.responseHeaders ?? [])],
      cookies: [],
      content: { size: 0, mimeType: 'text/html' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: o.time ?? 20, receive: 0 },
  };
}

function localTime(date: Date, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const local = new Date(date.getTime() + sign * (h! * 60 + m!) * 60_000);
  return `${local.toISOString().slice(0, -1)}${offset}`;
}

export function harOf(entries: Record<string, unknown>[], log: Record<string, unknown> = {}): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries, ...log } });
}

/** A real-format Cookie Information record (structure from public captures; ids made up). */
export function cookieInformation(approved: string[], denied: string[], timestamp: string): string {
  return encodeURIComponent(
    JSON.stringify({
      website_uuid: '84b86b51-f2fc-40c7-b909-1ebccc8888c7',
      timestamp,
      consent_url: 'https://www.mijnliefsteboek.nl/',
      consent_website: 'mijnliefsteboek.nl',
      consent_domain: 'www.mijnliefsteboek.nl',
      user_uid: 'd8f66916-0c77-4461-927c-b8edc046e666',
      consents_approved: approved,
      consents_denied: denied,
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
    }),
  );
}
export const REFUSED = cookieInformation(['cookie_cat_necessary'], ['cookie_cat_functional', 'cookie_cat_statistic', 'cookie_cat_marketing', 'cookie_cat_unclassified'], new Date(T0 + 3_000).toISOString());
export const ACCEPTED = cookieInformation(['cookie_cat_necessary', 'cookie_cat_functional', 'cookie_cat_statistic', 'cookie_cat_marketing', 'cookie_cat_unclassified'], [], new Date(T0 + 3_000).toISOString());

export const SHOP = 'https://www.mijnliefsteboek.nl';
export const GA_HIT = (gcs: string, extra = '') => `https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&gtm=45je5b10v9&${gcs}${extra}&en=page_view&dl=${encodeURIComponent(`${SHOP}/`)}`;
export const META_HIT = 'https://www.facebook.com/tr/?id=1234567890123456&ev=PageView&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F';
export const CI_SCRIPT = 'https://policy.app.cookieinformation.com/uc.js';
/** What CloudFront in front of the shop adds: the headers AWS hosting is recognised by. */
export const CLOUDFRONT = [
  { name: 'x-amz-cf-id', value: 'Xq8cT2m4F0sdbA3kq1w9Yy7tV0pLr5nZ8eH6uJ2cB1xW3oQ9aS4dKg==' },
  { name: 'x-amz-cf-pop', value: 'AMS58-P4' },
];
