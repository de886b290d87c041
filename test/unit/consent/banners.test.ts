// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchConsentBanners } from '@/lib/consent/banners';

/** A document as a content script finds it at document_start: still being parsed. */
function parsingDocument(): Document {
  const doc = document.implementation.createHTMLDocument('shop');
  Object.defineProperty(doc, 'readyState', { value: 'loading', configurable: true });
  return doc;
}

function parsed(doc: Document) {
  Object.defineProperty(doc, 'readyState', { value: 'interactive', configurable: true });
  doc.dispatchEvent(new Event('readystatechange'));
  doc.dispatchEvent(new Event('DOMContentLoaded'));
}

/** The page's load event is next, in the same task. */
function loaded(doc: Document) {
  Object.defineProperty(doc, 'readyState', { value: 'complete', configurable: true });
  doc.dispatchEvent(new Event('readystatechange'));
}

/** A Cookiebot banner root: shown, or kept in the page with `display: none` as for a returning customer. */
function cookiebotBanner(doc: Document, { shown = true } = {}) {
  const element = doc.createElement('div');
  element.id = 'CybotCookiebotDialog';
  if (!shown) element.style.display = 'none';
  doc.body.append(element);
  return element;
}

function watch(doc: Document) {
  const reports: [string, boolean][] = [];
  let stop = () => {};
  const watcher = watchConsentBanners({ root: doc, report: (cmp, showing) => reports.push([cmp, showing]), onInvalidated: (s) => (stop = s) });
  return { reports, watcher, stop: () => stop() };
}

describe('the consent banner watch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does not observe the document while the page loads, and starts a task after its load event', async () => {
    const doc = parsingDocument();
    const observe = vi.spyOn(MutationObserver.prototype, 'observe');
    const { reports } = watch(doc);
    cookiebotBanner(doc);
    parsed(doc);
    expect(observe).not.toHaveBeenCalled();
    loaded(doc);
    // Not in the task of the load event, which would wait for it.
    expect(observe).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(observe).toHaveBeenCalledTimes(1);
    // The first look comes one spacing after the script started, as the observer's first look did.
    await vi.advanceTimersByTimeAsync(248);
    expect(reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(reports).toEqual([['cookiebot', true]]);
    observe.mockRestore();
  });

  it('looks every spacing while a long load goes on, so a banner is not seen later than before', async () => {
    const doc = parsingDocument();
    const { reports } = watch(doc);
    await vi.advanceTimersByTimeAsync(300);
    const banner = cookiebotBanner(doc);
    expect(reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(reports).toEqual([['cookiebot', true]]);
    // Parsed, but its images and scripts still loading: still a look every spacing.
    parsed(doc);
    banner.style.display = 'none';
    await vi.advanceTimersByTimeAsync(250);
    expect(reports).toEqual([['cookiebot', true], ['cookiebot', false]]);
    loaded(doc);
    await vi.advanceTimersByTimeAsync(1000);
    // Only changes are reported.
    expect(reports).toEqual([['cookiebot', true], ['cookiebot', false]]);
  });

  it('follows the banner once the page has loaded: it goes when answered', async () => {
    const doc = parsingDocument();
    const { reports } = watch(doc);
    parsed(doc);
    loaded(doc);
    await vi.advanceTimersByTimeAsync(0);
    const banner = cookiebotBanner(doc);
    await vi.advanceTimersByTimeAsync(250);
    expect(reports).toEqual([['cookiebot', true]]);
    banner.style.display = 'none';
    await vi.advanceTimersByTimeAsync(250);
    expect(reports).toEqual([['cookiebot', true], ['cookiebot', false]]);
  });

  it('reports a banner that is there but hidden (a returning customer) as not showing', async () => {
    const doc = parsingDocument();
    const { reports } = watch(doc);
    cookiebotBanner(doc, { shown: false });
    parsed(doc);
    await vi.advanceTimersByTimeAsync(250);
    expect(reports).toEqual([['cookiebot', false]]);
  });

  it.each([
    ['visibility: hidden', (banner: HTMLElement) => (banner.style.visibility = 'hidden')],
    ['inside a hidden ancestor', (banner: HTMLElement) => {
      const wrapper = banner.ownerDocument.createElement('div');
      wrapper.style.display = 'none';
      banner.replaceWith(wrapper);
      wrapper.append(banner);
    }],
  ])('reports a banner kept in the page with %s as not showing', (_, hide) => {
    const doc = document.implementation.createHTMLDocument('shop');
    Object.defineProperty(doc, 'readyState', { value: 'complete', configurable: true });
    hide(cookiebotBanner(doc));
    const { reports } = watch(doc);
    expect(reports).toEqual([['cookiebot', false]]);
  });

  it('looks at once in a page that has already loaded (a script injected late)', () => {
    const doc = document.implementation.createHTMLDocument('shop');
    Object.defineProperty(doc, 'readyState', { value: 'complete', configurable: true });
    cookiebotBanner(doc);
    const { reports } = watch(doc);
    expect(reports).toEqual([['cookiebot', true]]);
  });

  it.each([
    ['while the page loads', 'loading'],
    ['between its load event and the observer’s start', 'load event'],
  ] as const)('stops looking once the extension is gone %s', async (_, when) => {
    const doc = parsingDocument();
    const observe = vi.spyOn(MutationObserver.prototype, 'observe');
    const { reports, stop } = watch(doc);
    if (when === 'loading') stop();
    cookiebotBanner(doc);
    if (when === 'loading') await vi.advanceTimersByTimeAsync(1000);
    parsed(doc);
    loaded(doc);
    if (when === 'load event') stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toEqual([]);
    expect(observe).not.toHaveBeenCalled();
    observe.mockRestore();
  });

  it('stops looking once the extension is gone after the page has loaded', async () => {
    const doc = parsingDocument();
    const disconnect = vi.spyOn(MutationObserver.prototype, 'disconnect');
    const { reports, stop } = watch(doc);
    parsed(doc);
    loaded(doc);
    await vi.advanceTimersByTimeAsync(0);
    stop();
    expect(disconnect).toHaveBeenCalledTimes(1);
    cookiebotBanner(doc);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toEqual([]);
    disconnect.mockRestore();
  });

  it('checkNow looks at once, without waiting for the spacing', () => {
    const doc = parsingDocument();
    const { reports, watcher } = watch(doc);
    cookiebotBanner(doc);
    watcher.checkNow();
    expect(reports).toEqual([['cookiebot', true]]);
  });

  it('reports every banner on the page again, changed or not, for the visit of a page shown again', async () => {
    const doc = parsingDocument();
    const { reports, watcher } = watch(doc);
    cookiebotBanner(doc, { shown: false });
    parsed(doc);
    await vi.advanceTimersByTimeAsync(250);
    expect(reports).toEqual([['cookiebot', false]]);
    watcher.checkNow();
    expect(reports).toHaveLength(1);
    watcher.reportAgain();
    expect(reports).toEqual([['cookiebot', false], ['cookiebot', false]]);
  });
});

