import { describe, expect, it } from 'vitest';
import { createLeftPages, LEAVING_MS } from '@/lib/observe/left-pages';
import { newTabState } from '@/lib/observe/tab-state';
import { request } from './fakes';

const page = (tabId: number, n: number) => newTabState(tabId, `visit-${tabId}-${n}`, `https://www.mijnliefsteboek.nl/p${n}`, 1_000);
/** Firefox's shape: the page's address, no document. */
const fromPage = (tabId: number, n: number, timeStamp = 1_100) => request('https://region1.google-analytics.com/g/collect?v=2&en=scroll', { tabId, initiator: `https://www.mijnliefsteboek.nl/p${n}`, timeStamp });

describe('the pages tabs left a moment ago', () => {
  it('keeps a tab’s last four pages and twenty tabs, the newest', () => {
    let clock = 1_000;
    const left = createLeftPages(() => clock);
    for (let n = 0; n < 6; n++) left.left(page(1, n), { documentId: undefined, navigation: undefined, at: 1_000 });
    expect(left.sentBy(fromPage(1, 1), undefined)).toBeUndefined();
    expect(left.sentBy(fromPage(1, 2), undefined)?.visitId).toBe('visit-1-2');
    for (let tab = 2; tab <= 21; tab++) left.left(page(tab, 0), { documentId: undefined, navigation: undefined, at: 1_000 });
    expect(left.sentBy(fromPage(1, 5), undefined)).toBeUndefined();
    expect(left.sentBy(fromPage(21, 0), undefined)?.visitId).toBe('visit-21-0');
    clock += 10_001;
    expect(left.sentBy(fromPage(21, 0), undefined)).toBeUndefined();
  });

  it('forgets every page once the worker’s clock went back', () => {
    let clock = 50_000;
    const left = createLeftPages(() => clock);
    left.left(page(1, 0), { documentId: undefined, navigation: undefined, at: 1_000 });
    clock = 40_000;
    expect(left.sentBy(fromPage(1, 0), undefined)).toBeUndefined();
  });

  it('takes a page without a state of its document as going until its navigation arrived, and a second more', () => {
    const left = createLeftPages(() => 1_000);
    left.left(page(1, 0), { documentId: undefined, navigation: 'n1', at: 1_000 });
    expect(left.sentBy(fromPage(1, 0, 60_000), undefined)?.visitId).toBe('visit-1-0');
    left.arrived('n1', 2_000);
    expect(left.sentBy(fromPage(1, 0, 2_000 + LEAVING_MS), undefined)?.visitId).toBe('visit-1-0');
    expect(left.sentBy(fromPage(1, 0, 2_001 + LEAVING_MS), undefined)).toBeUndefined();
    // Closed while it was still going: its last hits are a closed page's.
    expect(left.closed(1, 2_500)?.visitId).toBe('visit-1-0');
    expect(left.sentBy(fromPage(1, 0, 2_500), undefined)).toBeUndefined();
  });
});
