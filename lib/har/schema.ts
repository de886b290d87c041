import * as z from 'zod/mini';

/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) as Chromium's DevTools and Firefox's
 * network monitor export it: only the fields the judgement reads, everything else dropped on the way
 * in (a response body can be most of a file). Lenient where the two browsers and the spec differ:
 * Chromium leaves `pages` empty for a capture started after the load and adds `_resourceType`;
 * Firefox titles a page by its document title and writes local time with an offset; "sanitized"
 * exports (Chrome's default since version 130) leave out every Cookie and Set-Cookie header.
 */

const Header = z.lazy(() => z.object({ name: z.string(), value: z.string() }));
const Cookie = z.lazy(() => z.object({ name: z.string(), value: z.string() }));
/** An ISO date-time as either browser writes it (`Z` or `+02:00`, milliseconds or not). */
const HarTime = z.lazy(() => z.string().check(z.refine((value) => Number.isFinite(Date.parse(value)), 'not a date and time (ISO 8601)')));

export const HarPage = z.lazy(() => z.object({
  id: z.string(),
  startedDateTime: HarTime,
  /** Chromium writes the page's address here, Firefox the document's title. */
  title: z._default(z.string(), ''),
}));
export type HarPage = z.infer<typeof HarPage>;

export const HarEntry = z.lazy(() => z.object({
  pageref: z.optional(z.string()),
  startedDateTime: HarTime,
  /** Total time in ms; -1 or absent in some exporters when unknown. */
  time: z._default(z.number(), 0),
  request: z.object({
    method: z.string().check(z.maxLength(32)),
    url: z.string(),
    headers: z.array(Header).check(z.maxLength(10_000)),
    cookies: z._default(z.array(Cookie).check(z.maxLength(10_000)), []),
    postData: z.optional(z.object({ mimeType: z.optional(z.string()), text: z.optional(z.string()) })),
  }),
  response: z.object({
    status: z.int(),
    headers: z.array(Header).check(z.maxLength(10_000)),
    redirectURL: z.optional(z.string()),
    content: z.optional(z.object({ mimeType: z.optional(z.string()) })),
    /** Chromium: why a request failed (`net::ERR_BLOCKED_BY_CLIENT`). */
    _error: z.optional(z.nullable(z.string())),
  }),
  /** Chromium only: DevTools' resource type (`document`, `script`, `ping`, …). */
  _resourceType: z.optional(z.string()),
}));
export type HarEntry = z.infer<typeof HarEntry>;

export const HarLog = z.lazy(() => z.object({
  version: z.optional(z.string()),
  creator: z._default(z.object({ name: z.string(), version: z._default(z.string(), '') }), { name: 'unknown', version: '' }),
  browser: z.optional(z.object({ name: z.string(), version: z._default(z.string(), '') })),
  pages: z._default(z.array(HarPage).check(z.maxLength(100_000)), []),
  entries: z.array(HarEntry).check(z.maxLength(2_000_000)),
}));
export const Har = z.lazy(() => z.object({ log: HarLog }));
export type Har = z.infer<typeof Har>;
