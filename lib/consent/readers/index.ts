import type { ConsentRecord } from '../model';
import { isPlatformCookie, readPlatformCookies } from '../platforms/cookies';
import { COOKIEBOT_COOKIE, parseCookiebot } from './cookiebot';
import { COOKIE_INFORMATION_COOKIE, parseCookieInformation } from './cookie-information';
import { ONETRUST_CLOSED_COOKIE, ONETRUST_COOKIE, parseOneTrust } from './onetrust';
import { TCF_COOKIE, parseTcString } from './tcf';
import { parseGppString } from './gpp';

export { parseCookiebot, parseCookieInformation, parseGppString, parseOneTrust, parseTcString };
export { COOKIEBOT_COOKIE, COOKIE_INFORMATION_COOKIE, ONETRUST_CLOSED_COOKIE, ONETRUST_COOKIE, TCF_COOKIE };

/** Whether a cookie on the shop's domain may hold a consent record we read. */
export function isConsentCookie(name: string): boolean {
  return name === TCF_COOKIE || isPlatformCookie(name);
}

/**
 * The consent record held in a set of cookies (name → value): a platform's own record first (the
 * platforms in lib/consent/platforms/cookies.ts, in the order a Danish or Dutch shop most likely
 * uses them), then a first-party TC string, which any TCF platform may keep. `null`: no record we
 * can read.
 */
export function readConsentCookies(cookies: ReadonlyMap<string, string>): ConsentRecord | null {
  const record = readPlatformCookies(cookies);
  if (record) return record;
  const tcf = cookies.get(TCF_COOKIE);
  return tcf === undefined ? null : parseTcString(tcf);
}
