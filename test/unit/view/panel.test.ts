import { describe, expect, it } from 'vitest';
import type { ConsentChange } from '@/lib/consent';
import { newTabState, storedTabState, tabStateKey, type TabState } from '@/lib/observe';
import { judgeTab } from '@/lib/observe/judge-tab';
import { filterPanelRows, panelChoices, panelRows, panelTarget, panelTimeline, type PanelRequestRow } from '@/lib/view/panel';
import { watchPopupTab } from '@/lib/view/popup-source';

const T0 = 1_764_000_000_000;
const SHOP = 'https://www.mijnliefsteboek.nl/';
const refusal: ConsentChange = { at: T0 + 500, receivedAt: T0 + 520, source: 'cookie-information', granted: ['necessary'], denied: ['functional', 'statistics', 'marketing', 'unclassified'], carriedOver: false };
const cmDefault: ConsentChange = { at: T0 + 20, receivedAt: T0 + 20, source: 'consent-mode', signal: 'default', granted: ['necessary'], denied: ['statistics', 'marketing'], carriedOver: false };

function tab(): TabState {
  const state = newTabState(7, 'v1', SHOP, T0);
  state.banner = { cmp: 'cookie-information', showing: false, seenAt: T0 + 5 };
  state.consent = [cmDefault, refusal];
  const record = (entryId: TabState['requests'][number]['entryId'], at: number, url: string, kind: 'page' | 'script' | 'hit'): TabState['requests'][number] => ({ entryId, at: T0 + at, consentMode: null, personalData: [], url, kind, type: 'script', method: 'GET' });
  state.requests = [record('aws', 0, SHOP, 'page'), record('meta-pixel', 100, 'https://connect.facebook.net/en_US/fbevents.js', 'script'), record('meta-pixel', 500, 'https://www.facebook.com/tr/', 'hit'), record('google-analytics', 900, 'https://region1.google-analytics.com/g/collect', 'hit')];
  for (const r of state.requests) (state.entries[r.entryId] ??= { requests: 0, cookiesSet: [], cookiesPresent: [], firstAt: r.at, via: [], relays: [], stopped: 0 }).requests++;
  state.unlisted = { 'www.clarity.ms': 1 };
  state.unlistedRequests = [{ url: 'https://www.clarity.ms/tag/<b>x</b>', at: T0 + 300, type: 'script' }];
  state.requestsLeftOut = 12;
  state.unlistedRequestsLeftOut = 1;
  return state;
}

describe('the DevTools panel’s tab', () => {
  it.each<[unknown, string, ReturnType<typeof panelTarget>]>([
    [42, '', { ok: true, tabId: 42, from: 'devtools' }],
    // Inside DevTools the inspected tab wins over whatever the address says.
    [42, '?tabId=7', { ok: true, tabId: 42, from: 'devtools' }],
    [undefined, '?tabId=7&lang=en', { ok: true, tabId: 7, from: 'address' }],
    [undefined, '?lang=en', { ok: false, problem: 'no-tab' }],
    [undefined, '?tabId=', { ok: false, problem: 'bad-tab' }],
    [undefined, '?tabId=-3', { ok: false, problem: 'bad-tab' }],
    [undefined, '?tabId=1e3', { ok: false, problem: 'bad-tab' }],
    [undefined, '?tabId=7%3Cscript%3E', { ok: false, problem: 'bad-tab' }],
    [undefined, '?tabId=99999999999', { ok: false, problem: 'bad-tab' }],
    ['7', '', { ok: false, problem: 'no-tab' }],
    [-1, '?tabId=3', { ok: true, tabId: 3, from: 'address' }],
  ])('inspected %j, address %j → %j', (inspected, search, expected) => {
    expect(panelTarget(inspected, search)).toEqual(expected);
  });
});

describe('the DevTools panel’s rows', () => {
  it('lists requests and consent changes in order, each request with the judge’s verdict and the consent it met', () => {
    const state = tab();
    const rows = panelRows(state, judgeTab(state, null));
    expect(rows.map((r) => (r.type === 'consent' ? `consent ${r.change.source} @${r.at}` : `${r.entryId ?? r.host} ${r.verdict} @${r.at} (${r.consent?.source ?? 'no choice'})`))).toEqual([
      'aws necessary @0 (no choice)',
      'consent consent-mode @20',
      'meta-pixel before-choice @100 (no choice)',
      'www.clarity.ms null @300 (no choice)',
      'consent cookie-information @500',
      'meta-pixel against-choice @500 (cookie-information)',
      'google-analytics against-choice @900 (cookie-information)',
    ]);
    const clarity = rows.find((r): r is PanelRequestRow => r.type === 'request' && r.entryId === null)!;
    expect(clarity).toMatchObject({ company: 'Microsoft Corporation', kind: 'other', url: 'https://www.clarity.ms/tag/<b>x</b>' });
  });

  it('filters by company, unnamed parties, verdict, kind and words, and keeps the consent changes for context', () => {
    const state = tab();
    const rows = panelRows(state, judgeTab(state, null));
    const shown = (filter: Parameters<typeof filterPanelRows>[1]) => filterPanelRows(rows, filter).map((r) => (r.type === 'consent' ? 'consent' : (r.entryId ?? r.host)));
    expect(shown({ company: 'Meta Platforms Ireland Limited' })).toEqual(['consent', 'meta-pixel', 'consent', 'meta-pixel']);
    expect(shown({ company: 'unnamed' })).toEqual(['consent', 'www.clarity.ms', 'consent']);
    expect(shown({ verdict: 'violation' })).toEqual(['consent', 'meta-pixel', 'consent', 'meta-pixel', 'google-analytics']);
    expect(shown({ verdict: 'against-choice', kind: 'hit' })).toEqual(['consent', 'consent', 'meta-pixel', 'google-analytics']);
    expect(shown({ search: '  FACEBOOK.com/TR ' })).toEqual(['consent', 'consent', 'meta-pixel']);
    expect(shown({ search: '<b>' })).toEqual(['consent', 'www.clarity.ms', 'consent']);
    expect(shown({ search: 'hotjar' })).toEqual(['consent', 'consent']);
    expect(shown({})).toHaveLength(rows.length);
  });

  it('offers the companies and kinds present, in the catalog’s order', () => {
    const state = tab();
    expect(panelChoices(panelRows(state, judgeTab(state, null)))).toEqual({
      companies: ['Amazon Web Services, Inc.', 'Google Ireland Limited', 'Meta Platforms Ireland Limited'],
      unnamed: true,
      kinds: ['page', 'script', 'hit', 'other'],
      stopped: 0,
    });
  });

  it('marks the requests that never arrived, filters them, and strikes them on the timeline', () => {
    const state = tab();
    state.requests[2]!.stopped = true;
    state.entries['meta-pixel']!.stopped = 1;
    const rows = panelRows(state, judgeTab(state, null));
    const requests = rows.filter((r): r is PanelRequestRow => r.type === 'request');
    expect(requests.map((r) => r.stopped)).toEqual([false, false, false, true, false]);
    // The page tried: its verdict stays the page's.
    expect(requests[3]).toMatchObject({ entryId: 'meta-pixel', verdict: 'against-choice' });
    expect(panelChoices(rows).stopped).toBe(1);
    const only = filterPanelRows(rows, { stopped: true });
    expect(only.map((r) => (r.type === 'consent' ? 'consent' : r.url))).toEqual(['consent', 'consent', 'https://www.facebook.com/tr/']);
    expect(panelTimeline(state, only).requests).toEqual([{ at: 500, entryId: 'meta-pixel', verdict: 'against-choice', url: 'https://www.facebook.com/tr/', kind: 'hit', stopped: true }]);
  });

  it('marks the requests a service worker sent, not the page', () => {
    const state = tab();
    state.requests[1]!.worker = true;
    const requests = panelRows(state, judgeTab(state, null)).filter((r): r is PanelRequestRow => r.type === 'request');
    expect(requests.map((r) => r.worker)).toEqual([false, true, false, false, false]);
    // Only the mark differs: the verdict is the request's as any other's.
    expect(requests[1]!.verdict).toBe(judgeTab(tab(), null).requestVerdicts[1]);
  });

  it('puts the rows shown on the timeline, with every consent change and what the tab left out', () => {
    const state = tab();
    const rows = filterPanelRows(panelRows(state, judgeTab(state, null)), { company: 'Meta Platforms Ireland Limited' });
    const input = panelTimeline(state, rows);
    expect(input.requests.map((r) => [r.at, r.verdict])).toEqual([
      [100, 'before-choice'],
      [500, 'against-choice'],
    ]);
    expect(input.consent.map((c) => [c.at, c.source])).toEqual([
      [20, 'consent-mode'],
      [500, 'cookie-information'],
    ]);
    expect(input.leftOut).toBe(13);
  });
});

/** Session storage and its change events, as the extension pages see them. */
function fakeBrowser(initial: Record<string, unknown>, { tabs = true } = {}) {
  const session = { ...initial };
  const listeners: ((changes: Record<string, { newValue?: unknown }>, area: string) => void)[] = [];
  const area = { get: async (keys: string | string[]) => Object.fromEntries([keys].flat().filter((k) => k in session).map((k) => [k, session[k]])) };
  return {
    browser: {
      storage: { session: area, local: { get: async () => ({}) }, onChanged: { addListener: (l: (typeof listeners)[number]) => listeners.push(l), removeListener: () => undefined } },
      ...(tabs ? { tabs: { get: async () => ({ url: SHOP }), query: async () => [] } } : {}),
    } as unknown as Parameters<typeof watchPopupTab>[0],
    set(key: string, value: unknown) {
      if (value === undefined) delete session[key];
      else session[key] = value;
      for (const listener of listeners) listener({ [key]: { newValue: value } }, 'session');
    },
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(check()).toBe(true);
};

describe('reading a tab for the panel', () => {
  it('takes only the latest of a burst of changes when it asks to be scheduled', async () => {
    const first = tab();
    const fake = fakeBrowser({ [tabStateKey(7)]: storedTabState(first) });
    const frames: (() => void)[] = [];
    const watched = watchPopupTab(fake.browser, 7, { schedule: (work) => frames.push(work) });
    await until(() => watched.tab.value.status === 'ready');
    let renders = 0;
    const stop = watched.tab.subscribe(() => renders++);
    renders = 0;
    for (let n = 1; n <= 50; n++) fake.set(tabStateKey(7), storedTabState({ ...first, requestsLeftOut: n }));
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(renders).toBe(1);
    expect(watched.tab.value).toMatchObject({ status: 'ready', state: { requestsLeftOut: 50 } });
    stop();
  });

  it('works without the tabs API (Firefox’s DevTools pages), and says when the visit has ended', async () => {
    const fake = fakeBrowser({ [tabStateKey(7)]: storedTabState(tab()) }, { tabs: false });
    const watched = watchPopupTab(fake.browser, 7);
    await until(() => watched.tab.value.status === 'ready');
    fake.set(tabStateKey(7), undefined);
    await until(() => watched.tab.value.status === 'not-shop');
    // A state that does not parse is not shown.
    fake.set(tabStateKey(7), JSON.stringify({ ...tab(), requests: 'many' }));
    // Nor one that is not the stored text.
    fake.set(tabStateKey(7), tab());
    expect(watched.tab.value.status).toBe('not-shop');
    expect(watched.tab.value.status).toBe('not-shop');
    fake.set(tabStateKey(7), storedTabState(tab()));
    expect(watched.tab.value.status).toBe('ready');
  });

  it('keeps a change heard while its first read is in flight over that read’s older answer', async () => {
    const fake = fakeBrowser({ [tabStateKey(7)]: storedTabState(tab()) });
    const session = fake.browser.storage.session as unknown as { get(keys: string[]): Promise<Record<string, unknown>> };
    const read = session.get.bind(session);
    // The first read is answered with the storage as it was when asked, but only after a change came.
    let answer: (() => void) | undefined;
    session.get = (keys) => {
      const asked = read(keys);
      return new Promise((resolve) => (answer = () => resolve(asked)));
    };
    const watched = watchPopupTab(fake.browser, 7);
    await until(() => answer !== undefined);
    fake.set(tabStateKey(7), storedTabState({ ...tab(), requestsLeftOut: 9 }));
    answer!();
    // The answer is handled in microtasks, all of which run before the next task.
    await new Promise((r) => setTimeout(r, 0));
    expect(watched.tab.value).toMatchObject({ status: 'ready', state: { requestsLeftOut: 9 } });
  });

  it('tells “reload” from “not the shop” when a visit ends on a shop tab', async () => {
    const fake = fakeBrowser({ [tabStateKey(7)]: storedTabState(tab()) });
    const watched = watchPopupTab(fake.browser, 7);
    await until(() => watched.tab.value.status === 'ready');
    fake.set(tabStateKey(7), undefined);
    await until(() => watched.tab.value.status === 'no-state');
  });
});
