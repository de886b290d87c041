import { pageReader as axeptio } from './axeptio';
import { pageReader as complianz } from './complianz';
import { pageReader as cookieInformation } from './cookie-information';
import { pageReader as cookiebot } from './cookiebot';
import { pageReader as cookiefirst } from './cookiefirst';
import { pageReader as cookieyes } from './cookieyes';
import { pageReader as didomi } from './didomi';
import { pageReader as iubenda } from './iubenda';
import { pageReader as klaro } from './klaro';
import { pageReader as onetrust } from './onetrust';
import { pageReader as shopify } from './shopify';
import { pageReader as usercentrics } from './usercentrics';
import type { PageReader } from './types';

/**
 * Every platform's page reader, for the page's own world. Shopify's comes last for the same reason
 * as in cookies.ts: its API is on every Shopify shop, whichever banner the shop shows.
 */
export const PAGE_READERS: readonly PageReader[] = [
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
