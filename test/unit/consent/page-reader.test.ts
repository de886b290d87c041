// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pairPageChannel } from '@/lib/consent/page-channel';
import { startPageConsentReader } from '@/lib/consent/page-reader';

describe('the page-world consent reader', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("does not look for the page's APIs while the page waits for it, and finds them at its first tick", async () => {
    // At document_start no page script has run: a look then finds nothing and only holds the parser up.
    const tcfapi = vi.fn();
    const win = Object.assign(Object.create(window) as Window, { document: document.implementation.createHTMLDocument('shop'), __tcfapi: tcfapi });
    const posted: string[] = [];
    pairPageChannel(win.document, (name) => win.document.addEventListener(name, (event) => posted.push((event as CustomEvent<string>).detail)));
    startPageConsentReader(win);
    expect(tcfapi).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(250);
    expect(tcfapi).toHaveBeenCalledWith('addEventListener', 2, expect.any(Function));
    // What the CMP answers reaches the content script's side of the channel.
    tcfapi.mock.calls[0]![2]({ eventStatus: 'tcloaded', tcString: 'CQ' }, true);
    expect(posted.map((text) => JSON.parse(text))).toEqual([expect.objectContaining({ source: 'tcf', eventStatus: 'tcloaded', tcString: 'CQ' })]);
  });
});
