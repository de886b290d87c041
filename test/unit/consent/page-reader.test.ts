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

describe("the page-world reader's queues (dataLayer, uetq)", () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000 }));
  afterEach(() => vi.useRealTimers());

  /** A window of its own for one page, with what the reader posts to the content script. */
  function page(own: Record<string, unknown> = {}) {
    const win = Object.assign(Object.create(window) as Window & Record<string, unknown>, { document: document.implementation.createHTMLDocument('shop'), ...own });
    const posted: Record<string, unknown>[] = [];
    pairPageChannel(win.document, (name) => win.document.addEventListener(name, (event) => posted.push(JSON.parse((event as CustomEvent<string>).detail) as Record<string, unknown>)));
    startPageConsentReader(win);
    return { win, posted };
  }
  /** What gtag() pushes: its `arguments`, the only entries gtag.js takes for commands. */
  function command(..._args: unknown[]) {
    // The Arguments object itself, not the rest array: the reader tells a command by its type.
    return arguments;
  }
  const consentMode = (posted: Record<string, unknown>[]) => posted.filter((p) => p.source === 'consent-mode').map((p) => ({ command: p.command, ad: (p.values as Record<string, string>).ad_storage, at: p.at }));

  it("times a consent command from its push, even when the page pushes before the reader's first look", async () => {
    const { win, posted } = page();
    // The page's head, as the shop writes it: the queue first, its default, then the stored choice at 40 ms.
    win.dataLayer = win.dataLayer || [];
    const gtag = (...args: unknown[]) => (win.dataLayer as unknown[]).push(command(...args));
    gtag('consent', 'default', { ad_storage: 'denied' });
    await vi.advanceTimersByTimeAsync(40);
    gtag('consent', 'update', { ad_storage: 'granted' });
    await vi.advanceTimersByTimeAsync(500);
    expect(consentMode(posted)).toEqual([
      { command: 'default', ad: 'denied', at: 1_000 },
      { command: 'update', ad: 'granted', at: 1_040 },
    ]);
    // The page's own property, as it wrote it: plain, writable, its own array.
    expect(Object.getOwnPropertyDescriptor(win, 'dataLayer')).toMatchObject({ writable: true, enumerable: true, configurable: true });
    expect(win.dataLayer).toHaveLength(2);
  });

  it('reads a queue the page declares with entries in it at the moment it is assigned', async () => {
    const { win, posted } = page();
    await vi.advanceTimersByTimeAsync(10);
    win.dataLayer = [command('consent', 'default', { ad_storage: 'granted' })];
    await vi.advanceTimersByTimeAsync(500);
    expect(consentMode(posted)).toEqual([{ command: 'default', ad: 'granted', at: 1_010 }]);
  });

  it("times UET's consent command from its push", async () => {
    const { win, posted } = page();
    win.uetq = win.uetq || [];
    await vi.advanceTimersByTimeAsync(30);
    (win.uetq as unknown[]).push('consent', 'update', { ad_storage: 'granted' });
    await vi.advanceTimersByTimeAsync(500);
    expect(posted.filter((p) => p.source === 'vendor-consent')).toEqual([expect.objectContaining({ vendor: 'uet', command: 'update', granted: true, at: 1_030 })]);
  });

  it('leaves a queue that is already there alone until its first look, and follows a queue the page puts in its place', async () => {
    const existing: unknown[] = [command('consent', 'default', { ad_storage: 'denied' })];
    const { win, posted } = page({ dataLayer: existing });
    expect(Object.getOwnPropertyDescriptor(win, 'dataLayer')).toMatchObject({ value: existing, writable: true });
    await vi.advanceTimersByTimeAsync(250);
    expect(consentMode(posted)).toEqual([{ command: 'default', ad: 'denied', at: 1_250 }]);
    // The page starts its queue again; pushes to the new one are followed from its next look on.
    const replaced: unknown[] = [];
    win.dataLayer = replaced;
    await vi.advanceTimersByTimeAsync(250);
    replaced.push(command('consent', 'update', { ad_storage: 'granted' }));
    expect(consentMode(posted).at(-1)).toEqual({ command: 'update', ad: 'granted', at: 1_500 });
  });

  it('takes its wait away at DOMContentLoaded from a page that never made the queue, and finds one made later by looking', async () => {
    const { win, posted } = page();
    // A script that asks before it pushes hears yes while the page loads...
    expect('dataLayer' in win).toBe(true);
    expect(win.dataLayer).toBeUndefined();
    win.document.dispatchEvent(new window.Event('DOMContentLoaded'));
    // ...and no again once every script in the markup has run.
    expect('dataLayer' in win).toBe(false);
    expect('uetq' in win).toBe(false);
    // gtm.js, loaded without the inline snippet, makes it later: the next look finds it.
    await vi.advanceTimersByTimeAsync(100);
    win.dataLayer = [command('consent', 'default', { ad_storage: 'denied' })];
    await vi.advanceTimersByTimeAsync(150);
    expect(consentMode(posted)).toEqual([{ command: 'default', ad: 'denied', at: 1_250 }]);
  });

  it('leaves a property the page defined its own way where it is', () => {
    const { win } = page();
    const own = { push: () => 0 };
    Object.defineProperty(win, 'dataLayer', { configurable: true, get: () => own });
    win.document.dispatchEvent(new window.Event('DOMContentLoaded'));
    expect(win.dataLayer).toBe(own);
  });

  it("never breaks the page's own push, and stops reading a queue that pushes without end", async () => {
    const { win, posted } = page();
    win.dataLayer = [];
    const queue = win.dataLayer as unknown[];
    for (let i = 0; i < 6_000; i++) queue.push(command('consent', 'update', { ad_storage: i % 2 ? 'granted' : 'denied' }));
    expect(queue).toHaveLength(6_000);
    expect(consentMode(posted)).toHaveLength(5_000);
  });
});

describe("the page-world reader's look at Google's own consent state (google_tag_data.ics)", () => {
  beforeEach(() => vi.useFakeTimers({ now: 10_000 }));
  afterEach(() => vi.useRealTimers());

  /** A page whose clock began at 9,900, with Google's state as a GTM consent template leaves it. */
  function page() {
    const ics = { entries: {} as Record<string, { default?: boolean; update?: boolean }>, usedDefault: false, usedUpdate: false };
    const win = Object.assign(Object.create(window) as Window & Record<string, unknown>, { document: document.implementation.createHTMLDocument('shop'), google_tag_data: { ics } });
    // Its own clock, defined on it: assigned, it would replace the test's window's own.
    Object.defineProperty(win, 'performance', { value: { now: () => 100 } });
    const posted: Record<string, unknown>[] = [];
    pairPageChannel(win.document, (name) => win.document.addEventListener(name, (event) => posted.push(JSON.parse((event as CustomEvent<string>).detail) as Record<string, unknown>)));
    startPageConsentReader(win);
    const template = {
      setDefault: (granted: boolean) => {
        for (const type of ['ad_storage', 'analytics_storage']) ics.entries[type] = { ...ics.entries[type], default: granted };
      },
      update: (granted: boolean) => {
        for (const type of ['ad_storage', 'analytics_storage']) ics.entries[type] = { ...ics.entries[type], update: granted };
      },
    };
    const press = () => win.document.body.dispatchEvent(new window.Event('pointerdown', { bubbles: true }));
    const states = () => posted.filter((p) => p.source === 'consent-mode').map((p) => ({ command: p.command, ad: (p.values as Record<string, string>).ad_storage, at: p.at }));
    return { template, press, states };
  }

  it('dates a choice the customer made by the press that made it, not by the look that saw it', async () => {
    const { template, press, states } = page();
    template.setDefault(false);
    await vi.advanceTimersByTimeAsync(2_000);
    press();
    template.update(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(states()).toEqual([
      { command: 'default', ad: 'denied', at: 9_900 },
      { command: 'update', ad: 'granted', at: 12_000 },
    ]);
  });

  it("dates a stored choice, there when Google's state is first seen and before any press, from the page's start", async () => {
    const { template, states } = page();
    template.setDefault(false);
    template.update(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(states()).toEqual([{ command: 'update', ad: 'granted', at: 9_900 }]);
  });

  it('dates a change no press made (a banner that takes scrolling for consent) at the look that saw it', async () => {
    const { template, states } = page();
    template.setDefault(false);
    await vi.advanceTimersByTimeAsync(1_000);
    template.update(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(states().at(-1)).toEqual({ command: 'update', ad: 'granted', at: 11_250 });
  });

  it('looks again after its first ten seconds when the customer presses, and sees a choice changed later', async () => {
    const { template, press, states } = page();
    template.setDefault(false);
    template.update(true);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(states()).toHaveLength(1);
    // The customer opens the banner again and refuses: the press wakes the looks.
    press();
    template.update(false);
    await vi.advanceTimersByTimeAsync(250);
    expect(states().at(-1)).toEqual({ command: 'update', ad: 'denied', at: 30_000 });
    // And they stop again ten seconds on.
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(10_500);
    expect(vi.getTimerCount()).toBe(0);
  });
});
