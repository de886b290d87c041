import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENTRY_IDS } from '@/lib/catalog/vocabulary';
import { foldLeftOut, leftOutCount, LeftOutGroups, MAX_LEFT_OUT_GROUPS, MAX_STORED_GROUPS, MAX_CARRIED, type LeftOutGroup, type LeftOutRequest } from '@/lib/promises';

const hit = (extra: Partial<LeftOutRequest> = {}): LeftOutRequest => ({ entryId: 'google-analytics', kind: 'hit', personalData: [], ...extra });

describe('the requests a tab let go of, counted for the promises', () => {
  it('counts alike requests in one group, whatever order their parameters came in', () => {
    const groups: LeftOutGroup[] = [];
    foldLeftOut(groups, hit({ carried: ['cid', 'uid'] }));
    foldLeftOut(groups, hit({ carried: ['uid', 'cid'] }));
    foldLeftOut(groups, hit());
    foldLeftOut(groups, hit({ personalData: [{ kind: 'email', where: 'em' }] }));
    foldLeftOut(groups, { entryId: 'meta-pixel', kind: 'hit', event: 'AddToCart', personalData: [] });
    foldLeftOut(groups, { entryId: 'meta-pixel', kind: 'hit', event: 'AddToCart', personalData: [] });
    // One a blocker stopped is never received: a group of its own.
    foldLeftOut(groups, { entryId: 'meta-pixel', kind: 'hit', event: 'AddToCart', personalData: [], stopped: true });
    expect(groups).toEqual([
      { entryId: 'google-analytics', kind: 'hit', carried: ['cid', 'uid'], personalData: [], count: 2 },
      { entryId: 'google-analytics', kind: 'hit', personalData: [], count: 1 },
      { entryId: 'google-analytics', kind: 'hit', personalData: [{ kind: 'email', where: 'em' }], count: 1 },
      { entryId: 'meta-pixel', kind: 'hit', event: 'AddToCart', personalData: [], count: 2 },
      { entryId: 'meta-pixel', kind: 'hit', event: 'AddToCart', personalData: [], stopped: true, count: 1 },
    ]);
  });

  it('past its bound, keeps every parameter a request carried in a group of its tracker, kind and event', () => {
    const groups: LeftOutGroup[] = [];
    for (let n = 0; n < MAX_LEFT_OUT_GROUPS; n++) foldLeftOut(groups, hit({ carried: [`p${n}`] }));
    foldLeftOut(groups, hit({ carried: ['cid'] }));
    expect(groups).toHaveLength(MAX_LEFT_OUT_GROUPS);
    expect(groups.some((g) => g.carried?.includes('cid'))).toBe(true);
    // A new event past the bound still gets its own group: an event is what the Meta promise is judged by.
    foldLeftOut(groups, { entryId: 'meta-pixel', kind: 'hit', event: 'Purchase', personalData: [] });
    expect(groups.at(-1)).toMatchObject({ entryId: 'meta-pixel', event: 'Purchase', count: 1 });
  });

  it('stays within what a saved state holds, and counts every request exactly, whatever a page sends', () => {
    const request = fc.record({
      entryId: fc.constantFrom(...ENTRY_IDS),
      kind: fc.option(fc.constantFrom('hit', 'script', 'other' as const), { nil: undefined }),
      carried: fc.option(fc.uniqueArray(fc.constantFrom('cid', 'uid', 'em', 'ud[em]', 'referenceId', 'email', 'x', 'y'), { maxLength: MAX_CARRIED }), { nil: undefined }),
      event: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }),
      personalData: fc.uniqueArray(fc.record({ kind: fc.constantFrom('email', 'phone' as const), where: fc.constantFrom('em', 'ph', 'body') }), { maxLength: 3, selector: (h) => `${h.kind}|${h.where}` }),
      stopped: fc.option(fc.constant(true as const), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(request, { maxLength: 600 }), (requests) => {
        const groups: LeftOutGroup[] = [];
        for (const r of requests) foldLeftOut(groups, r);
        expect(leftOutCount(groups)).toBe(requests.length);
        expect(LeftOutGroups.safeParse(JSON.parse(JSON.stringify(groups))).success).toBe(true);
        // Requests received and stopped are never counted as each other, below the hard bound (past it,
        // a request joins any group of its tracker when none of its own kind is left).
        if (groups.length < MAX_STORED_GROUPS) for (const stopped of [true, undefined]) expect(groups.filter((g) => g.stopped === stopped).reduce((n, g) => n + g.count, 0)).toBe(requests.filter((r) => r.stopped === stopped).length);
        // Never an event its tracker did not report, never a parameter its tracker's requests did not carry.
        for (const g of groups) {
          const own = requests.filter((r) => r.entryId === g.entryId);
          if (g.event !== undefined) expect(own.some((r) => r.event === g.event)).toBe(true);
          for (const name of g.carried ?? []) expect(own.some((r) => (r.carried as string[] | undefined)?.includes(name))).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});
