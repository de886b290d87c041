import { getEntry } from '../catalog';
import { createTranslator, type Language, type Translator } from '../i18n';
import { CATEGORY_KEYS, KIND_KEYS, VERDICT_KEYS, consentText, reportFindingText, unlistedWho } from '../i18n/words';
import { TIMELINE_CSS, layoutTimeline, legendItems, markClass, markPath, shortProduct, strikePath, timelineInTimeOrder, timelineOfPage, timelineText, type LegendGlyph, type TimelineLayout, type TimelineText } from '../timeline';
import type { Verdict } from '../consent/judge';
import { redactReport } from './redact';
import type { PageReport, Report } from './schema';

/**
 * The colours of components/theme.css, for a file that opens outside the extension. A unit test
 * holds them to the theme, so a report looks like the pages it came from.
 */
export const REPORT_PALETTE = {
  light: { bg: '#fbfaf7', surface: '#ffffff', text: '#1f2328', muted: '#57606a', border: '#d8d4cc', accent: '#2f5597', focus: '#1a56db', 'necessary-bg': '#e7eef9', 'necessary-fg': '#1d3f73', 'ok-bg': '#e6f4ec', 'ok-fg': '#1b5e3a', 'warning-bg': '#fdf1dc', 'warning-fg': '#7a4b00', 'violation-bg': '#fbe4e6', 'violation-fg': '#8a1c2b', 'violation-border': '#c0392b', 'unknown-bg': '#ececf0', 'unknown-fg': '#3d3d48' },
  dark: { bg: '#1b1d21', surface: '#25282d', text: '#e8e6e3', muted: '#a9b0b8', border: '#3d4148', accent: '#8fb3ff', focus: '#9ec1ff', 'necessary-bg': '#22354f', 'necessary-fg': '#c7dbff', 'ok-bg': '#1f3a2b', 'ok-fg': '#bfe8cf', 'warning-bg': '#42341a', 'warning-fg': '#f6d9a3', 'violation-bg': '#4a2227', 'violation-fg': '#ffc9cf', 'violation-border': '#ff8a80', 'unknown-bg': '#34363c', 'unknown-fg': '#dcdde2' },
} as const;

/** Width the report's charts are laid out at; the SVG scales to the page (and the paper) from there. */
const CHART_WIDTH = 960;

const variables = (palette: Record<string, string>) => Object.entries(palette).map(([name, value]) => `--${name}: ${value};`).join(' ');

const REPORT_CSS = `
:root { color-scheme: light dark; ${variables(REPORT_PALETTE.light)} font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
@media (prefers-color-scheme: dark) { :root { ${variables(REPORT_PALETTE.dark)} } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); }
main { max-width: 1040px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.3rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.4rem; padding-top: 1rem; border-top: 2px solid var(--border); overflow-wrap: anywhere; }
h3 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
p { margin: 0.3rem 0; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.meta { color: var(--muted); }
.notice { padding: 0.5rem 0.7rem; border-radius: 6px; background: var(--necessary-bg); color: var(--necessary-fg); }
.notice--warning { background: var(--warning-bg); color: var(--warning-fg); }
.url, .address { font-family: ui-monospace, Menlo, monospace; overflow-wrap: anywhere; }
.table { width: 100%; border-collapse: collapse; background: var(--surface); font-size: 0.9rem; }
.table th, .table td { text-align: left; padding: 0.35rem 0.55rem; border-bottom: 1px solid var(--border); vertical-align: top; }
.table td.address { font-size: 0.82rem; }
.table td.time { white-space: nowrap; }
.stopped-tag, .worker-tag { display: inline-block; margin-right: 0.3rem; padding: 0 0.3rem; border: 1px solid var(--muted); border-radius: 4px; font: 600 0.72rem system-ui, sans-serif; color: var(--text); white-space: nowrap; }
.chip { display: inline-block; border-radius: 999px; padding: 0.05rem 0.55rem; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
.chip--necessary { background: var(--necessary-bg); color: var(--necessary-fg); }
.chip--ok { background: var(--ok-bg); color: var(--ok-fg); }
.chip--warning { background: var(--warning-bg); color: var(--warning-fg); }
.chip--unknown { background: var(--unknown-bg); color: var(--unknown-fg); }
.chip--violation { background: var(--violation-bg); color: var(--violation-fg); outline: 1px solid var(--violation-border); }
.findings { padding-left: 1.2rem; }
.findings li { margin-bottom: 0.25rem; }
.unlisted { padding-left: 1.2rem; overflow-wrap: anywhere; }
.figure { margin: 0; padding: 0.6rem; background: var(--surface); border: 1px solid var(--border); border-radius: 8px; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 0.85rem; }
${TIMELINE_CSS}
@media print {
  :root { color-scheme: light; ${variables(REPORT_PALETTE.light)} font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-before: page; border-top: 0; }
  section:first-of-type h2 { break-before: auto; }
  tr, .figure, li { break-inside: avoid; }
  .tl-details summary { display: none; }
}
`;

/** Text for HTML: every value from a report goes through this, in text and in attributes alike. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const n = (value: number) => Number(value.toFixed(1));

/**
 * A report as one self-contained HTML file: inline CSS, inline SVG, no script, nothing loaded from
 * anywhere (its own Content-Security-Policy says so to the browser too), readable in any browser and
 * printable, in the reader's language. Personal data is left out (lib/report/redact.ts) unless
 * `includePersonalData` asks for it. Pure: the scan, the history page and the DevTools panel call it.
 */
export function reportToHtml(input: Report, options: { language: Language; includePersonalData?: boolean }): string {
  const report = options.includePersonalData || input.redacted ? input : redactReport(input);
  const tr = createTranslator(options.language);
  const { t } = tr;
  const text = timelineText(tr);
  const title = `${t('reportTitle')} – ${tr.formatDateTime(Date.parse(report.generatedAt))}`;
  const pages = report.pages.map((page, i) => pageSection(page, i + 1, tr, text)).join('\n');
  const env = report.environment ? `<p class="meta">${escapeHtml(t('importEnvironment', { browser: report.environment.browser, version: report.environment.extensionVersion, catalog: report.catalogVersion }))}</p>` : '';
  const contents =
    report.pages.length > 1
      ? `<nav aria-label="${escapeHtml(tr.plural('reportPages', report.pages.length))}"><ol>${report.pages.map((p, i) => `<li><a href="#page-${i + 1}" class="url">${escapeHtml(p.url)}</a></li>`).join('')}</ol></nav>`
      : '';
  return `<!doctype html>
<html lang="${options.language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(t('reportTitle'))}</h1>
<p class="meta">${escapeHtml(t('reportMade', { date: tr.formatDateTime(Date.parse(report.generatedAt)), tool: `${report.tool.name} ${report.tool.version}`, catalog: report.catalogVersion }))} ${escapeHtml(tr.plural('reportPages', report.pages.length))}.</p>
${env}
<p class="notice${report.redacted ? '' : ' notice--warning'}">${escapeHtml(report.redacted ? t('importRedacted') : t('reportNotRedacted'))}</p>
${contents}
</header>
${report.pages.length ? pages : `<p>${escapeHtml(t('reportNoPages'))}</p>`}
<footer><p>${escapeHtml(t('reportFooter', { version: report.schemaVersion }))}</p></footer>
</main>
</body>
</html>
`;
}

function pageSection(page: PageReport, index: number, tr: Translator, text: TimelineText): string {
  const { t } = tr;
  const id = `page-${index}`;
  const consent = page.consent;
  const final = consent.source === 'none' ? t('visitConsentNone') : t('reportConsentFinal', { text: consentText({ ...consent, source: consent.source }, t) });
  const parts = [
    `<section id="${id}" aria-labelledby="${id}-h">`,
    `<h2 id="${id}-h">${escapeHtml(t('reportPageHeading', { n: index, url: page.url }))}</h2>`,
    `<p class="meta">${escapeHtml(t('reportVisited', { date: tr.formatDateTime(Date.parse(page.visitedAt)) }))}</p>`,
    `<p>${escapeHtml(final)}</p>`,
    consent.from === 'consent-mode' ? `<p>${escapeHtml(t('reportConsentFromSignal'))}</p>` : '',
    consent.banner && consent.from !== 'record' ? `<p>${escapeHtml(t('reportBanner', { name: consent.banner }))}</p>` : '',
    timelineSection(page, id, tr, text),
    trackersSection(page, tr),
    unlistedSection(page, tr),
    findingsSection(page, tr),
    requestsSection(page, tr, text),
    '</section>',
  ];
  return parts.filter(Boolean).join('\n');
}

function timelineSection(page: PageReport, id: string, tr: Translator, text: TimelineText): string {
  const { t } = tr;
  const input = timelineOfPage(page);
  const heading = `<h3>${escapeHtml(t('timelineHeading'))}</h3>`;
  if (input.requests.length === 0) return `${heading}\n<p class="tl-note">${escapeHtml(t('timelineEmpty'))}</p>`;
  const layout = layoutTimeline(input, { width: CHART_WIDTH, rowLabel: text.rowLabel, consentLabel: text.consentLabel });
  const leftOut = input.leftOut ? `<p class="tl-note">${escapeHtml(tr.plural('timelineLeftOut', input.leftOut))}</p>` : '';
  return [
    heading,
    `<figure class="figure tl" aria-labelledby="${id}-tl-caption">`,
    timelineSvg(layout, `${id}-tl`, tr, text),
    `<figcaption id="${id}-tl-caption">${escapeHtml(text.label(layout))}. ${escapeHtml(t('timelineExplain'))}</figcaption>`,
    legend(tr),
    '</figure>',
    leftOut,
    timelineTable(layout, tr, text),
  ].join('\n');
}

/** The chart as inline SVG: an image whose parts have hover titles, with the table as its alternative. */
export function timelineSvg(layout: TimelineLayout, id: string, tr: Translator, text: TimelineText): string {
  const { plot } = layout;
  const out: string[] = [`<svg viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-labelledby="${id}-title" xmlns="http://www.w3.org/2000/svg">`, `<title id="${id}-title">${escapeHtml(text.label(layout))}</title>`];
  layout.rows.forEach((row, i) => {
    out.push(`<rect class="tl-band${i % 2 ? ' tl-band--alt' : ''}" x="0" y="${n(row.top)}" width="${layout.width}" height="${n(plot.bottom - plot.top) / layout.rows.length}"/>`);
    out.push(`<text class="tl-rowlabel" x="${plot.left - 10}" y="${n(row.y)}" text-anchor="end" dominant-baseline="middle">${escapeHtml(row.label)}</text>`);
  });
  for (const tick of layout.ticks) {
    out.push(`<line class="tl-grid" x1="${n(tick.x)}" x2="${n(tick.x)}" y1="${n(plot.top)}" y2="${n(plot.bottom + 4)}"/>`);
    out.push(`<text class="tl-tick" x="${n(tick.x)}" y="${n(plot.bottom + 16)}" text-anchor="middle">${escapeHtml(text.seconds(tick.ms))}</text>`);
  }
  out.push(`<text class="tl-axis" x="${n((plot.left + plot.right) / 2)}" y="${n(plot.bottom + 30)}" text-anchor="middle">${escapeHtml(tr.t('timelineAxis'))}</text>`);
  for (const line of layout.lines) {
    const signal = line.change.signal ? ' tl-line--signal' : '';
    out.push(`<line class="tl-line${signal}" x1="${n(line.x)}" x2="${n(line.x)}" y1="${line.lane === null ? n(plot.top) : n(line.lane * 16 + 4)}" y2="${n(plot.bottom)}"><title>${escapeHtml(text.line(line))}</title></line>`);
    if (line.lane !== null) {
      const x = line.anchor === 'start' ? line.x + 4 : line.x - 4;
      out.push(`<text class="tl-linelabel${line.change.signal ? ' tl-linelabel--signal' : ''}" x="${n(x)}" y="${n(line.lane * 16 + 14)}" text-anchor="${line.anchor}">${escapeHtml(line.label)}</text>`);
    }
  }
  for (const mark of layout.marks) {
    // The stroke lets the pointer through, so hovering it still shows the mark's title.
    const strike = mark.stopped ? `<path class="tl-strike" pointer-events="none" d="${strikePath(mark.x, mark.y, mark.r)}"/>` : '';
    out.push(`<path class="${markClass(mark)}" d="${markPath(mark.shape, mark.x, mark.y, mark.r)}"><title>${escapeHtml(text.mark(mark))}</title></path>${strike}`);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** What each shape and colour means, in words (the legend is text; the small shapes only repeat it). */
function legend(tr: Translator): string {
  const glyph = ({ tag, attrs }: LegendGlyph) => `<${tag}${Object.entries(attrs).map(([name, value]) => ` ${name}="${escapeHtml(String(value))}"`).join('')}/>`;
  const items = legendItems().map((item) => `<li><svg viewBox="0 0 16 16" aria-hidden="true">${item.glyphs.map(glyph).join('')}</svg>${escapeHtml(tr.t(item.label))}</li>`);
  return `<ul class="tl-legend" aria-label="${escapeHtml(tr.t('timelineLegend'))}">${items.join('')}</ul>`;
}

function timelineTable(layout: TimelineLayout, tr: Translator, text: TimelineText): string {
  const { t } = tr;
  const rows = timelineInTimeOrder(layout).map((entry) => {
    if (entry.type === 'consent') {
      const change = entry.line.change;
      return `<tr><td>${escapeHtml(change.at < 0 ? text.consentLabel(change) : text.seconds(change.at))}</td><td>${escapeHtml(text.consentLabel(change))}</td><td>${escapeHtml(consentText(change, t))}</td><td></td><td></td></tr>`;
    }
    const { mark } = entry;
    const when = mark.count === 1 ? text.seconds(mark.from) : `${text.seconds(mark.from)} – ${text.seconds(mark.to)}`;
    return `<tr><td>${escapeHtml(when)}</td><td>${escapeHtml(text.who(mark.first.entryId, mark.first.url))}</td><td class="tl-address">${escapeHtml(mark.first.url)}</td><td>${escapeHtml(text.count(mark))}</td><td>${escapeHtml(text.verdict(mark.verdict))}</td></tr>`;
  });
  return `<details class="tl-details"><summary>${escapeHtml(t('timelineTableShow'))}</summary>
<table class="tl-table"><caption>${escapeHtml(t('timelineTableCaption'))}</caption>
<thead><tr><th scope="col">${escapeHtml(t('columnTime'))}</th><th scope="col">${escapeHtml(t('columnParty'))}</th><th scope="col">${escapeHtml(t('columnWhat'))}</th><th scope="col">${escapeHtml(t('columnRequests'))}</th><th scope="col">${escapeHtml(t('columnVerdict'))}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></details>`;
}

const chip = (verdict: Verdict, t: Translator['t']) => `<span class="chip chip--${VERDICT_KEYS[verdict].tone}">${escapeHtml(t(VERDICT_KEYS[verdict].label))}</span>`;

function trackersSection(page: PageReport, tr: Translator): string {
  const { t } = tr;
  const heading = `<h3>${escapeHtml(t('namedHeading'))}</h3>`;
  if (page.trackers.length === 0) return `${heading}\n<p>${escapeHtml(t('namedEmpty'))}</p>`;
  const rows = page.trackers.map((tracker) => {
    const product = getEntry(tracker.id).product;
    const evidence = tracker.cookieEvidence ? ` <small>${escapeHtml(t('reportCookieBy', { cookie: tracker.cookieEvidence.name }))}</small>` : '';
    const stopped = tracker.stopped ? `<br><small>${escapeHtml(t('reportStopped', { count: tracker.stopped }))}</small>` : '';
    const relays = tracker.relays.length ? `<br><small>${escapeHtml(t(tracker.relays.some((r) => r.party === 'shop') ? 'relayShop' : 'relayOther', { hosts: tracker.relays.map((r) => r.host).join(', ') }))}</small>` : '';
    return `<tr><td>${escapeHtml(product)}<br><small>${escapeHtml(tracker.company)}</small>${relays}</td><td>${escapeHtml(t(CATEGORY_KEYS[tracker.category]))}</td><td>${escapeHtml(tr.formatNumber(tracker.requests))}${stopped}</td><td>${escapeHtml(tracker.cookies.join(', ') || t('cookiesNone'))}</td><td>${chip(tracker.verdict, t)}${evidence}</td></tr>`;
  });
  return `${heading}
<table class="table"><thead><tr><th scope="col">${escapeHtml(t('columnTracker'))}</th><th scope="col">${escapeHtml(t('columnCategory'))}</th><th scope="col">${escapeHtml(t('columnRequests'))}</th><th scope="col">${escapeHtml(t('cookiesLabel'))}</th><th scope="col">${escapeHtml(t('columnVerdict'))}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function unlistedSection(page: PageReport, tr: Translator): string {
  if (page.unlisted.length === 0) return '';
  const { t } = tr;
  const items = page.unlisted.map((u) => `<li><span class="url">${escapeHtml(u.host)}</span> · ${escapeHtml(tr.formatNumber(u.requests))}× · ${escapeHtml(unlistedWho(u, tr.language) ?? t('unlistedUnknown'))}</li>`);
  return `<h3>${escapeHtml(t('unlistedHeading'))}</h3>\n<p>${escapeHtml(t('unlistedExplain'))}</p>\n<ul class="unlisted">${items.join('')}</ul>`;
}

function findingsSection(page: PageReport, tr: Translator): string {
  const shown = page.findings.filter((f) => f.kind !== 'unlisted-third-party');
  if (shown.length === 0) return '';
  const items = shown.map((f) => {
    const { text, lang } = reportFindingText(f, tr.t);
    return `<li${lang && lang !== tr.language ? ` lang="${lang}"` : ''}>${escapeHtml(text)}</li>`;
  });
  return `<h3>${escapeHtml(tr.t('findingsHeading'))}</h3>\n<ul class="findings">${items.join('')}</ul>`;
}

function requestsSection(page: PageReport, tr: Translator, text: TimelineText): string {
  const observations = page.observations ?? [];
  if (observations.length === 0) return '';
  const { t } = tr;
  const startedAt = Date.parse(page.visitedAt);
  const rows = observations.map((o) => {
    const party = o.trackerId ? shortProduct(o.trackerId) : t('notNamed');
    return `<tr><td class="time">${escapeHtml(text.seconds(Date.parse(o.at) - startedAt))}</td><td>${escapeHtml(party)}</td><td class="address">${o.stopped ? `<span class="stopped-tag">${escapeHtml(t('requestStopped'))}</span> ` : ''}${o.worker ? `<span class="worker-tag">${escapeHtml(t('requestWorker'))}</span> ` : ''}${escapeHtml(`${o.method} ${o.url}`)}</td><td>${escapeHtml(o.kind ? t(KIND_KEYS[o.kind]) : o.type)}</td><td>${o.verdict ? chip(o.verdict, t) : escapeHtml('—')}</td></tr>`;
  });
  const workerNote = observations.some((o) => o.worker) ? `\n<p class="meta">${escapeHtml(t('requestWorkerNote'))}</p>` : '';
  return `<h3>${escapeHtml(t('visitRequests'))}</h3>${workerNote}
<table class="table"><thead><tr><th scope="col">${escapeHtml(t('columnTime'))}</th><th scope="col">${escapeHtml(t('columnParty'))}</th><th scope="col">${escapeHtml(t('columnAddress'))}</th><th scope="col">${escapeHtml(t('columnKind'))}</th><th scope="col">${escapeHtml(t('columnVerdict'))}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}
