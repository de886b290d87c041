import { describe, expect, it } from 'vitest';
import { newTabState } from '@/lib/observe';
import { summariseTab } from '@/lib/view/tab-summary';

describe('tab summary', () => {
  const state = newTabState(1, 'v', 'https://www.mijnliefsteboek.nl/', 1);
  state.entries['google-analytics'] = { requests: 2, cookiesSet: ['_ga'], cookiesPresent: ['_ga', '_gid'], firstAt: 1, via: [], relays: [] };
  state.entries['google-tag-manager'] = { requests: 1, cookiesSet: [], cookiesPresent: [], firstAt: 1, via: [], relays: [] };
  state.entries['meta-pixel'] = { requests: 0, cookiesSet: [], cookiesPresent: ['_fbp'], firstAt: 1, via: [], relays: [] };
  state.unlisted = { 'script.hotjar.com': 1, 'static.hotjar.com': 3 };

  it('groups active entries by company in catalog order, and leaves inactive ones out', () => {
    const summary = summariseTab(state, 'nl');
    expect(summary.companies.map((c) => [c.company, c.entries.map((e) => e.id)])).toEqual([['Google Ireland Limited', ['google-tag-manager', 'google-analytics']]]);
    const ga = summary.companies[0]!.entries[1]!;
    expect(ga.cookies).toEqual([{ name: '_ga', alreadyThere: false }, { name: '_gid', alreadyThere: true }]);
    expect(ga.policySummary).toBeNull();
    expect(summary.unlisted.map((u) => [u.host, u.requests, u.platform, u.party?.company])).toEqual([
      ['static.hotjar.com', 3, null, 'Hotjar Ltd'],
      ['script.hotjar.com', 1, null, 'Hotjar Ltd'],
    ]);
  });

  it('adds the English summary of the policy sentence in English', () => {
    expect(summariseTab(state, 'en').companies[0]!.entries[1]!.policySummary).toMatch(/Google Analytics/);
  });
});
