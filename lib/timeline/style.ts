/**
 * The timeline's look, once: the extension's pages put it in a <style> beside the chart and the HTML
 * report inlines it. Colours are the theme's variables (components/theme.css on the pages, REPORT_PALETTE
 * in the report), so the chart follows light and dark as the rest does. Marks use the verdict's
 * foreground colour, which meets 3:1 against the page in both themes (WCAG 1.4.11).
 */
export const TIMELINE_CSS = `
.tl { position: relative; }
.tl svg { display: block; width: 100%; height: auto; overflow: visible; font: 12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
.tl-band { fill: var(--surface); }
.tl-band--alt { fill: var(--bg); }
.tl-rowlabel { fill: var(--text); font-size: 12px; }
.tl-grid { stroke: var(--border); stroke-width: 1; }
.tl-tick { fill: var(--muted); font-size: 11px; }
.tl-axis { fill: var(--muted); font-size: 11px; }
.tl-line { stroke: var(--accent); stroke-width: 2; }
.tl-line--signal { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 4 3; }
.tl-linelabel { fill: var(--accent); font-size: 11px; font-weight: 600; }
.tl-linelabel--signal { fill: var(--muted); font-weight: 400; }
.tl-mark { stroke: var(--surface); stroke-width: 1; }
.tl-mark--necessary { fill: var(--necessary-fg); }
.tl-mark--ok { fill: var(--ok-fg); }
.tl-mark--warning { fill: var(--warning-fg); }
.tl-mark--unknown { fill: none; stroke: var(--muted); stroke-width: 2; }
.tl-mark--violation { fill: var(--violation-border); }
.tl-mark--unjudged { fill: var(--muted); }
/* A request that never arrived: struck through in the text colour, and faint when none of the mark's arrived. */
.tl-mark--faint { opacity: 0.4; }
.tl-strike { stroke: var(--text); stroke-width: 1.6; stroke-linecap: round; fill: none; }
.tl-halo { fill: none; stroke: var(--focus); stroke-width: 3; }
.tl-legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; margin: 0.4rem 0 0; padding: 0; list-style: none; font-size: 0.82rem; color: var(--text); }
.tl-legend li { display: inline-flex; align-items: center; gap: 0.35rem; }
.tl-legend svg { width: 16px; height: 16px; overflow: visible; }
.tl-legend .tl-line { stroke-width: 2; }
.tl-tip { position: absolute; z-index: 2; max-width: 26rem; pointer-events: none; background: var(--surface); color: var(--text); border: 1px solid var(--border); border-radius: 6px; padding: 0.35rem 0.55rem; font-size: 0.8rem; box-shadow: 0 2px 8px rgb(0 0 0 / 0.18); overflow-wrap: anywhere; }
.tl-note { color: var(--muted); font-size: 0.85rem; }
.tl-table { width: 100%; border-collapse: collapse; font-size: 0.82rem; }
.tl-table th, .tl-table td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
.tl-table td.tl-address { font-family: ui-monospace, Menlo, monospace; overflow-wrap: anywhere; }
.tl-table td:first-child { white-space: nowrap; }
.tl-table caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
.tl-details summary { cursor: pointer; color: var(--accent); margin: 0.4rem 0; }
`;

/** The tone of a verdict's marks (the chips' tones), and of requests that are not judged. */
export const MARK_TONES = { necessary: 'necessary', consented: 'ok', 'denied-ping': 'warning', unknown: 'unknown', 'before-choice': 'violation', 'against-choice': 'violation' } as const;
export const UNJUDGED_TONE = 'unjudged';

/** A mark's classes: its verdict's tone, and faint when none of its requests arrived. */
export function markClass(mark: { verdict: keyof typeof MARK_TONES | null; count: number; stopped: number }): string {
  return `tl-mark tl-mark--${mark.verdict ? MARK_TONES[mark.verdict] : UNJUDGED_TONE}${mark.stopped > 0 && mark.stopped === mark.count ? ' tl-mark--faint' : ''}`;
}
