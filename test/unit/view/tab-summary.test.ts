import { describe, expect, it } from 'vitest';
import { newTabState } from '@/lib/observe';
import { summariseTab } from '@/lib/view/tab-summary';

describe('tab summary', () => {
  const state = newTabState(1, 'v', 'https://www.mijnliefsteboek.nl/', 1);
  state.entries['google-analytics'] = { requests: 2, cookiesSet: ['_ga'], cookiesPresent: ['_ga', '_gid'], firstAt: 1, via: [], relays: [], stopped: 0 };
  state.entries['google-tag-manager'] = { requests: 1, cookiesSet: [], cookiesPresent: [], firstAt: 1, via: [], relays: [], stopped: 0 };
  state.entries['meta-pixel'] = { requests: 0, cookiesSet: [], cookiesPresent: ['_fbp'], firstAt: 1, via: [], relays: [], stopped: 0 };
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

  it('lists the policy’s promises in its order, the English rendering for an English reader, and links to what the evidence names', () => {
    const broken = newTabState(2, 'w', 'https://www.mijnliefsteboek.nl/', 1);
    broken.entries['meta-pixel'] = { requests: 1, cookiesSet: [], cookiesPresent: [], firstAt: 1, via: [], relays: [], stopped: 0 };
    broken.requests = [{ entryId: 'meta-pixel', at: 5, consentMode: null, personalData: [], kind: 'hit', event: 'PageView' }];
    broken.banner = { cmp: 'cookie-information', showing: true, seenAt: 2 };
    broken.unlisted = { 'static.hotjar.com': 1 };
    const dutch = summariseTab(broken, 'nl', null, { rights: [], now: 10 });
    expect(dutch.promises.map((p) => [p.id, p.status])).toEqual([
      ['ga-anonymised', 'unknown'],
      ['meta-unfinished-purchase-only', 'broken'],
      ['trustpilot-only-with-permission', 'unknown'],
      ['no-sharing-without-consent', 'broken'],
      ['encrypted', 'unknown'],
      ['aws-in-the-eu', 'unknown'],
      ['named-processors-only', 'broken'],
      ['answer-within-a-month', 'unknown'],
    ]);
    const sharing = dutch.promises.find((p) => p.id === 'no-sharing-without-consent')!;
    expect(sharing).toMatchObject({ title: 'Niets doorgeven zonder toestemming', rendering: null, links: ['meta-pixel'] });
    expect(dutch.promises.find((p) => p.id === 'named-processors-only')!.links).toBe('unlisted');
    expect(summariseTab(broken, 'en').promises[3]).toMatchObject({ title: 'Nothing passed on without consent', rendering: 'We do not pass on your personal data without your consent.' });
  });
});
