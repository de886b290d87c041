import { describe, expect, it } from 'vitest';
import { stoppedBeforeSent } from '@/lib/observe/stopped';
import { makeObserver, request } from './fakes';

describe('requests stopped before they were sent', () => {
  it('knows the errors of a blocker, of tracking protection and of a host never reached, in both browsers', () => {
    for (const error of ['net::ERR_BLOCKED_BY_CLIENT', 'net::ERR_NAME_NOT_RESOLVED', 'net::ERR_INSUFFICIENT_RESOURCES', 'NS_ERROR_ABORT', 'NS_ERROR_SOCIALTRACKING_URI', 'NS_ERROR_TRACKING_URI', 'NS_ERROR_UNKNOWN_HOST']) {
      expect(stoppedBeforeSent(error), error).toBe(true);
    }
  });

  it('counts as sent a request that may have reached the company before it failed', () => {
    // The page navigated away, the connection broke, or the browser refused the response it got.
    for (const error of ['net::ERR_ABORTED', 'net::ERR_CONNECTION_RESET', 'net::ERR_TIMED_OUT', 'net::ERR_BLOCKED_BY_RESPONSE', 'NS_BINDING_ABORTED', 'NS_ERROR_NET_RESET', 'NS_ERROR_DOM_BAD_URI', '']) {
      expect(stoppedBeforeSent(error), error).toBe(false);
    }
  });

  it('counts them per tracker, among its requests', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    const page = request('https://www.mijnliefsteboek.nl/', { type: 'main_frame' });
    observer.requestStarted(page);
    observer.requestEnded({ ...page, statusCode: 200 });
    const ended = (url: string, end: { statusCode?: number; error?: string }) => {
      const hit = request(url, { type: 'image' });
      observer.requestStarted(hit);
      observer.requestEnded({ ...hit, ...end });
    };
    ended('https://www.facebook.com/tr/?id=1&ev=PageView', { error: 'net::ERR_BLOCKED_BY_CLIENT' });
    ended('https://www.facebook.com/tr/?id=1&ev=AddToCart', { statusCode: 200 });
    ended('https://www.facebook.com/tr/?id=1&ev=Lead', { error: 'net::ERR_ABORTED' });
    ended('https://region1.google-analytics.com/g/collect?v=2', { error: 'NS_ERROR_TRACKING_URI' });
    expect(store.get(7)!.entries['meta-pixel']).toMatchObject({ requests: 3, stopped: 1 });
    expect(store.get(7)!.entries['google-analytics']).toMatchObject({ requests: 1, stopped: 1 });
  });
});
