import { describe, expect, it, vi } from 'vitest';
import { pageStartedAt, sendWhenShown, stamped, stampedWithPageStart, watchShownAgain, type PageTimes } from '@/lib/observe/page-start';

describe('a page’s moments on its reports', () => {
  it('dates the page from its time origin by the machine’s clock', () => {
    expect(pageStartedAt(1_700_000_010_000, 2_500)).toBe(1_700_000_007_500);
  });

  it('stamps a report as it is made', () => {
    const times: PageTimes = { start: 1_000 };
    const made = stamped({ type: 'consent-banner', cmp: 'tcf', showing: true, at: 1_100 }, times);
    times.shownAgainAt = 50_000;
    expect(made).toEqual({ type: 'consent-banner', cmp: 'tcf', showing: true, at: 1_100, pageStart: 1_000 });
  });

  it('stamps each report with the page’s start, and with when the back/forward cache showed it again once it has', async () => {
    const sent: unknown[] = [];
    const times: PageTimes = { start: 1_000 };
    const send = stampedWithPageStart(async (message) => void sent.push(message), times);
    const target = new EventTarget();
    const onShownAgain = vi.fn();
    const stop = watchShownAgain(times, onShownAgain, target, () => 48_500);
    await send({ type: 'consent-banner', cmp: 'tcf', showing: true, at: 1_100 });
    // An ordinary showing (the first, or one the cache did not keep) is no sign.
    target.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }));
    expect(onShownAgain).not.toHaveBeenCalled();
    vi.setSystemTime(50_000);
    target.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    vi.useRealTimers();
    // With the moment by the page's own clock, which Resource Timing counts in.
    expect(onShownAgain).toHaveBeenCalledExactlyOnceWith(48_500);
    await send({ type: 'page-resources', page: '0123456789abcdef', resources: [] });
    expect(sent).toEqual([
      { type: 'consent-banner', cmp: 'tcf', showing: true, at: 1_100, pageStart: 1_000 },
      { type: 'page-resources', page: '0123456789abcdef', resources: [], pageStart: 1_000, shownAgainAt: 50_000 },
    ]);
    stop();
    target.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(onShownAgain).toHaveBeenCalledOnce();
  });

  it('holds a prerendered page’s messages until it is shown, then sends each as the shown page’s', async () => {
    const sent: unknown[] = [];
    const times: PageTimes = { start: 1_000 };
    const doc = Object.assign(new EventTarget(), { prerendering: true });
    const send = sendWhenShown(async (message) => void sent.push(message), times, doc);
    // Made unseen: a banner report stamped as it was made, the resource report stamped as it is sent, the form's question.
    const banner = send(stamped({ type: 'consent-banner', cmp: 'tcf', showing: true, at: 1_100 }, times));
    const resources = stampedWithPageStart(send, times)({ type: 'page-resources', page: '0123456789abcdef', resources: [] });
    const question = send({ type: 'data-request-form-ready' });
    await Promise.resolve();
    expect(sent).toEqual([]);
    vi.setSystemTime(9_000);
    doc.prerendering = false;
    doc.dispatchEvent(new Event('prerenderingchange'));
    vi.useRealTimers();
    await Promise.all([banner, resources, question]);
    expect(times.shownAt).toBe(9_000);
    expect(sent).toEqual([
      { type: 'consent-banner', cmp: 'tcf', showing: true, at: 1_100, pageStart: 1_000, shownAt: 9_000 },
      { type: 'page-resources', page: '0123456789abcdef', resources: [], pageStart: 1_000, shownAt: 9_000 },
      { type: 'data-request-form-ready' },
    ]);
    // Made since: stamped so as it is made.
    await send(stamped({ type: 'consent-banner', cmp: 'tcf', showing: false, at: 9_500 }, times));
    expect(sent.at(-1)).toEqual({ type: 'consent-banner', cmp: 'tcf', showing: false, at: 9_500, pageStart: 1_000, shownAt: 9_000 });
  });

  it('sends at once from a page that is not prerendered', async () => {
    const sent: unknown[] = [];
    const raw = async (message: unknown) => void sent.push(message);
    expect(sendWhenShown(raw, { start: 1_000 }, Object.assign(new EventTarget(), { prerendering: false }))).toBe(raw);
    // A browser without prerendering has no such property.
    expect(sendWhenShown(raw, { start: 1_000 }, new EventTarget())).toBe(raw);
  });
});
