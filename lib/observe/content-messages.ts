import type { ContentMessage } from '../messages/schema';
import type { Observer } from './observer';
import { readPageConsent } from './page-consent';

/** A content script's report, handed to the observer (the form filler's question is answered elsewhere). */
export function handleContentMessage(observer: Observer, tabId: number, message: Exclude<ContentMessage, { type: 'data-request-form-ready' }>): void {
  switch (message.type) {
    case 'page-resources':
      return observer.pageResources(tabId, message.resources, message.page);
    case 'consent-banner':
      return observer.bannerSeen(tabId, message.cmp, message.showing, message.at);
    case 'page-consent': {
      const report = readPageConsent(message.report);
      if (report) observer.pageConsent(tabId, report);
      return;
    }
  }
}
