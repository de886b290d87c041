import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getEntry, type EntryId } from '@/lib/catalog';
import { VERDICTS, type Verdict } from '@/lib/consent/judge';
import { createTranslator } from '@/lib/i18n';
import type { PageReport } from '@/lib/report';
import {
  CHAR_PX,
  MERGE_PX,
  VERDICT_SHAPES,
  axisScale,
  fitText,
  layoutTimeline,
  markClass,
  markPath,
  neighbour,
  strikePath,
  timelineInTimeOrder,
  timelineOfPage,
  timelineText,
  type TimelineConsent,
  type TimelineInput,
  type TimelineRequest,
} from '@/lib/timeline';

const words = {
  rowLabel: (id: EntryId | null) => (id ? getEntry(id).product.split(' (')[0]! : 'Not named in the policy'),
  consentLabel: (c: TimelineConsent) => (c.signal ? `Consent Mode (${c.signal})` : 'Cookie Information'),
};
const req = (at: number, entryId: EntryId | null, verdict: Verdict | null, url = 'https://www.facebook.com/tr/'): TimelineRequest => ({ at, entryId, verdict, url });
const refusal = (at: number, extra: Partial<TimelineConsent> = {}): TimelineConsent => ({ at, source: 'cookie-information', granted: ['necessary'], denied: ['statistics', 'marketing'], carriedOver: false, ...extra });
const input = (requests: TimelineRequest[], consent: TimelineConsent[] = []): TimelineInput => ({ requests, consent, leftOut: 0 });

describe('timeline layout', () => {
  it('draws three requests: one row per tracker in the catalog’s order, unnamed hosts last, time to the right', () => {
    const layout = layoutTimeline(input([req(900, 'meta-pixel', 'against-choice'), req(10, null, null, 'https://static.hotjar.com/c.js'), req(5, 'aws', 'necessary')], [refusal(500)]), { width: 800, ...words });
    expect(layout.rows.map((r) => r.entryId)).toEqual(['aws', 'meta-pixel', null]);
    expect(layout.rows.map((r) => r.label)).toEqual(['Amazon Web Services', 'Meta Pixel', 'Not named in the policy']);
    expect(layout.marks.map((m) => [m.first.entryId, m.shape])).toEqual([
      ['aws', 'square'],
      ['meta-pixel', 'cross'],
      [null, 'bar'],
    ]);
    const [aws, meta] = layout.marks;
    expect(aws!.x).toBeLessThan(layout.lines[0]!.x);
    // Meta fired after the refusal: its mark lies right of the refusal's line.
    expect(meta!.x).toBeGreaterThan(layout.lines[0]!.x);
    expect(layout.end).toBe(1_000);
    expect(layout.ticks.map((t) => t.ms)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000].filter((ms) => ms % (layout.ticks[1]!.ms) === 0));
    expect(layout.ticks[0]!.x).toBe(layout.plot.left);
    expect(layout.ticks.at(-1)!.x).toBe(layout.plot.right);
    expect(layout.height).toBe(layout.plot.bottom + 34);
  });

  it('gives each verdict its own shape', () => {
    expect(new Set(Object.values(VERDICT_SHAPES)).size).toBe(VERDICTS.length);
    const paths = Object.values(VERDICT_SHAPES).map((shape) => markPath(shape, 50, 50, 5));
    expect(new Set(paths).size).toBe(5); // the ring is the circle's outline, drawn hollow
    for (const shape of [...Object.values(VERDICT_SHAPES), 'bar' as const]) {
      const numbers = markPath(shape, 50, 50, 5).match(/-?\d+(\.\d+)?/g)!.map(Number);
      for (const n of numbers) expect(n === 0 || n === 1 || n === 5 || (n >= 43 && n <= 57), `${shape}: ${n}`).toBe(true);
    }
  });

  it('merges requests that would overlap into one mark that counts them: 3,000 requests, a few hundred marks', () => {
    const requests = Array.from({ length: 3_000 }, (_, i) => req(i * 7, (['meta-pixel', 'google-analytics', 'aws'] as const)[i % 3]!, i % 3 === 2 ? 'necessary' : i * 7 < 4_000 ? 'before-choice' : 'against-choice'));
    const layout = layoutTimeline(input(requests, [refusal(4_000)]), { width: 900, ...words });
    expect(layout.marks.reduce((sum, m) => sum + m.count, 0)).toBe(3_000);
    const plotWidth = layout.plot.right - layout.plot.left;
    expect(layout.marks.length).toBeLessThanOrEqual(3 * 2 * (Math.ceil(plotWidth / MERGE_PX) + 1));
    expect(layout.marks.length).toBeGreaterThan(100);
    // Within a row and verdict, marks are at least a mark apart or they would have merged.
    for (const [a, b] of layout.marks.slice(1).map((m, i) => [layout.marks[i]!, m] as const)) {
      if (a.row === b.row && a.verdict === b.verdict) expect(b.x - a.x).toBeGreaterThan(0);
    }
    // A merged mark says when its requests were.
    const merged = layout.marks.find((m) => m.count > 1)!;
    expect(merged.to).toBeGreaterThan(merged.from);
    expect(merged.r).toBeGreaterThan(5);
  });

  it('stacks consent labels that would touch, anchors one at the right edge to its end, and drops those with no room', () => {
    const consent = [refusal(100), refusal(120, { source: 'consent-mode', signal: 'update' }), refusal(130, { source: 'consent-mode', signal: 'default' }), refusal(140), refusal(9_990)];
    const layout = layoutTimeline(input([req(10_000, 'meta-pixel', 'against-choice')], consent), { width: 700, ...words });
    expect(layout.lines.map((l) => l.lane)).toEqual([0, 1, 2, null, 0]);
    expect(layout.lines.at(-1)!.anchor).toBe('end');
    expect(layout.plot.top).toBe(3 * 16 + 8);
  });

  it('puts a choice made before this page at the start of the axis', () => {
    const layout = layoutTimeline(input([req(300, 'meta-pixel', 'consented')], [refusal(-86_400_000, { carriedOver: true, granted: ['marketing'] })]), { width: 600, ...words });
    expect(layout.lines[0]!.x).toBe(layout.plot.left);
    expect(layout.end).toBe(1_000);
  });

  it('fits labels without measuring text', () => {
    expect(fitText('Meta Pixel', 200)).toBe('Meta Pixel');
    const cut = fitText('Microsoft Advertising (Universal Event Tracking)', 120);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length * CHAR_PX).toBeLessThanOrEqual(120);
  });

  it.each([
    [300, 800, 1_000, 100],
    [4_200, 800, 4_500, 500],
    [61_000, 600, 70_000, 10_000],
    [0, 300, 1_000, 250],
  ])('scales an axis for a last moment of %i ms over %i px to %i ms in steps of %i', (last, px, end, step) => {
    expect(axisScale(last, px)).toEqual({ end, step });
  });

  it('moves the keyboard focus within a row, to the nearest mark of the next row, and to a row’s ends', () => {
    const layout = layoutTimeline(input([req(0, 'aws', 'necessary'), req(500, 'aws', 'necessary'), req(990, 'aws', 'necessary'), req(480, 'meta-pixel', 'before-choice'), req(900, null, null)]), { width: 800, ...words });
    const at = (row: number, n: number) => layout.marks.filter((m) => m.row === row)[n]!.index;
    expect(neighbour(layout, at(0, 0), 'right')).toBe(at(0, 1));
    expect(neighbour(layout, at(0, 2), 'right')).toBe(at(0, 2));
    expect(neighbour(layout, at(0, 0), 'left')).toBe(at(0, 0));
    expect(neighbour(layout, at(0, 1), 'down')).toBe(at(1, 0));
    expect(neighbour(layout, at(1, 0), 'down')).toBe(at(2, 0));
    expect(neighbour(layout, at(2, 0), 'up')).toBe(at(1, 0));
    expect(neighbour(layout, at(1, 0), 'up')).toBe(at(0, 1));
    expect(neighbour(layout, at(0, 0), 'end')).toBe(at(0, 2));
    expect(neighbour(layout, at(0, 2), 'home')).toBe(at(0, 0));
    expect(neighbour({ marks: [] }, 0, 'right')).toBe(-1);
  });

  it('lists the chart in time order for its table: a consent change before a request at the same moment', () => {
    const layout = layoutTimeline(input([req(500, 'meta-pixel', 'against-choice'), req(20, 'aws', 'necessary')], [refusal(500)]), { width: 800, ...words });
    expect(timelineInTimeOrder(layout).map((e) => (e.type === 'consent' ? 'consent' : e.mark.first.entryId))).toEqual(['aws', 'consent', 'meta-pixel']);
  });

  it('counts the requests that never arrived in their mark: struck through, faint when none arrived, and said in words', () => {
    const stopped = (at: number): TimelineRequest => ({ ...req(at, 'meta-pixel', 'against-choice'), stopped: true });
    const layout = layoutTimeline(input([stopped(100), req(101, 'meta-pixel', 'against-choice'), stopped(900), req(905, 'aws', 'necessary')]), { width: 800, ...words });
    const [together, alone] = layout.marks.filter((m) => m.first.entryId === 'meta-pixel');
    expect([together!.count, together!.stopped, alone!.count, alone!.stopped]).toEqual([2, 1, 1, 1]);
    expect(layout.marks.find((m) => m.first.entryId === 'aws')!.stopped).toBe(0);
    // Only a mark none of whose requests arrived is faint; the stroke marks both.
    expect(markClass(together!)).toBe('tl-mark tl-mark--violation');
    expect(markClass(alone!)).toBe('tl-mark tl-mark--violation tl-mark--faint');
    expect(strikePath(50, 50, 4)).toBe('M44.2 55.8L55.8 44.2');
    const en = timelineText(createTranslator('en'));
    expect(en.mark(alone!)).toBe('0.9 s: Meta Pixel, Against your choice. 1 request never arrived. https://www.facebook.com/tr/');
    expect(en.mark({ ...alone!, stopped: 0 })).toBe('0.9 s: Meta Pixel, Against your choice. https://www.facebook.com/tr/');
    expect(en.count(together!)).toBe('2 (1 never arrived)');
    const nl = timelineText(createTranslator('nl'));
    expect(nl.mark({ ...together!, count: 5, stopped: 3 })).toBe('5 verzoeken van 0,1 s tot 0,1 s: Meta Pixel, Tegen je keuze. 3 verzoeken kwamen niet aan. Het eerste: https://www.facebook.com/tr/');
    expect(nl.count({ ...together!, count: 1500, stopped: 1200 })).toBe('1.500 (1.200 niet aangekomen)');
  });

  it('keeps every mark inside the plot and counts every request, whatever the input (fuzzed)', () => {
    const request = fc.record({
      at: fc.oneof(fc.integer({ min: -5_000, max: 3_600_000 }), fc.constant(0)),
      entryId: fc.constantFrom<EntryId | null>('aws', 'meta-pixel', 'google-ads', null),
      verdict: fc.constantFrom<Verdict | null>(...VERDICTS, null),
      url: fc.string(),
      stopped: fc.option(fc.constant(true as const), { nil: undefined }),
    });
    const change = fc.record({ at: fc.integer({ min: -1e9, max: 3_600_000 }), source: fc.constant('cookie-information' as const), granted: fc.constant([]), denied: fc.constant([]), carriedOver: fc.boolean() });
    fc.assert(
      fc.property(fc.array(request, { maxLength: 400 }), fc.array(change, { maxLength: 8 }), fc.integer({ min: 0, max: 2_000 }), (requests, consent, width) => {
        const layout = layoutTimeline({ requests, consent, leftOut: 0 }, { width, ...words });
        expect(layout.marks.reduce((sum, m) => sum + m.count, 0)).toBe(requests.length);
        expect(layout.marks.reduce((sum, m) => sum + m.stopped, 0)).toBe(requests.filter((r) => r.stopped).length);
        for (const m of layout.marks) expect(m.stopped).toBeLessThanOrEqual(m.count);
        for (const m of layout.marks) {
          expect(m.x).toBeGreaterThanOrEqual(layout.plot.left);
          expect(m.x).toBeLessThanOrEqual(layout.plot.right);
          expect(m.y).toBeGreaterThan(layout.plot.top);
          expect(m.y).toBeLessThan(layout.plot.bottom);
        }
        for (const l of layout.lines) expect(Number.isFinite(l.x)).toBe(true);
        expect(layout.width).toBeGreaterThanOrEqual(320);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a report page on the timeline', () => {
  const page: PageReport = {
    url: 'https://www.mijnliefsteboek.nl/',
    visitedAt: '2026-11-25T10:00:00.000Z',
    consent: { source: 'cookie-information', decidedAt: '2026-11-25T10:00:00.500Z', granted: ['necessary'], denied: ['marketing'] },
    trackers: [],
    unlisted: [],
    findings: [],
    promises: [],
    observations: [{ at: '2026-11-25T10:00:00.900Z', trackerId: 'meta-pixel', host: 'www.facebook.com', url: 'https://www.facebook.com/tr/?[removed]', type: 'image', method: 'GET', status: 200, verdict: 'against-choice', kind: 'hit' }],
    observationsLeftOut: 4,
  };

  it('places requests and the choice on the page’s clock; an older report’s only choice is its final one', () => {
    expect(timelineOfPage(page)).toEqual({
      requests: [{ at: 900, entryId: 'meta-pixel', verdict: 'against-choice', url: 'https://www.facebook.com/tr/?[removed]', kind: 'hit' }],
      consent: [{ at: 500, source: 'cookie-information', granted: ['necessary'], denied: ['marketing'], carriedOver: false }],
      leftOut: 4,
    });
    expect(timelineOfPage({ ...page, consent: { ...page.consent, source: 'none', decidedAt: null } }).consent).toEqual([]);
    const [observation] = page.observations!;
    expect(timelineOfPage({ ...page, observations: [{ ...observation!, stopped: true }] }).requests[0]!.stopped).toBe(true);
  });

  it('prefers the consent changes the report or the log kept', () => {
    const kept = { ...page, consentChanges: [{ at: '2026-11-25T10:00:00.100Z', source: 'consent-mode' as const, signal: 'default' as const, granted: [], denied: ['marketing' as const], carriedOver: false }] };
    expect(timelineOfPage(kept).consent).toEqual([{ at: 100, source: 'consent-mode', signal: 'default', granted: [], denied: ['marketing'], carriedOver: false }]);
    const logged = [{ at: Date.parse(page.visitedAt) + 700, receivedAt: 0, source: 'cookie-information' as const, granted: [], denied: [], carriedOver: false }];
    expect(timelineOfPage(kept, logged).consent.map((c) => c.at)).toEqual([700]);
  });
});
