import type { ContentMessage } from '../messages/schema';
import type { Observer } from './observer';
import { readPageConsent } from './page-consent';

/**
 * A content script's report, handed to the observer (the form filler's question is answered elsewhere)
 * with the page it came from, `pageUrl` being the sender's address as the browser gives it. Whether the
 * tab had a visit to take it into: a report that came before its page's visit began is sent again
 * (lib/messages/answers.ts, NO_VISIT_YET). One the observer reads as nothing is taken.
 */
export function handleContentMessage(observer: Observer, tabId: number, message: Exclude<ContentMessage, { type: 'data-request-form-ready' }>, pageUrl: string, documentId?: string): boolean {
  const from = {
    start: message.pageStart,
    url: pageUrl,
    ...(message.shownAgainAt === undefined ? {} : { shownAgainAt: message.shownAgainAt }),
    ...(message.shownAt === undefined ? {} : { shownAt: message.shownAt }),
    ...(documentId === undefined ? {} : { documentId }),
  };
  switch (message.type) {
    case 'page-resources':
      return observer.pageResources(tabId, message.resources, message.page, from);
    case 'consent-banner':
      return observer.bannerSeen(tabId, message.cmp, message.showing, message.at, from);
    case 'page-consent': {
      const report = readPageConsent(message.report, { again: message.again === true });
      return report ? observer.pageConsent(tabId, report, from) : true;
    }
  }
}
