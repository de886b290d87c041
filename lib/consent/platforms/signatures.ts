import { signature as axeptio } from './axeptio';
import { signature as complianz } from './complianz';
import { signature as cookieInformation } from './cookie-information';
import { signature as cookiebot } from './cookiebot';
import { signature as cookiefirst } from './cookiefirst';
import { signature as cookieyes } from './cookieyes';
import { signature as didomi } from './didomi';
import { signature as iubenda } from './iubenda';
import { signature as klaro } from './klaro';
import { signature as onetrust } from './onetrust';
import { signature as shopify } from './shopify';
import { signature as usercentrics } from './usercentrics';
import type { PlatformSignature } from './types';

/** How every platform shows itself, to name a banner whose record cannot be read. */
export const PLATFORM_SIGNATURES: readonly PlatformSignature[] = [
  cookieInformation,
  cookiebot,
  onetrust,
  complianz,
  cookieyes,
  usercentrics,
  didomi,
  iubenda,
  cookiefirst,
  klaro,
  axeptio,
  shopify,
];

/**
 * The platform a script or API host belongs to (suffix match on whole labels:
 * `consent.cookiebot.com` and `sdk.privacy-center.org` match, `notcookielaw.org` does not).
 * The most specific listed host wins. null: none of ours.
 */
export function platformOfHost(host: string): PlatformSignature | null {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  if (name.length === 0 || name.length > 253) return null;
  let best: PlatformSignature | null = null;
  let bestLength = 0;
  for (const signature of PLATFORM_SIGNATURES) {
    for (const suffix of signature.hosts) {
      if ((name === suffix || name.endsWith(`.${suffix}`)) && suffix.length > bestLength) {
        best = signature;
        bestLength = suffix.length;
      }
    }
  }
  return best;
}
