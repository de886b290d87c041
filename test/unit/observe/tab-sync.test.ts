import { describe, expect, it, vi } from 'vitest';
import { NO_STANCE } from '@/lib/consent/stance';
import { createTranslator } from '@/lib/i18n';
import { newTabState } from '@/lib/observe';
import { createTabSync } from '@/lib/observe/tab-sync';

const T0 = Date.parse('2026-12-01T10:00:00Z');

function syncWithFakeAction({ strings }: { strings?: Promise<unknown> } = {}) {
  const call = () => vi.fn(async (_details: { tabId?: number; text?: string | null; title?: string }) => undefined);
  const action = { setBadgeText: call(), setBadgeBackgroundColor: call(), setTitle: call() };
  const browser = { action } as unknown as Parameters<typeof createTabSync>[0]['browser'];
  const put = vi.fn();
  const sync = createTabSync({ browser, writer: { put }, t: createTranslator('nl'), stance: () => NO_STANCE, now: () => T0, strings });
  const texts = () => action.setBadgeText.mock.calls.map(([details]) => details.text);
  return { sync, action, texts, put };
}

function stateWith(trackers: number) {
  const state = newTabState(7, 'v1', 'https://www.mijnliefsteboek.nl/', T0);
  for (const id of ['aws', 'google-tag-manager', 'google-analytics'].slice(0, trackers)) {
    state.entries[id as 'aws'] = { requests: 1, cookiesSet: [], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
  }
  return state;
}

describe("a tab's badge", () => {
  it('is drawn when it changes, not on every change of the state behind it', async () => {
    const { sync, action, texts } = syncWithFakeAction();
    await sync.onChange(7, stateWith(1));
    await sync.onChange(7, stateWith(1));
    await sync.onChange(7, stateWith(1));
    expect(texts()).toEqual(['1']);
    expect(action.setTitle).toHaveBeenCalledTimes(1);
    await sync.onChange(7, stateWith(2));
    expect(texts()).toEqual(['1', '2']);
    // A new count is a new text and title; the colour stays, and is not drawn again.
    expect(action.setTitle).toHaveBeenCalledTimes(2);
    expect(action.setBadgeBackgroundColor).toHaveBeenCalledTimes(1);
  });

  it('is drawn again when asked, whatever was drawn before (Chromium clears it when a page commits)', async () => {
    const { sync, action, texts } = syncWithFakeAction();
    await sync.onChange(7, stateWith(2));
    await sync.redrawBadge(7, stateWith(2));
    await sync.redrawBadge(7, stateWith(2));
    expect(texts()).toEqual(['2', '2', '2']);
    expect(action.setBadgeBackgroundColor).toHaveBeenCalledTimes(3);
    expect(action.setTitle).toHaveBeenCalledTimes(3);
  });

  it('gives the tab back the badge every tab shares when its visit ends, and is drawn afresh for the next page', async () => {
    const { sync, texts } = syncWithFakeAction();
    await sync.onChange(7, stateWith(1));
    await sync.onChange(7, undefined);
    await sync.onChange(7, stateWith(1));
    // null: the tab's own text is cleared and the shared one (the deadline check's "!") shows.
    expect(texts()).toEqual(['1', null, '1']);
  });

  it('leaves a tab without a visit alone, so the shared "!" of a late rights request stays visible', async () => {
    const { sync, action } = syncWithFakeAction();
    await sync.redrawBadge(9, undefined);
    await sync.onChange(9, undefined);
    expect(action.setBadgeText).not.toHaveBeenCalled();
    expect(action.setTitle).not.toHaveBeenCalled();
  });

  it('does not throw into the tab store when the browser refuses a call', async () => {
    const { sync, action } = syncWithFakeAction();
    action.setTitle.mockImplementation(() => {
      throw new Error('No tab with id: 7.');
    });
    await expect(sync.onChange(7, stateWith(1))).resolves.toBeDefined();
    expect(action.setBadgeText).toHaveBeenCalledTimes(1);
  });

  it("is each tab's own", async () => {
    const { sync, texts } = syncWithFakeAction();
    await sync.onChange(7, stateWith(1));
    await sync.onChange(8, { ...stateWith(1), tabId: 8 });
    expect(texts()).toEqual(['1', '1']);
  });

  it("waits for the strings its title is written in, while the visit's row does not", async () => {
    let stringsArrive!: () => void;
    const strings = new Promise<void>((resolve) => (stringsArrive = resolve));
    const { sync, action, texts, put } = syncWithFakeAction({ strings });
    const first = sync.onChange(7, stateWith(1));
    const second = sync.onChange(7, stateWith(2));
    // A woken worker handles its first events before its strings are read: the log has them at once.
    expect(put).toHaveBeenCalledWith('visits', expect.objectContaining({ tabId: 7 }));
    await Promise.resolve();
    expect(action.setBadgeText).not.toHaveBeenCalled();
    stringsArrive();
    await Promise.all([first, second]);
    // In the order they were asked for, so the last state is the one shown, with a title in words.
    expect(texts()).toEqual(['1', '2']);
    expect(action.setTitle.mock.calls.at(-1)?.[0].title).not.toMatch(/^badgeTitle/);
    await sync.onChange(7, stateWith(3));
    expect(texts()).toEqual(['1', '2', '3']);
  });
});


describe('a closed tab’s visit', () => {
  it('is judged and written again when its page’s last hits change it, only where it changed, with no badge for the gone tab', async () => {
    const { sync, action, put } = syncWithFakeAction();
    await sync.onChange(7, stateWith(1));
    await sync.onChange(7, undefined);
    put.mockClear();
    action.setBadgeText.mockClear();
    // Its row was written with the tab, from a state that its last changes and GA4's user_engagement,
    // sent as the page closed, came after.
    const closed = stateWith(3);
    closed.requests.push({ entryId: 'google-analytics', at: T0 + 5_000, consentMode: null, personalData: [], url: 'https://region1.google-analytics.com/g/collect', kind: 'hit', type: 'xmlhttprequest', method: 'POST' });
    sync.closedVisitChanged(closed);
    expect(put).toHaveBeenCalledWith('visits', expect.objectContaining({ id: 'v1', summary: expect.objectContaining({ trackers: { 'google-analytics': expect.any(String) } }) }));
    // Unchanged, not written again; changed, written again.
    sync.closedVisitChanged(closed);
    const visitsWritten = () => put.mock.calls.filter(([table]) => table === 'visits').length;
    expect(visitsWritten()).toBe(1);
    closed.requests.push({ ...closed.requests[0]!, at: T0 + 5_100 });
    sync.closedVisitChanged(closed);
    expect(visitsWritten()).toBe(2);
    expect(action.setBadgeText).not.toHaveBeenCalled();
  });

  it('is not written again as its tab closes when nothing changed since its row was written', async () => {
    const { sync, put } = syncWithFakeAction();
    const state = stateWith(2);
    await sync.onChange(7, state);
    put.mockClear();
    // The observer tells of the close before the store does.
    sync.closedVisitChanged(state);
    expect(put).not.toHaveBeenCalled();
    await sync.onChange(7, undefined);
    expect(put).not.toHaveBeenCalled();
  });
});
