import { Catalog, ThirdPartyDirectory, type ThirdParty } from './schema';
import shop from './shop.json';
import aws from './entries/aws.json';
import googleTagManager from './entries/google-tag-manager.json';
import googleAnalytics from './entries/google-analytics.json';
import googleAds from './entries/google-ads.json';
import microsoftAds from './entries/microsoft-ads.json';
import metaPixel from './entries/meta-pixel.json';
import trustpilot from './entries/trustpilot.json';
import adyen from './entries/adyen.json';
import consentPlatforms from './consent-platforms.json';
import promises from './promises.json';
import directory from './third-parties.json';

/**
 * The data files behind the catalog and the directory of third parties, checked against their
 * schemas: a broken file fails loudly here instead of misclassifying quietly. In Node (the unit tests,
 * the scan command) this module runs as written, on every start. The extension's build runs it once
 * and puts its result in its place (`checkedAtBuild` in wxt.config.ts), so a broken file fails the
 * build, and a woken service worker does not check the same files again before its first event.
 * Nothing here may depend on the browser: the build runs it in Node.
 */

/** Bump when an entry's hosts, cookies or texts change: reports carry it. */
export const CATALOG_VERSION = '2026-12-07.2';

export const catalog: Catalog = Catalog.parse({
  version: CATALOG_VERSION,
  shop,
  entries: [aws, googleTagManager, googleAnalytics, googleAds, microsoftAds, metaPixel, trustpilot, adyen],
  consentPlatforms,
  promises,
});

export const thirdParties: readonly ThirdParty[] = ThirdPartyDirectory.parse(directory);
