import { getEntry, getPromise } from '../catalog';
import { THIRD_PARTY_PURPOSE_LABELS, countryName, type ThirdPartyPurpose } from '../catalog/third-parties';
import type { Report } from '../report';
import { HAR_CANNOT_SHOW, HAR_LIMIT_WORDS } from './har-file';

const VERDICT_WORDS: Record<string, string> = {
  necessary: 'necessary (no consent needed)',
  consented: 'consented',
  'denied-ping': 'cookieless ping (warning)',
  unknown: 'unknown (no consent record)',
  'before-choice': 'BEFORE CHOICE',
  'against-choice': 'AGAINST CHOICE',
};

const PROMISE_WORDS = { kept: 'kept', broken: 'BROKEN', unknown: 'cannot tell' } as const;

/** The report as a person reads it in a terminal: one block per page, one line per tracker. */
export function formatScan(report: Report, { demo, skipped, failed = [] }: { demo: boolean; skipped: string[]; failed?: { url: string; reason: string }[] }): string {
  const lines: string[] = [];
  const fromHar = report.pages.some((p) => p.capture?.from === 'har');
  if (fromHar) {
    const capture = report.pages[0]!.capture!;
    lines.push(`Judged from a HAR file (${capture.creator}), not seen live.`, ...wrap(HAR_CANNOT_SHOW, 100));
    if (!capture.cookies) lines.push('This HAR holds no cookies at all (a "sanitized" export): the consent platform’s record could not be read from it.');
  }
  for (const page of report.pages) {
    lines.push('', page.url);
    const consent = page.consent;
    lines.push(
      consent.source === 'none'
        ? '  consent: no choice recorded'
        : `  consent (${consent.source}${consent.from === 'consent-mode' ? ', read from Google Consent Mode: no banner record could be read' : ''}, ${consent.decidedAt}): granted ${consent.granted.filter((c) => c !== 'necessary').join(', ') || 'nothing optional'}; refused ${consent.denied.join(', ') || 'nothing'}`,
    );
    if (consent.banner && consent.from !== 'record') lines.push(`  banner: ${consent.banner}; its record could not be read`);
    if (page.trackers.length === 0) lines.push('  named in the privacy policy: none active');
    else {
      const rows = page.trackers.map((t) => [
        getEntry(t.id).product,
        t.company,
        t.category,
        String(t.requests) + (t.stopped ? ` (${t.stopped} never arrived)` : ''),
        (VERDICT_WORDS[t.verdict] ?? t.verdict) + (t.cookieEvidence ? ` (cookie ${t.cookieEvidence.name}${t.cookieEvidence.by === 'server' ? ', set by the shop server' : ''})` : '') + (t.harLimits?.length ? ` [?${t.harLimits.length > 1 ? ` ${t.harLimits.length}` : ''}]` : ''),
        t.cookies.join(' ') || '-',
        t.relays.map((r) => r.host).join(' ') || '-',
      ]);
      lines.push('  named in the privacy policy:', ...table(['tracker / processor', 'company', 'category', 'requests', 'verdict', 'cookies', 'through'], rows).map((l) => `    ${l}`));
    }
    if (page.unlisted.length > 0) {
      lines.push('  NOT named in the privacy policy:');
      for (const { host, requests, company, country, purpose } of page.unlisted) {
        const who = company ? `  ${company}${country ? ` (${countryName(country, 'en')})` : ''}${purpose && purpose in THIRD_PARTY_PURPOSE_LABELS ? `, ${THIRD_PARTY_PURPOSE_LABELS[purpose as ThirdPartyPurpose].en}` : ''}` : '  (unknown company)';
        lines.push(`    ${host}  (${requests} ${requests === 1 ? 'request' : 'requests'})${who}`);
      }
    }
    const marked = page.trackers.filter((t) => t.harLimits?.length);
    if (marked.length > 0) lines.push('  [?] what the verdict rests on that a HAR cannot show:', ...marked.map((t) => `    ${getEntry(t.id).product}: ${t.harLimits!.map((l) => HAR_LIMIT_WORDS[l] ?? l).join('; ')}`));
    const findings = page.findings.filter((f) => f.kind !== 'unlisted-third-party');
    if (findings.length > 0) lines.push('  findings:', ...findings.map((f) => `    - ${f.kind}: ${f.detail}`));
    if (page.promises.length > 0) {
      const rows = page.promises.map((p) => [p.id, PROMISE_WORDS[p.status], getPromise(p.id).title.en, p.evidence]);
      lines.push('  promises of the privacy policy:', ...table(['promise', 'status', 'in short', 'evidence'], rows).map((l) => `    ${l}`));
    }
  }
  for (const url of skipped) lines.push('', url, '  not a page of the shop: nothing collected');
  for (const { url, reason } of failed) lines.push('', url, `  DID NOT LOAD: ${reason}`);
  if (report.summary) lines.push('', ...formatSummary(report));
  lines.push('', `report schema ${report.schemaVersion} · catalog ${report.catalogVersion} · ${report.tool.name} ${report.tool.version}${demo ? ' · offline demo shop' : ''}`);
  return lines.join('\n');
}

/** The site's summary: one line per tracker across the pages, the worst first. */
function formatSummary(report: Report): string[] {
  const summary = report.summary!;
  const site = report.site;
  const how = site ? `${site.source === 'urls' ? 'a list of URLs' : `${site.source} ${site.start}`}${site.shards.length ? `, shard${site.shards.length > 1 ? 's' : ''} ${site.shards.map((s) => `${s.index}/${s.count}`).join(' ')}` : ''}` : 'merged reports';
  const lines = [`Across ${summary.pages} ${summary.pages === 1 ? 'page' : 'pages'} (${how}): ${summary.pagesWithViolations} with a tracker before or against the choice`];
  const rows = summary.trackers.map((t) => [getEntry(t.id).product, String(t.pages), String(t.violations), t.firstPage, t.firstViolation ?? '-']);
  if (rows.length) lines.push(...table(['tracker / processor', 'pages', 'violations', 'first seen on', 'first violation on'], rows).map((l) => `  ${l}`));
  if (summary.unlisted.length) lines.push('  NOT named in the privacy policy:', ...summary.unlisted.map((u) => `    ${u.host}  (${u.pages} ${u.pages === 1 ? 'page' : 'pages'}, first on ${u.firstPage})`));
  if (site?.failed.length) lines.push(`  not covered (did not load): ${site.failed.map((f) => f.url).join(', ')}`);
  return lines;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
