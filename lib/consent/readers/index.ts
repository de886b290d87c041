import type { ConsentRecord } from '../model';
import { COOKIEBOT_COOKIE, parseCookiebot } from './cookiebot';
import { COOKIE_INFORMATION_COOKIE, parseCookieInformation } from './cookie-information';
import { ONETRUST_CLOSED_COOKIE, ONETRUST_COOKIE, parseOneTrust } from './onetrust';
import { TCF_COOKIE, parseTcString } from './tcf';

export { parseCookiebot, parseCookieInformation, parseOneTrust, parseTcString };
export { COOKIEBOT_COOKIE, COOKIE_INFORMATION_COOKIE, ONETRUST_CLOSED_COOKIE, ONETRUST_COOKIE, TCF_COOKIE };

/** The consent cookies we read on the shop's domain. */
export const CONSENT_COOKIES: readonly string[] = [COOKIE_INFORMATION_COOKIE, COOKIEBOT_COOKIE, ONETRUST_COOKIE, ONETRUST_CLOSED_COOKIE, TCF_COOKIE];

/**
 * The consent record held in a set of cookies (name → value), trying the banners in the order a
 * Danish shop most likely uses them. `null`: no record we can read.
 */
export function readConsentCookies(cookies: ReadonlyMap<string, string>): ConsentRecord | null {
  const cookieInformation = cookies.get(COOKIE_INFORMATION_COOKIE);
  if (cookieInformation !== undefined) return parseCookieInformation(cookieInformation);
  const cookiebot = cookies.get(COOKIEBOT_COOKIE);
  if (cookiebot !== undefined) return parseCookiebot(cookiebot);
  const onetrust = cookies.get(ONETRUST_COOKIE);
  if (onetrust !== undefined) return parseOneTrust(onetrust, cookies.get(ONETRUST_CLOSED_COOKIE));
  const tcf = cookies.get(TCF_COOKIE);
  if (tcf !== undefined) return parseTcString(tcf);
  return null;
}
