import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { consentText } from '@/lib/i18n/words';
import {
  TIMELINE_CSS,
  layoutTimeline,
  legendItems,
  markClass,
  markPath,
  neighbour,
  strikePath,
  timelineInTimeOrder,
  timelineText,
  type MarkStep,
  type TimelineInput,
  type TimelineLayout,
} from '@/lib/timeline';
import { useTranslator } from './i18n';

const STEPS: Record<string, MarkStep> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down', Home: 'home', End: 'end' };
const r1 = (value: number) => Number(value.toFixed(1));

/**
 * The timeline of one page as accessible SVG (the geometry is lib/timeline's): hovering or focusing a
 * mark shows its request, the marks are one tab stop with the arrow keys between them, and a table
 * says the same in text. `id` keeps the ids of two charts on one page apart.
 */
export function TimelineChart({ input, id }: { input: TimelineInput; id: string }) {
  const translator = useTranslator();
  const { t, plural } = translator;
  const text = useMemo(() => timelineText(translator), [translator]);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(760);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    // Laid out at the width it is shown at, so its text stays at the page's size.
    const measure = () => element.clientWidth > 0 && setWidth(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const layout = useMemo(() => layoutTimeline(input, { width, rowLabel: text.rowLabel, consentLabel: text.consentLabel }), [input, width, text]);
  const [active, setActive] = useState(0);
  const [focused, setFocused] = useState(false);
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const current = Math.min(active, Math.max(0, layout.marks.length - 1));

  if (input.requests.length === 0) {
    return (
      <div class="tl" ref={box} data-timeline={id}>
        <p class="tl-note" data-timeline-empty>
          {t('timelineEmpty')}
        </p>
      </div>
    );
  }

  const scale = () => (box.current?.querySelector('svg')?.clientWidth ?? layout.width) / layout.width;
  const showMark = (index: number) => {
    const mark = layout.marks[index];
    if (mark) setTip({ x: mark.x * scale(), y: (mark.y - mark.r - 6) * scale(), text: text.mark(mark) });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') return setTip(null);
    const step = STEPS[event.key];
    if (!step) return;
    event.preventDefault();
    const next = neighbour(layout, current, step);
    setActive(next);
    showMark(next);
    box.current?.querySelector<SVGElement>(`[data-mark="${next}"]`)?.focus();
  };
  const { plot } = layout;
  const mark = layout.marks[current];

  return (
    <div class="tl" ref={box} data-timeline={id}>
      <style>{TIMELINE_CSS}</style>
      <p class="tl-note" id={`${id}-explain`}>
        {t('timelineExplain')} {t('timelineKeyboard')}
      </p>
      <svg viewBox={`0 0 ${layout.width} ${layout.height}`} role="group" aria-labelledby={`${id}-title`} aria-describedby={`${id}-explain`} onMouseLeave={() => !focused && setTip(null)}>
        <title id={`${id}-title`}>{text.label(layout)}</title>
        <g aria-hidden="true">
          {layout.rows.map((row, i) => (
            <g key={row.entryId ?? 'unnamed'}>
              <rect class={`tl-band${i % 2 ? ' tl-band--alt' : ''}`} x={0} y={r1(row.top)} width={layout.width} height={(plot.bottom - plot.top) / layout.rows.length} />
              <text class="tl-rowlabel" x={plot.left - 10} y={r1(row.y)} text-anchor="end" dominant-baseline="middle">
                {row.label}
              </text>
            </g>
          ))}
          {layout.ticks.map((tick) => (
            <g key={tick.ms}>
              <line class="tl-grid" x1={r1(tick.x)} x2={r1(tick.x)} y1={r1(plot.top)} y2={r1(plot.bottom + 4)} />
              <text class="tl-tick" x={r1(tick.x)} y={r1(plot.bottom + 16)} text-anchor="middle">
                {text.seconds(tick.ms)}
              </text>
            </g>
          ))}
          <text class="tl-axis" x={r1((plot.left + plot.right) / 2)} y={r1(plot.bottom + 30)} text-anchor="middle">
            {t('timelineAxis')}
          </text>
          {layout.lines.map((line, i) => (
            <g key={i} data-consent-source={line.change.source} data-consent-signal={line.change.signal}>
              <line class={`tl-line${line.change.signal ? ' tl-line--signal' : ''}`} x1={r1(line.x)} x2={r1(line.x)} y1={line.lane === null ? r1(plot.top) : r1(line.lane * 16 + 4)} y2={r1(plot.bottom)} />
              {/* A wider, invisible line that the mouse can find. */}
              <line x1={r1(line.x)} x2={r1(line.x)} y1={r1(plot.top)} y2={r1(plot.bottom)} stroke="transparent" stroke-width={10} onMouseEnter={() => setTip({ x: line.x * scale(), y: plot.top * scale(), text: text.line(line) })} />
              {line.lane !== null && (
                <text class={`tl-linelabel${line.change.signal ? ' tl-linelabel--signal' : ''}`} x={r1(line.anchor === 'start' ? line.x + 4 : line.x - 4)} y={r1(line.lane * 16 + 14)} text-anchor={line.anchor}>
                  {line.label}
                </text>
              )}
            </g>
          ))}
        </g>
        <g role="list" aria-label={text.label(layout)}>
          {layout.marks.map((m) => (
            <path
              key={`${m.row}-${m.verdict}-${m.from}`}
              role="listitem"
              aria-label={text.mark(m)}
              tabindex={m.index === current ? 0 : -1}
              data-mark={m.index}
              data-mark-entry={m.first.entryId ?? 'unnamed'}
              data-mark-verdict={m.verdict ?? 'none'}
              data-count={m.count}
              data-stopped={m.stopped || undefined}
              class={markClass(m)}
              d={markPath(m.shape, m.x, m.y, m.r)}
              onKeyDown={onKeyDown}
              onFocus={() => (setFocused(true), setActive(m.index), showMark(m.index))}
              onBlur={() => (setFocused(false), setTip(null))}
              onMouseEnter={() => showMark(m.index)}
            />
          ))}
        </g>
        {/* Drawn over the marks and out of the pointer's way: the mark under it keeps the hover. */}
        <g aria-hidden="true" pointer-events="none">
          {layout.marks.map((m) => m.stopped > 0 && <path key={m.index} class="tl-strike" d={strikePath(m.x, m.y, m.r)} />)}
        </g>
        {focused && mark && <circle class="tl-halo" cx={r1(mark.x)} cy={r1(mark.y)} r={r1(mark.r + 4)} aria-hidden="true" />}
      </svg>
      {tip && (
        <div class="tl-tip" aria-hidden="true" data-timeline-tip style={{ left: `${Math.max(0, Math.min(tip.x - 120, (box.current?.clientWidth ?? 0) - 260))}px`, top: `${tip.y}px`, transform: 'translateY(-100%)' }}>
          {tip.text}
        </div>
      )}
      <Legend />
      {input.leftOut > 0 && (
        <p class="tl-note" data-timeline-left-out={input.leftOut}>
          {plural('timelineLeftOut', input.leftOut)}
        </p>
      )}
      <TimelineTable layout={layout} />
    </div>
  );
}

function Legend() {
  const { t } = useTranslator();
  return (
    <ul class="tl-legend" aria-label={t('timelineLegend')}>
      {legendItems().map((item) => (
        <li key={item.label}>
          <svg viewBox="0 0 16 16" aria-hidden="true">
            {item.glyphs.map(({ tag: Glyph, attrs }, i) => (
              <Glyph key={i} {...attrs} />
            ))}
          </svg>
          {t(item.label)}
        </li>
      ))}
    </ul>
  );
}

/** The chart's text alternative: every mark and consent change in time order. */
function TimelineTable({ layout }: { layout: TimelineLayout }) {
  const translator = useTranslator();
  const { t } = translator;
  const text = useMemo(() => timelineText(translator), [translator]);
  return (
    <details class="tl-details">
      <summary>{t('timelineTableShow')}</summary>
      <table class="tl-table">
        <caption>{t('timelineTableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('columnTime')}</th>
            <th scope="col">{t('columnParty')}</th>
            <th scope="col">{t('columnWhat')}</th>
            <th scope="col">{t('columnRequests')}</th>
            <th scope="col">{t('columnVerdict')}</th>
          </tr>
        </thead>
        <tbody>
          {timelineInTimeOrder(layout).map((entry, i) =>
            entry.type === 'consent' ? (
              <tr key={i} data-table-consent={entry.line.change.source}>
                <td>{entry.line.change.at < 0 ? text.consentLabel(entry.line.change) : text.seconds(entry.line.change.at)}</td>
                <td>{text.consentLabel(entry.line.change)}</td>
                <td>{consentText(entry.line.change, t)}</td>
                <td />
                <td />
              </tr>
            ) : (
              <tr key={i} data-table-mark={entry.mark.verdict ?? 'none'} data-stopped={entry.mark.stopped || undefined}>
                <td>{entry.mark.count === 1 ? text.seconds(entry.mark.from) : `${text.seconds(entry.mark.from)} – ${text.seconds(entry.mark.to)}`}</td>
                <td>{text.who(entry.mark.first.entryId, entry.mark.first.url)}</td>
                <td class="tl-address">{entry.mark.first.url}</td>
                <td>{text.count(entry.mark)}</td>
                <td>{text.verdict(entry.mark.verdict)}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </details>
  );
}
