import { catalog as defaultCatalog, type Catalog, type EntryId } from '../catalog';
import type { Verdict } from '../consent/judge';
import type { TimelineConsent, TimelineInput, TimelineRequest } from './input';

/**
 * The timeline's geometry, as pure data: where each row, tick, mark and consent line goes. The page
 * component (components/TimelineChart.tsx) and the HTML report (lib/report/html.ts) only draw it.
 */

/** A mark's shape says its verdict as much as its colour does (never colour alone, WCAG 1.4.1). */
export type MarkShape = 'square' | 'circle' | 'diamond' | 'ring' | 'triangle' | 'cross' | 'bar';

export const VERDICT_SHAPES: Record<Verdict, MarkShape> = {
  necessary: 'square',
  consented: 'circle',
  'denied-ping': 'diamond',
  unknown: 'ring',
  'before-choice': 'triangle',
  'against-choice': 'cross',
};

/** A request to a host the policy does not name is not judged: a short bar, not a verdict's shape. */
export const shapeOf = (verdict: Verdict | null): MarkShape => (verdict ? VERDICT_SHAPES[verdict] : 'bar');

export const ROW_HEIGHT = 28;
export const MARK_RADIUS = 5;
/** A mark that stands for many requests is drawn at most this much larger than one. */
const MAX_GROWTH = 1.3;
/** Marks of one row and verdict closer than this many pixels are drawn as one, with their count. */
export const MERGE_PX = 2 * MARK_RADIUS * MAX_GROWTH + 1;
const LANE_HEIGHT = 16;
const AXIS_HEIGHT = 34;
const RIGHT_PAD = 24;
/** Consent labels stack in at most this many lanes above the plot; a label with no room is left to the line's title and the table. */
const MAX_LANES = 3;
/** An average character of the 12 px system font, for fitting labels without measuring text (the layout runs in Node too). */
export const CHAR_PX = 6.6;
const MIN_TICK_SPACING_PX = 72;
const TICK_STEPS_MS = [50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000];

export interface TimelineRow {
  entryId: EntryId | null;
  label: string;
  top: number;
  y: number;
}

export interface TimelineMark {
  /** Place in `marks`: rows top to bottom, each left to right. */
  index: number;
  row: number;
  x: number;
  y: number;
  r: number;
  verdict: Verdict | null;
  shape: MarkShape;
  /** How many requests the mark stands for, and the first and last of their moments. */
  count: number;
  from: number;
  to: number;
  first: TimelineRequest;
  /** Of `count`, the requests stopped before they were sent: the mark is struck through, and faint when all were. */
  stopped: number;
}

export interface TimelineLine {
  x: number;
  change: TimelineConsent;
  /** The label's lane above the plot (0 nearest the top), or null when there was no room for it. */
  lane: number | null;
  label: string;
  anchor: 'start' | 'end';
}

export interface TimelineLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  /** The x axis runs from 0 to `end` ms after the page began loading. */
  end: number;
  ticks: { x: number; ms: number }[];
  rows: TimelineRow[];
  marks: TimelineMark[];
  lines: TimelineLine[];
  requests: number;
}

export interface LayoutOptions {
  width: number;
  rowLabel(entryId: EntryId | null): string;
  consentLabel(change: TimelineConsent): string;
  catalog?: Catalog;
}

/** `text` cut to fit `px` at the average character width, with an ellipsis when cut. */
export function fitText(text: string, px: number): string {
  const fits = Math.floor(px / CHAR_PX);
  return text.length <= fits ? text : `${text.slice(0, Math.max(1, fits - 1))}…`;
}

/** A round step for the axis ticks and the axis end, so ticks fall on 0.5 s, 1 s, 2 s, … */
export function axisScale(lastMs: number, plotWidth: number): { end: number; step: number } {
  const wanted = Math.max(1_000, lastMs * 1.02);
  const maxTicks = Math.max(2, Math.floor(plotWidth / MIN_TICK_SPACING_PX));
  const step = TICK_STEPS_MS.find((s) => wanted / s <= maxTicks) ?? Math.ceil(wanted / maxTicks / 3_600_000) * 3_600_000;
  return { end: Math.ceil(wanted / step) * step, step };
}

export function layoutTimeline(input: TimelineInput, options: LayoutOptions): TimelineLayout {
  const catalog = options.catalog ?? defaultCatalog;
  const width = Math.max(320, Math.round(options.width));
  const labelWidth = Math.round(Math.min(190, Math.max(120, width * 0.22)));
  const left = labelWidth + 12;
  const right = width - RIGHT_PAD;
  const lastMs = Math.max(0, ...input.requests.map((r) => r.at), ...input.consent.map((c) => c.at));
  const { end, step } = axisScale(lastMs, right - left);
  const xOf = (ms: number) => left + (Math.min(Math.max(ms, 0), end) / end) * (right - left);

  // Consent labels: left to right, each in the first lane where it does not touch the one before.
  const laneEnds: number[] = [];
  const lines: TimelineLine[] = [...input.consent]
    .sort((a, b) => a.at - b.at)
    .map((change) => {
      const x = xOf(change.at);
      const label = options.consentLabel(change);
      const w = label.length * CHAR_PX + 8;
      const anchor = x + w > right ? ('end' as const) : ('start' as const);
      const [from, to] = anchor === 'start' ? [x, x + w] : [x - w, x];
      let lane = laneEnds.findIndex((laneEnd) => laneEnd + 4 <= from);
      if (lane < 0 && laneEnds.length < MAX_LANES) lane = laneEnds.push(to) - 1;
      else if (lane >= 0) laneEnds[lane] = to;
      return { x, change, lane: lane >= 0 ? lane : null, label, anchor };
    });
  const top = laneEnds.length * LANE_HEIGHT + 8;

  // One row per tracker in the catalog's order (the popup's), then one for every unnamed host.
  const order = new Map<EntryId | null, number>(catalog.entries.map((e, i) => [e.id, i]));
  order.set(null, catalog.entries.length);
  const present = [...new Set(input.requests.map((r) => r.entryId))].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const rows: TimelineRow[] = present.map((entryId, i) => ({
    entryId,
    label: fitText(options.rowLabel(entryId), labelWidth),
    top: top + i * ROW_HEIGHT,
    y: top + i * ROW_HEIGHT + ROW_HEIGHT / 2,
  }));
  const rowOf = new Map(present.map((entryId, i) => [entryId, i]));

  // Requests of one row and verdict that would overlap become one mark that counts them, so a page
  // of 3,000 requests draws at most a few hundred marks (and the keyboard has as many stops).
  // Stopped requests stay in the mark of their moment (the keyboard's stops do not double); the mark counts them.
  const groups = new Map<string, { row: number; verdict: Verdict | null; xs: number; count: number; from: number; to: number; first: TimelineRequest; stopped: number }>();
  for (const request of input.requests) {
    const row = rowOf.get(request.entryId)!;
    const x = xOf(request.at);
    const key = `${row}|${request.verdict}|${Math.floor((x - left) / MERGE_PX)}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { row, verdict: request.verdict, xs: x, count: 1, from: request.at, to: request.at, first: request, stopped: request.stopped ? 1 : 0 });
    else {
      group.xs += x;
      group.count++;
      if (request.stopped) group.stopped++;
      if (request.at < group.from) (group.from = request.at), (group.first = request);
      group.to = Math.max(group.to, request.at);
    }
  }
  const marks = [...groups.values()]
    .map((g) => ({
      row: g.row,
      x: g.xs / g.count,
      y: rows[g.row]!.y,
      r: g.count > 1 ? MARK_RADIUS * Math.min(MAX_GROWTH, 1 + 0.1 * Math.log2(g.count)) : MARK_RADIUS,
      verdict: g.verdict,
      shape: shapeOf(g.verdict),
      count: g.count,
      from: g.from,
      to: g.to,
      first: g.first,
      stopped: g.stopped,
    }))
    .sort((a, b) => a.row - b.row || a.x - b.x)
    .map((mark, index) => ({ index, ...mark }));

  const ticks: { x: number; ms: number }[] = [];
  for (let ms = 0; ms <= end; ms += step) ticks.push({ x: xOf(ms), ms });
  const bottom = top + rows.length * ROW_HEIGHT;
  return { width, height: bottom + AXIS_HEIGHT, plot: { left, top, right, bottom }, end, ticks, rows, marks, lines, requests: input.requests.length };
}

/**
 * An SVG path for a mark of `shape` centred on (cx, cy) with radius r: filled shapes, so that each
 * stays recognisable at 10 px and in print. The ring is the one hollow shape (drawn with a stroke).
 */
export function markPath(shape: MarkShape, cx: number, cy: number, r: number): string {
  const n = (value: number) => Number(value.toFixed(2));
  const at = (dx: number, dy: number) => `${n(cx + dx)} ${n(cy + dy)}`;
  switch (shape) {
    case 'square':
      return `M${at(-r * 0.85, -r * 0.85)}H${n(cx + r * 0.85)}V${n(cy + r * 0.85)}H${n(cx - r * 0.85)}Z`;
    case 'circle':
    case 'ring':
      return `M${at(-r, 0)}A${n(r)} ${n(r)} 0 1 0 ${at(r, 0)}A${n(r)} ${n(r)} 0 1 0 ${at(-r, 0)}Z`;
    case 'diamond':
      return `M${at(0, -r * 1.2)}L${at(r * 1.2, 0)}L${at(0, r * 1.2)}L${at(-r * 1.2, 0)}Z`;
    case 'triangle':
      return `M${at(0, -r * 1.15)}L${at(r * 1.1, r * 0.85)}L${at(-r * 1.1, r * 0.85)}Z`;
    case 'cross': {
      // An X as one outline: arms of width w from the centre to each corner.
      const a = r * 1.05;
      const w = r * 0.42;
      return `M${at(-a, -a + w)}L${at(-a + w, -a)}L${at(0, -w)}L${at(a - w, -a)}L${at(a, -a + w)}L${at(w, 0)}L${at(a, a - w)}L${at(a - w, a)}L${at(0, w)}L${at(-a + w, a)}L${at(-a, a - w)}L${at(-w, 0)}Z`;
    }
    case 'bar':
      return `M${at(-r * 0.3, -r * 0.9)}H${n(cx + r * 0.3)}V${n(cy + r * 0.9)}H${n(cx - r * 0.3)}Z`;
  }
}

/** The stroke across a mark some of whose requests never arrived: rising left to right, past the shape's edge. */
export function strikePath(cx: number, cy: number, r: number): string {
  const n = (value: number) => Number(value.toFixed(2));
  const a = r * 1.45;
  return `M${n(cx - a)} ${n(cy + a)}L${n(cx + a)} ${n(cy - a)}`;
}

export type MarkStep = 'left' | 'right' | 'up' | 'down' | 'home' | 'end';

/**
 * Where the keyboard goes from mark `index`: left and right within the row, up and down to the
 * nearest mark in time in the row above or below (skipping empty rows), home and end of the row.
 */
export function neighbour(layout: Pick<TimelineLayout, 'marks'>, index: number, step: MarkStep): number {
  const marks = layout.marks;
  const mark = marks[index];
  if (!mark) return marks.length ? 0 : -1;
  const inRow = (row: number) => marks.filter((m) => m.row === row);
  const row = inRow(mark.row);
  switch (step) {
    case 'left':
      return marks[index - 1]?.row === mark.row ? index - 1 : index;
    case 'right':
      return marks[index + 1]?.row === mark.row ? index + 1 : index;
    case 'home':
      return row[0]!.index;
    case 'end':
      return row.at(-1)!.index;
    case 'up':
    case 'down': {
      const rows = [...new Set(marks.map((m) => m.row))];
      const next = rows[rows.indexOf(mark.row) + (step === 'up' ? -1 : 1)];
      if (next === undefined) return index;
      return inRow(next).reduce((best, m) => (Math.abs(m.x - mark.x) < Math.abs(best.x - mark.x) ? m : best)).index;
    }
  }
}

/** The chart in time order, for its text alternative: consent changes and marks as they happened. */
export function timelineInTimeOrder(layout: Pick<TimelineLayout, 'marks' | 'lines'>): ({ type: 'consent'; at: number; line: TimelineLine } | { type: 'mark'; at: number; mark: TimelineMark })[] {
  return [
    ...layout.lines.map((line) => ({ type: 'consent' as const, at: line.change.at, line })),
    ...layout.marks.map((mark) => ({ type: 'mark' as const, at: mark.from, mark })),
  ].sort((a, b) => a.at - b.at || (a.type === 'consent' ? -1 : 1) - (b.type === 'consent' ? -1 : 1));
}
