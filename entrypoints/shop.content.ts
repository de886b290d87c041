import { browser } from 'wxt/browser';
import { SHOP_MATCHES } from '@/lib/catalog/shop-domains';
import { startResourceReporter } from '@/lib/observe/page-reporter';

export default defineContentScript({
  matches: SHOP_MATCHES,
  runAt: 'document_start',
  main(ctx) {
    startResourceReporter({
      send: (message) => browser.runtime.sendMessage(message),
      onInvalidated: (stop) => ctx.onInvalidated(stop),
    });
  },
});
