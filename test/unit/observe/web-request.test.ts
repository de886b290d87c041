import { describe, expect, it } from 'vitest';
import { toRequestEvent } from '@/lib/observe/web-request';
import { CLOUDFRONT_HEADERS, makeObserver } from './fakes';

type Details = Parameters<typeof toRequestEvent>[0];

/** A request's details as webRequest hands them over, with a body that counts how often it is read. */
function withCountedBody(url: string, tabId: number, body: { formData: Record<string, string[]> } | { raw: string }) {
  const reads = { count: 0 };
  const requestBody =
    'formData' in body
      ? {
          get formData() {
            reads.count++;
            return body.formData;
          },
        }
      : {
          get raw() {
            reads.count++;
            return [{ bytes: new TextEncoder().encode(body.raw).buffer }];
          },
        };
  const details: Details = { requestId: `${url}#${tabId}`, tabId, frameId: 0, url, type: 'xmlhttprequest', method: 'POST', timeStamp: 5_000, requestBody };
  return { details, reads };
}

describe('a webRequest event as the observer takes it', () => {
  it('reads its body as text only when asked, and once', () => {
    const form = withCountedBody('https://www.mijnliefsteboek.nl/cart', 7, { formData: { item: ['boek 1'], qty: ['2'] } });
    const event = toRequestEvent(form.details);
    expect(form.reads.count).toBe(0);
    expect(event.body).toBe('item=boek+1&qty=2');
    const afterFirst = form.reads.count;
    expect(afterFirst).toBeGreaterThan(0);
    expect(event.body).toBe('item=boek+1&qty=2');
    expect(form.reads.count).toBe(afterFirst);

    const beacon = withCountedBody('https://www.mijnliefsteboek.nl/g/collect', 7, { raw: 'x'.repeat(70_000) });
    expect(toRequestEvent(beacon.details).body).toHaveLength(65_536);
    expect(toRequestEvent({ ...beacon.details, requestBody: null }).body).toBeUndefined();
  });

  it('drops a request of a tab that shows no page of the shop before reading its body', async () => {
    const { observer, store, writer } = makeObserver();
    await store.ready;
    // A customer on the tracker's own site: the browser shows us its requests, since we hold its host.
    observer.requestStarted(toRequestEvent({ requestId: 'page', tabId: 3, frameId: 0, url: 'https://www.facebook.com/', type: 'main_frame', method: 'GET', timeStamp: 4_000 }));
    const post = withCountedBody('https://www.facebook.com/api/graphql/', 3, { formData: { variables: ['{"scroll":1}'], doc_id: ['123'] } });
    observer.requestStarted(toRequestEvent(post.details));
    observer.requestEnded(toRequestEvent({ ...post.details, requestBody: undefined, statusCode: 200 }));
    expect(post.reads.count).toBe(0);
    expect(store.get(3)).toBeUndefined();
    expect(writer.observations.size).toBe(0);
  });

  it('still reads the body of a shop page’s request, where a hit may say what it is only there', async () => {
    const { observer, store } = makeObserver();
    await store.ready;
    const page = { requestId: 'page', tabId: 7, frameId: 0, url: 'https://www.mijnliefsteboek.nl/', type: 'main_frame', method: 'GET', timeStamp: 4_000 };
    observer.requestStarted(toRequestEvent(page));
    observer.requestEnded(toRequestEvent({ ...page, statusCode: 200, responseHeaders: CLOUDFRONT_HEADERS }));
    // Server-side tagging on the shop's own host: the Measurement Protocol's parameters in the body only.
    const hit = withCountedBody('https://sst.mijnliefsteboek.nl/g/collect', 7, { raw: 'v=2&tid=G-MLB1234567&en=page_view' });
    observer.requestStarted(toRequestEvent(hit.details));
    expect(hit.reads.count).toBeGreaterThan(0);
    expect(store.get(7)!.entries['google-analytics']?.requests).toBe(1);
  });
});
