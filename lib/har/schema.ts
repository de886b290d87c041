import * as z from 'zod';

/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) as Chromium's DevTools and Firefox's
 * network monitor export it: only the fields the judgement reads, everything else dropped on the way
 * in (a response body can be most of a file). Lenient where the two browsers and the spec differ:
 * Chromium leaves `pages` empty for a capture started after the load and adds `_resourceType`;
 * Firefox titles a page by its document title and writes local time with an offset; "sanitized"
 * exports (Chrome's default since version 130) leave out every Cookie and Set-Cookie header.
 */

const Header = z.object({ name: z.string(), value: z.string() });
const Cookie = z.object({ name: z.string(), value: z.string() });
/** An ISO date-time as either browser writes it (`Z` or `+02:00`, milliseconds or not). */
const HarTime = z.string().refine((value) => Number.isFinite(Date.parse(value)), 'not a date and time (ISO 8601)');

export const HarPage = z.object({
  id: z.string(),
  startedDateTime: HarTime,
  /** Chromium writes the page's address here, Firefox the document's title. */
  title: z.string().default(''),
});
export type HarPage = z.infer<typeof HarPage>;

export const HarEntry = z.object({
  pageref: z.string().optional(),
  startedDateTime: HarTime,
  /** Total time in ms; -1 or absent in some exporters when unknown. */
  time: z.number().default(0),
  request: z.object({
    method: z.string().max(32),
    url: z.string(),
    headers: z.array(Header).max(10_000),
    cookies: z.array(Cookie).max(10_000).default([]),
    postData: z.object({ mimeType: z.string().optional(), text: z.string().optional() }).optional(),
  }),
  response: z.object({
    status: z.number().int(),
    headers: z.array(Header).max(10_000),
    redirectURL: z.string().optional(),
    content: z.object({ mimeType: z.string().optional() }).optional(),
    /** Chromium: why a request failed (`net::ERR_BLOCKED_BY_CLIENT`). */
    _error: z.string().nullable().optional(),
  }),
  /** Chromium only: DevTools' resource type (`document`, `script`, `ping`, …). */
  _resourceType: z.string().optional(),
});
export type HarEntry = z.infer<typeof HarEntry>;

export const HarLog = z.object({
  version: z.string().optional(),
  creator: z.object({ name: z.string(), version: z.string().default('') }).default({ name: 'unknown', version: '' }),
  browser: z.object({ name: z.string(), version: z.string().default('') }).optional(),
  pages: z.array(HarPage).max(100_000).default([]),
  entries: z.array(HarEntry).max(2_000_000),
});
export const Har = z.object({ log: HarLog });
export type Har = z.infer<typeof Har>;
