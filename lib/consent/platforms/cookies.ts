import type { ConsentRecord } from '../model';
import { cookieReader as axeptio } from './axeptio';
import { cookieReader as complianz } from './complianz';
import { cookieReader as cookieInformation } from './cookie-information';
import { cookieReader as cookiebot } from './cookiebot';
import { cookieReader as cookiefirst } from './cookiefirst';
import { cookieReader as cookieyes } from './cookieyes';
import { cookieReader as didomi } from './didomi';
import { cookieReader as iubenda } from './iubenda';
import { cookieReader as klaro } from './klaro';
import { cookieReader as onetrust } from './onetrust';
import { cookieReader as shopify } from './shopify';
import type { CookieReader } from './types';

/**
 * Every platform's cookie reader, in the order a Danish or Dutch shop most likely uses them: the
 * two Danish platforms, OneTrust, the WordPress banners (Complianz, CookieYes), then the rest.
 * Usercentrics keeps its record in localStorage and has no cookie reader. Shopify comes last: every
 * Shopify shop has `_tracking_consent`, and a dedicated banner on that shop writes its own, more
 * precise record too.
 */
export const COOKIE_READERS: readonly CookieReader[] = [
  cookieInformation,
  cookiebot,
  onetrust,
  complianz,
  cookieyes,
  didomi,
  iubenda,
  cookiefirst,
  klaro,
  axeptio,
  shopify,
];

function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** Whether a cookie of this name may hold a platform's record (a `*` name is a prefix). */
export function isPlatformCookie(name: string): boolean {
  return COOKIE_READERS.some((reader) => reader.cookies.some((pattern) => matches(pattern, name)));
}

/**
 * The visitor's choice from the shop's cookies: the first reader, in COOKIE_READERS' order, whose
 * cookies are there and that understands them. A platform whose cookie is there but unreadable
 * (a stale cookie of a banner the shop replaced, a record written before any choice) gives way
 * to the next. null: no record we can read.
 */
export function readPlatformCookies(cookies: ReadonlyMap<string, string>): ConsentRecord | null {
  const names = [...cookies.keys()];
  for (const reader of COOKIE_READERS) {
    if (!reader.cookies.some((pattern) => names.some((name) => matches(pattern, name)))) continue;
    try {
      const record = reader.read(cookies);
      if (record) return record;
    } catch {
      // A reader must not throw; if one does, it has read nothing.
    }
  }
  return null;
}
