import { VERDICTS } from '../consent/judge';
import type { MessageKey } from '../i18n';
import { VERDICT_KEYS } from '../i18n/words';
import { VERDICT_SHAPES, markPath, strikePath } from './layout';
import { MARK_TONES, UNJUDGED_TONE } from './style';

/** One drawn element of a legend item's 16×16 glyph: its SVG tag and attributes. */
export interface LegendGlyph {
  tag: 'path' | 'line';
  attrs: Record<string, string | number>;
}

/** One entry of the timeline's legend: the words that say it and the small glyph that only repeats them. */
export interface LegendItem {
  label: MessageKey;
  glyphs: LegendGlyph[];
}

const mark = (tone: string, d: string): LegendGlyph => ({ tag: 'path', attrs: { class: `tl-mark tl-mark--${tone}`, d } });

/**
 * What each shape, colour, stroke and line on the chart means, in the order the legend lists them.
 * The pages (components/TimelineChart) and the HTML report (lib/report/html) both draw this list, so
 * the two legends cannot drift apart.
 */
export function legendItems(): LegendItem[] {
  return [
    ...VERDICTS.map((verdict) => ({ label: VERDICT_KEYS[verdict].label, glyphs: [mark(MARK_TONES[verdict], markPath(VERDICT_SHAPES[verdict], 8, 8, 5))] })),
    { label: 'timelineNotJudged', glyphs: [mark(UNJUDGED_TONE, markPath('bar', 8, 8, 5))] },
    {
      label: 'timelineStoppedLegend',
      glyphs: [mark(`${MARK_TONES.consented} tl-mark--faint`, markPath('circle', 8, 8, 5)), { tag: 'path', attrs: { class: 'tl-strike', d: strikePath(8, 8, 5) } }],
    },
    { label: 'timelineConsentLine', glyphs: [{ tag: 'line', attrs: { class: 'tl-line', x1: 8, x2: 8, y1: 1, y2: 15 } }] },
  ];
}
