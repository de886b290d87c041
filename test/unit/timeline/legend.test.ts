import { describe, expect, it } from 'vitest';
import { VERDICTS } from '@/lib/consent/judge';
import { VERDICT_KEYS } from '@/lib/i18n/words';
import { VERDICT_SHAPES, legendItems, markClass, markPath } from '@/lib/timeline';

describe('the timeline legend', () => {
  const items = legendItems();

  it('names every verdict in order, then the unjudged bar, the struck mark and the consent line', () => {
    expect(items.map((item) => item.label)).toEqual([...VERDICTS.map((v) => VERDICT_KEYS[v].label), 'timelineNotJudged', 'timelineStoppedLegend', 'timelineConsentLine']);
  });

  it("draws each verdict's glyph with the shape and class its marks have on the chart", () => {
    for (const [i, verdict] of VERDICTS.entries()) {
      expect(items[i]!.glyphs).toEqual([{ tag: 'path', attrs: { class: markClass({ verdict, count: 1, stopped: 0 }), d: markPath(VERDICT_SHAPES[verdict], 8, 8, 5) } }]);
    }
    expect(items[VERDICTS.length]!.glyphs[0]!.attrs.class).toBe(markClass({ verdict: null, count: 1, stopped: 0 }));
  });

  it('shows a request that never arrived as the chart does: a faint mark with a stroke over it', () => {
    const stopped = items.find((item) => item.label === 'timelineStoppedLegend')!;
    expect(stopped.glyphs.map((g) => g.attrs.class)).toEqual([markClass({ verdict: 'consented', count: 1, stopped: 1 }), 'tl-strike']);
    expect(stopped.glyphs[1]!.attrs.d).toMatch(/^M[\d.]+ [\d.]+L[\d.]+ [\d.]+$/);
  });
});
