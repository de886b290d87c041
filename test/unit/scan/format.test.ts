import { describe, expect, it } from 'vitest';
import { CATALOG_VERSION } from '@/lib/catalog';
import { newTabState } from '@/lib/observe';
import { buildReport, pageReport, visitFromTab } from '@/lib/report';
import { formatScan } from '@/lib/scan/format';

const T0 = Date.parse('2026-12-04T10:00:00Z');

describe('the scan’s table of trackers', () => {
  it('says beside a tracker’s requests how many never arrived, and nothing where all did', () => {
    const state = newTabState(1, 'v1', 'https://www.mijnliefsteboek.nl/', T0);
    state.entries['meta-pixel'] = { requests: 3, cookiesSet: [], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 1 };
    state.entries['google-analytics'] = { requests: 2, cookiesSet: [], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
    state.requests = [
      { entryId: 'meta-pixel', at: T0 + 1, consentMode: null, personalData: [], kind: 'hit' },
      { entryId: 'google-analytics', at: T0 + 2, consentMode: null, personalData: [], kind: 'hit' },
    ];
    const report = buildReport([pageReport(visitFromTab(state), null)], { name: 'scan', version: '1' }, { catalogVersion: CATALOG_VERSION, now: T0 });
    const lines = formatScan(report, { demo: false, skipped: [] }).split('\n');
    expect(lines.find((line) => line.includes('Meta Pixel'))).toContain(' 3 (1 never arrived) ');
    expect(lines.find((line) => line.includes('Google Analytics'))).not.toContain('never arrived');
  });
});
