import { browser } from 'wxt/browser';
import { SHOP_MATCHES } from '@/lib/catalog/shop-domains';
import { watchConsentBanners } from '@/lib/consent/banners';
import { relayPageConsent } from '@/lib/consent/page-relay';
import { startResourceReporter } from '@/lib/observe/page-reporter';

export default defineContentScript({
  matches: SHOP_MATCHES,
  runAt: 'document_start',
  main(ctx) {
    const send = (message: unknown) => browser.runtime.sendMessage(message);
    const onInvalidated = (stop: () => void) => ctx.onInvalidated(stop);
    startResourceReporter({ send, onInvalidated });
    watchConsentBanners({ report: (cmp, showing) => void send({ type: 'consent-banner', cmp, showing }).catch(() => undefined), onInvalidated });
    relayPageConsent({ send, onInvalidated });
  },
});
