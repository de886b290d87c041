import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { CATALOG_VERSION } from '@/lib/catalog';
import { newTabState, type TabState } from '@/lib/observe';
import { REPORT_PALETTE, buildReport, escapeHtml, pageReport, parseReport, reportToHtml, visitFromTab, type Report } from '@/lib/report';
import { layoutTimeline, timelineOfPage, timelineText } from '@/lib/timeline';
import { createTranslator } from '@/lib/i18n';
import { HOSTILE_PAGES, MARKUP } from '../../fixtures/shop/hostile';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const SHOP = 'https://www.mijnliefsteboek.nl';
/** The hostile fixture's page address, as a browser sends it, with its query of payloads. */
const HOSTILE_URL = `${SHOP}${new URL(`${SHOP}${HOSTILE_PAGES.markupRaw}`).pathname}${MARKUP.query}`;
const PAYLOADS = ['<img src=x onerror=window.__pwned=1>', '"><script>window.__pwned=1</script>', '<svg/onload=window.__pwned=1>'];

/** A visit of the hostile page as a live tab holds it: markup in the page's address, a tracker's and an unnamed host's. */
function hostileReport(): Report {
  const state = newTabState(1, 'v1', `${HOSTILE_URL}&email=sanne%40voorbeeld.nl`, T0);
  state.entries['meta-pixel'] = { requests: 2, cookiesSet: ['_fbp'], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
  state.entries.aws = { requests: 1, cookiesSet: [], cookiesPresent: [], firstAt: T0, via: [], relays: [], stopped: 0 };
  state.banner = { cmp: 'cookie-information', showing: false, seenAt: T0 + 5 };
  state.consent = [{ at: T0 + 500, receivedAt: T0 + 520, source: 'cookie-information', granted: ['necessary'], denied: ['functional', 'statistics', 'marketing', 'unclassified'], carriedOver: false }];
  const record = (entryId: 'aws' | 'meta-pixel', at: number, url: string): TabState['requests'][number] => ({ entryId, at, consentMode: null, personalData: [], url, kind: entryId === 'aws' ? 'page' : 'hit', type: 'image', method: 'GET' });
  state.requests = [record('aws', T0 + 1, `${SHOP}/hostile/<img src=x onerror=window.__pwned=1>`), record('meta-pixel', T0 + 40, 'https://www.facebook.com/tr/'), record('meta-pixel', T0 + 900, 'https://www.facebook.com/tr/"><svg/onload=window.__pwned=1>')];
  state.unlisted = { [MARKUP.unlistedHost]: 1 };
  state.unlistedRequests = [{ url: `https://${MARKUP.unlistedHost}/<img src=x onerror=window.__pwned=1>/p.gif`, at: T0 + 60, type: 'img' }];
  const visit = visitFromTab(state);
  const report = buildReport([pageReport(visit, null)], { name: '<b>tool</b>', version: '"1"' }, { catalogVersion: CATALOG_VERSION, now: T0 + 1000, environment: { browser: '<i>Chrome</i>/1', extensionVersion: '0.1.0', language: 'nl' } });
  // An imported file can say anything its schema lets it: markup in a finding's sentence too.
  report.pages[0]!.findings.push({ kind: 'personal-data', trackerId: 'meta-pixel', detail: `${PAYLOADS[1]} sanne@voorbeeld.nl` });
  return report;
}

function parse(html: string) {
  const window = new Window();
  window.document.write(html);
  return window.document;
}

describe('the HTML report', () => {
  it('shows hostile addresses as text: no element, attribute or script comes from a report', () => {
    const report = hostileReport();
    for (const includePersonalData of [false, true]) {
      const html = reportToHtml(report, { language: 'nl', includePersonalData });
      const document = parse(html);
      expect(document.querySelectorAll('script, img, iframe, object, embed, link, base, form, meta[http-equiv="refresh"]')).toHaveLength(0);
      const handlers = [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name).filter((name) => name.startsWith('on')));
      expect(handlers).toEqual([]);
      // Only the report's own elements: nothing was smuggled in under another name.
      const tags = new Set([...document.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()));
      expect([...tags].filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
      // As text: as it was seen, or percent-encoded where redaction parsed the address.
      expect(document.body.textContent).toContain(includePersonalData ? '<img src=x onerror=window.__pwned=1>' : '%3Cimg%20src=x%20onerror=window.__pwned=1%3E');
      expect(document.body.textContent).toContain('<b>tool</b>');
      expect(document.querySelector('title')!.textContent).toContain('Rapport van Privacylens');
    }
  });

  it('makes no request of its own: no address to load, a policy that forbids one, anchors only within the file', () => {
    const html = reportToHtml(hostileReport(), { language: 'en' });
    const document = parse(html);
    const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    for (const element of document.querySelectorAll('[href], [src], [srcset], [action], [formaction], [poster], [data]')) {
      expect(element.getAttribute('href') ?? '', element.outerHTML).toMatch(/^#page-\d+$/);
    }
    const css = [...document.querySelectorAll('style')].map((s) => s.textContent).join('\n');
    expect(css).not.toMatch(/url\(|@import|@font-face/);
  });

  it('leaves personal data out unless asked, and says which it is', () => {
    const report = hostileReport();
    const shared = reportToHtml(report, { language: 'en' });
    expect(shared).not.toContain('sanne');
    expect(shared).toContain('?[removed]');
    expect(parse(shared).querySelector('.notice')!.textContent).toBe('Personal data was left out of this report.');
    const full = reportToHtml(report, { language: 'en', includePersonalData: true });
    expect(parse(full).body.textContent).toContain('sanne@voorbeeld.nl');
    expect(parse(full).querySelector('.notice--warning')!.textContent).toContain('holds personal data');
  });

  it('draws the timeline of each page as inline SVG, with a legend and its table', () => {
    const report = hostileReport();
    const html = reportToHtml(report, { language: 'en', includePersonalData: true });
    const document = parse(html);
    const svg = document.querySelector('figure.tl svg[role="img"]')!;
    expect(svg).not.toBeNull();
    const layout = layoutTimeline(timelineOfPage(report.pages[0]!), { width: 960, ...timelineText(createTranslator('en')) });
    expect(svg.querySelectorAll('path.tl-mark')).toHaveLength(layout.marks.length);
    // Meta's hit after the refusal: a red cross, titled with its request.
    const against = [...svg.querySelectorAll('path.tl-mark--violation')].map((p) => p.querySelector('title')!.textContent);
    expect(against).toContain('0.9 s: Meta Pixel, Against your choice. https://www.facebook.com/tr/"><svg/onload=window.__pwned=1>');
    expect(svg.querySelector('line.tl-line title')!.textContent).toBe('0.5 s: consent changed, Cookie Information: everything refused');
    expect([...document.querySelectorAll('.tl-legend li')].map((li) => li.textContent)).toEqual(['Necessary', 'Consented', 'Cookieless ping', 'Unknown', 'Before your choice', 'Against your choice', 'not judged: not in the privacy policy', 'never arrived (struck through)', 'Change of consent']);
    const rows = [...document.querySelectorAll('.tl-table tbody tr')].map((tr) => tr.querySelector('td:nth-child(2)')!.textContent);
    expect(rows).toEqual(['Amazon Web Services', 'Meta Pixel', `${MARKUP.unlistedHost} (not named)`, 'Cookie Information', 'Meta Pixel']);
  });

  it('strikes through a request that never arrived, on the chart, in its table and in the list of requests', () => {
    const report = hostileReport();
    const page = report.pages[0]!;
    const meta = page.observations!.findIndex((o) => o.trackerId === 'meta-pixel' && o.at === new Date(T0 + 900).toISOString());
    page.observations![meta] = { ...page.observations![meta]!, stopped: true };
    const document = parse(reportToHtml(report, { language: 'en' }));
    const svg = document.querySelector('figure.tl svg')!;
    expect(svg.querySelectorAll('path.tl-strike')).toHaveLength(1);
    const faint = svg.querySelector('path.tl-mark--faint')!;
    expect(faint.getAttribute('class')).toContain('tl-mark--violation');
    expect(faint.querySelector('title')!.textContent).toMatch(/^0\.9 s: Meta Pixel, Against your choice\. 1 request never arrived\. https:/);
    expect([...document.querySelectorAll('.tl-table tbody tr')].at(-1)!.querySelector('td:nth-child(4)')!.textContent).toBe('1 (1 never arrived)');
    const tagged = [...document.querySelectorAll('td.address')].filter((td) => td.querySelector('.stopped-tag'));
    expect(tagged.map((td) => td.textContent)).toEqual([expect.stringMatching(/^never arrived GET https:\/\/www\.facebook\.com\/tr\//)]);
  });

  it('tags a request a service worker sent, and says once what that means', () => {
    const report = hostileReport();
    const page = report.pages[0]!;
    const meta = page.observations!.findIndex((o) => o.trackerId === 'meta-pixel');
    page.observations![meta] = { ...page.observations![meta]!, worker: true };
    for (const [language, note] of [['en', /^Marked ‘service worker’: sent by a service worker \(a script of the site that runs apart from the page\), not by the page itself\./], ['nl', /^Gemarkeerd met ‘service worker’: verstuurd door een service worker \(een script van de site dat los van de pagina draait\), niet door de pagina zelf\./]] as const) {
      const document = parse(reportToHtml(report, { language }));
      const tags = [...document.querySelectorAll('td.address .worker-tag')];
      expect(tags.map((tag) => tag.textContent)).toEqual(['service worker']);
      expect(tags[0]!.parentElement!.textContent).toMatch(/^service worker GET https:\/\/www\.facebook\.com\//);
      // Not a stopped request's tag, and said once, in the page's text, above the list.
      expect(document.querySelectorAll('td.address .stopped-tag')).toHaveLength(0);
      const notes = [...document.querySelectorAll('p.meta')].filter((p) => note.test(p.textContent!));
      expect(notes).toHaveLength(1);
    }
    // A page without one has no note.
    expect(parse(reportToHtml(hostileReport(), { language: 'en' })).body.textContent).not.toContain('service worker');
  });

  it('is written in the chosen language', () => {
    const nl = parse(reportToHtml(hostileReport(), { language: 'nl' }));
    expect(nl.documentElement.getAttribute('lang')).toBe('nl');
    expect(nl.querySelector('h1')!.textContent).toBe('Rapport van Privacylens');
    expect(nl.body.textContent).toContain('Tegen je keuze');
    expect(nl.body.textContent).toContain('0,9 s');
    // A finding the report only has in English is marked as English.
    expect(nl.querySelector('.findings li[lang="en"]')).not.toBeNull();
    const en = parse(reportToHtml(hostileReport(), { language: 'en' }));
    expect(en.body.textContent).toContain('Against your choice');
    expect(en.querySelector('.findings li[lang]')).toBeNull();
  });

  it('says, beside a tracker’s requests, how many never arrived', () => {
    const report = hostileReport();
    const meta = report.pages[0]!.trackers.find((t) => t.id === 'meta-pixel')!;
    const cell = (html: string) => [...parse(html).querySelectorAll('tr')].find((row) => row.querySelector('td small')?.textContent === 'Meta Platforms Ireland Limited')!.querySelectorAll('td')[2]!.textContent;
    expect(cell(reportToHtml(report, { language: 'nl' }))).toBe('2');
    meta.stopped = 1;
    expect(cell(reportToHtml(report, { language: 'nl' }))).toBe('21 niet aangekomen');
    expect(cell(reportToHtml(report, { language: 'en' }))).toBe('21 never arrived');
  });

  it('says so when there is nothing to draw, and reads a report it wrote itself back', () => {
    const empty = buildReport([], { name: 't', version: '1' }, { catalogVersion: CATALOG_VERSION, now: T0 });
    expect(parse(reportToHtml(empty, { language: 'en' })).body.textContent).toContain('This report has no pages.');
    const page = pageReport(visitFromTab(newTabState(1, 'v', `${SHOP}/`, T0)), null);
    const quiet = buildReport([page], { name: 't', version: '1' }, { catalogVersion: CATALOG_VERSION, now: T0 });
    expect(parse(reportToHtml(quiet, { language: 'en' })).body.textContent).toContain('No requests to show.');
    expect(parseReport(JSON.stringify(hostileReport())).ok).toBe(true);
  });

  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('uses the colours of the extension’s own theme', () => {
    const theme = readFileSync(resolve(import.meta.dirname, '../../../components/theme.css'), 'utf8');
    // The dark blocks are the ones inside `@media (prefers-color-scheme: dark) { :root { … } }`.
    const darkBlocks = [...theme.matchAll(/@media \(prefers-color-scheme: dark\) \{\s*:root \{([^}]*)\}\s*\}/g)].map((m) => m[1]!);
    const dark = darkBlocks.join('\n');
    const light = darkBlocks.reduce((css, block) => css.replace(block, ''), theme);
    const value = (css: string, name: string) => [...css.matchAll(new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'gi'))].map((m) => m[1]!.toLowerCase());
    for (const [name, colour] of Object.entries(REPORT_PALETTE.light)) expect(value(light, name), name).toContain(colour);
    for (const [name, colour] of Object.entries(REPORT_PALETTE.dark)) expect(value(dark, name), name).toContain(colour);
  });
});

const ALLOWED_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'footer', 'nav', 'ol', 'ul', 'li', 'a', 'h1', 'h2', 'h3', 'p', 'section', 'figure', 'figcaption', 'svg', 'title', 'rect', 'text', 'line', 'path', 'details', 'summary', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'small', 'br']);
