// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { PAGE_CHANNEL_HELLO, PAGE_CONSENT_EVENT, channelToken, pairPageChannel } from '@/lib/consent/page-channel';
import { relayPageConsent } from '@/lib/consent/page-relay';

/** Stands in for the MAIN-world reader: pairs, then posts what it read on the agreed event. */
function reader(target: EventTarget) {
  let channel: string | null = null;
  pairPageChannel(target, (name) => (channel = name));
  return {
    channel: () => channel,
    post: (report: object) => channel && target.dispatchEvent(new CustomEvent(channel, { detail: JSON.stringify(report) })),
  };
}

const GRANT_ALL = { source: 'cookie-information-api', granted: ['necessary', 'functional', 'statistics', 'marketing'], denied: [], at: 1 };

describe('the page channel between the MAIN-world reader and the content script', () => {
  it.each(['reader first', 'relay first'])('pairs both sides on one secret event name, whichever starts first (%s)', (order) => {
    const target = new EventTarget();
    const names: string[] = [];
    const side = () => pairPageChannel(target, (name) => names.push(name));
    side();
    expect(names).toEqual([]);
    side();
    expect(names).toHaveLength(2);
    expect(names[0]).toBe(names[1]);
    expect(names[0]).toMatch(new RegExp(`^${PAGE_CONSENT_EVENT}:[0-9a-f]{32}:[0-9a-f]{32}$`));
    expect(order).toBeTruthy();
  });

  it('stops listening once paired: a later hello from the page gets no answer', () => {
    const target = new EventTarget();
    const names: string[] = [];
    pairPageChannel(target, (name) => names.push(name));
    pairPageChannel(target, (name) => names.push(name));
    const heard: unknown[] = [];
    target.addEventListener(PAGE_CHANNEL_HELLO, (event) => heard.push((event as CustomEvent).detail));
    const pageToken = channelToken();
    target.dispatchEvent(new CustomEvent(PAGE_CHANNEL_HELLO, { detail: pageToken }));
    expect(heard).toEqual([pageToken]);
    expect(names).toHaveLength(2);
  });

  it('ignores hellos that are not tokens', () => {
    const target = new EventTarget();
    const names: string[] = [];
    pairPageChannel(target, (name) => names.push(name));
    for (const detail of [{ token: 'x' }, 'short', 'z'.repeat(32), `${'a'.repeat(32)}<img>`, 42]) target.dispatchEvent(new CustomEvent(PAGE_CHANNEL_HELLO, { detail }));
    expect(names).toEqual([]);
  });

  it('the relay passes on what the paired reader posts, and nothing the page posts under the public name', async () => {
    const send = vi.fn(async (_message: unknown) => undefined);
    relayPageConsent({ send, onInvalidated: () => undefined });
    const page = reader(document);
    expect(page.channel()).not.toBeNull();

    // The page: the old public event name, window messages, a guessed channel.
    document.dispatchEvent(new CustomEvent(PAGE_CONSENT_EVENT, { detail: JSON.stringify(GRANT_ALL) }));
    window.postMessage({ type: 'page-consent', report: GRANT_ALL }, '*');
    document.dispatchEvent(new CustomEvent(`${PAGE_CONSENT_EVENT}:${channelToken()}:${channelToken()}`, { detail: JSON.stringify(GRANT_ALL) }));
    await new Promise((r) => setTimeout(r, 10));
    expect(send).not.toHaveBeenCalled();

    page.post({ source: 'tcf', eventStatus: 'tcloaded', tcString: 'CQ', at: 2 });
    expect(send).toHaveBeenCalledExactlyOnceWith({ type: 'page-consent', report: { source: 'tcf', eventStatus: 'tcloaded', tcString: 'CQ', at: 2 } });
  });

  it('tells again the latest report of each kind, oldest first, marked as said before', () => {
    const sent: unknown[] = [];
    const relay = relayPageConsent({ send: async (message) => void sent.push(message), onInvalidated: () => undefined });
    const page = reader(document);
    page.post({ source: 'consent-mode', command: 'default', values: { ad_storage: 'denied' }, origin: 'dataLayer', at: 1 });
    page.post({ source: 'tcf', eventStatus: 'cmpuishown', tcString: 'CQ', at: 2 });
    page.post({ source: 'consent-mode', command: 'update', values: { ad_storage: 'granted' }, origin: 'dataLayer', at: 3 });
    page.post({ source: 'tcf', eventStatus: 'useractioncomplete', tcString: 'CQ2', at: 4 });
    sent.length = 0;
    relay.sendAgain();
    expect(sent).toEqual([
      { type: 'page-consent', again: true, report: { source: 'consent-mode', command: 'default', values: { ad_storage: 'denied' }, origin: 'dataLayer', at: 1 } },
      { type: 'page-consent', again: true, report: { source: 'consent-mode', command: 'update', values: { ad_storage: 'granted' }, origin: 'dataLayer', at: 3 } },
      { type: 'page-consent', again: true, report: { source: 'tcf', eventStatus: 'useractioncomplete', tcString: 'CQ2', at: 4 } },
    ]);
  });
});
