import { browser } from 'wxt/browser';
import { SHOP_MATCHES } from '@/lib/catalog/shop-domains';
import { watchConsentBanners } from '@/lib/consent/banners';
import { relayPageConsent } from '@/lib/consent/page-relay';
import { watchExtensionLifetime } from '@/lib/observe/lifetime';
import { answerReportNow, createReportSender } from '@/lib/observe/content-channel';
import { startResourceReporter } from '@/lib/observe/page-reporter';
import { pageStartedAt, sendWhenShown, stamped, stampedWithPageStart, watchShownAgain, type PageTimes } from '@/lib/observe/page-start';
import { fillDataRequestForm } from '@/lib/requests/form-filler';
import { dataRequestPage } from '@/lib/catalog/shop.json';

export default defineContentScript({
  matches: SHOP_MATCHES,
  runAt: 'document_start',
  // No context: the build leaves WXT's out (wxt.config.ts, withoutContentScriptContext), which also
  // announced the script to the page by a DOM event named with the extension's id.
  main() {
    const times: PageTimes = { start: pageStartedAt() };
    const send = sendWhenShown((message: unknown) => browser.runtime.sendMessage(message), times);
    const report = stampedWithPageStart(send, times);
    // Not ctx.onInvalidated: a page can fire that (lifetime.ts).
    const onInvalidated = watchExtensionLifetime(() => browser.runtime?.id !== undefined);
    const reporter = startResourceReporter({ send: report, onInvalidated });
    // Stamped when made, not at each try: a report sent again after the page was shown again says it was made before.
    const reports = createReportSender(send);
    const banners = watchConsentBanners({ report: (cmp, showing, at) => void reports.send(stamped({ type: 'consent-banner', cmp, showing, at }, times)), onInvalidated });
    const relay = relayPageConsent({ send: (message) => reports.send(stamped(message, times)), onInvalidated });
    // Shown again by the back/forward cache: the page's new visit hears all of it again.
    onInvalidated(
      watchShownAgain(times, (since) => {
        reporter.announceAgain(since);
        banners.reportAgain();
        relay.sendAgain();
      }),
    );
    answerReportNow(browser, () => {
      banners.checkNow();
      return Promise.all([reporter.reportNow(), reports.delivered()]).then(() => undefined);
    });
    void fillDataRequestForm({ selector: dataRequestPage.emailFieldSelector, ask: () => send({ type: 'data-request-form-ready' }) });
  },
});
