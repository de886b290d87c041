import { describe, expect, it } from 'vitest';
import { judgeTab, judgeTabPromises } from '@/lib/observe';
import { stoppedBeforeSent } from '@/lib/observe/stopped';
import { makeObserver, request } from './fakes';

/** An observer with the shop's home page open in tab 7. */
async function shopVisit() {
  const made = makeObserver();
  await made.store.ready;
  const page = request('https://www.mijnliefsteboek.nl/', { type: 'main_frame' });
  made.observer.requestStarted(page);
  made.observer.requestEnded({ ...page, statusCode: 200 });
  return made;
}

/**
 * `hit` started on the shop's page, then the worker is stopped: the next one (returned) finds the state
 * with the request pending, and no record of it in memory.
 */
async function startedBeforeAStop(hit: ReturnType<typeof request>) {
  const { observer, store, area } = await shopVisit();
  observer.requestStarted(hit);
  await store.flush();
  const next = makeObserver(area);
  await next.store.ready;
  return next;
}

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
    const { observer, store } = await shopVisit();
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
    // Each stopped request's record says so: the promises leave it out of what the company received.
    expect(store.get(7)!.requests.filter((r) => r.entryId !== 'aws').map((r) => [r.event ?? r.entryId, r.stopped ?? false])).toEqual([
      ['PageView', true],
      ['AddToCart', false],
      ['Lead', false],
      ['google-analytics', true],
    ]);
    const promises = judgeTabPromises(store.get(7)!, judgeTab(store.get(7)!, null), { rights: [], now: 0 });
    expect(promises.find((p) => p.id === 'meta-unfinished-purchase-only')).toMatchObject({ status: 'broken', facts: { code: 'events-other', events: [{ name: 'Lead', count: 1 }], stopped: 1 } });
    expect(promises.find((p) => p.id === 'ga-anonymised')).toMatchObject({ status: 'unknown', facts: { code: 'identifiers-no-hits', stopped: 1 } });
  });

  it('moves a request the tab let go of before its end to the stopped ones, so that every request counts once', async () => {
    const { observer, store } = await shopVisit();
    // 600 hits in flight, then each ends: every third refused by the browser under load.
    const hits = Array.from({ length: 600 }, (_, n) => request(`https://region1.google-analytics.com/g/collect?v=2&_p=${n}`, { type: 'ping', timeStamp: 3_000 + n }));
    for (const hit of hits) observer.requestStarted(hit);
    hits.forEach((hit, n) => observer.requestEnded({ ...hit, ...(n % 3 === 0 ? { error: 'net::ERR_INSUFFICIENT_RESOURCES' } : { statusCode: 204 }) }));
    const state = store.get(7)!;
    expect(state.entries['google-analytics']).toMatchObject({ requests: 600, stopped: 200 });
    const promise = judgeTabPromises(state, judgeTab(state, null), { rights: [], now: 0 }).find((p) => p.id === 'ga-anonymised')!;
    expect(promise).toMatchObject({ status: 'kept', facts: { code: 'identifiers-absent', hits: 400, stopped: 200 } });
  });

  it('marks a request stopped whose start this worker never saw', async () => {
    const { observer, store } = await shopVisit();
    observer.requestEnded({ ...request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image' }), error: 'NS_ERROR_ABORT' });
    expect(store.get(7)!.entries['meta-pixel']).toMatchObject({ requests: 1, stopped: 1 });
    expect(store.get(7)!.requests.at(-1)).toMatchObject({ event: 'PageView', stopped: true });
  });

  it('marks a request stopped whose start a worker stopped since then saw', async () => {
    const hit = request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image' });
    const next = await startedBeforeAStop(hit);
    next.observer.requestEnded({ ...hit, error: 'net::ERR_BLOCKED_BY_CLIENT' });
    const state = next.store.get(7)!;
    expect(state.entries['meta-pixel']).toMatchObject({ requests: 1, stopped: 1 });
    expect(state.requests.filter((r) => r.entryId === 'meta-pixel')).toMatchObject([{ event: 'PageView', stopped: true }]);
  });

  it('marks both when two blocked hits to one address end, one started before a stop and one after', async () => {
    const before = request('https://www.facebook.com/tr/?id=1&ev=PageView', { type: 'image' });
    const next = await startedBeforeAStop(before);
    // The same address once its query is left out: the new worker's own hit must keep its record for its end.
    const after = request('https://www.facebook.com/tr/?id=1&ev=ViewContent', { type: 'image' });
    next.observer.requestStarted(after);
    next.observer.requestEnded({ ...before, error: 'net::ERR_BLOCKED_BY_CLIENT' });
    next.observer.requestEnded({ ...after, error: 'net::ERR_BLOCKED_BY_CLIENT' });
    const state = next.store.get(7)!;
    expect(state.entries['meta-pixel']).toMatchObject({ requests: 2, stopped: 2 });
    expect(state.requests.filter((r) => r.entryId === 'meta-pixel').map((r) => [r.event, r.stopped ?? false])).toEqual([
      ['PageView', true],
      ['ViewContent', true],
    ]);
  });
});

