import { SHOP_MATCHES } from '@/lib/catalog/shop-domains';
import { startPageConsentReader } from '@/lib/consent/page-reader';

// The page's own world, to reach its consent banner's API. No extension API exists here.
export default defineContentScript({
  matches: SHOP_MATCHES,
  runAt: 'document_start',
  world: 'MAIN',
  // No global variable for the page to find or overwrite.
  globalName: false,
  main() {
    startPageConsentReader();
  },
});
