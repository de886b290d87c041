import { getEntry } from '../catalog';
import type { Report } from '../report';

const VERDICT_WORDS: Record<string, string> = {
  necessary: 'necessary (no consent needed)',
  consented: 'consented',
  'denied-ping': 'cookieless ping (warning)',
  unknown: 'unknown (no consent record)',
  'before-choice': 'BEFORE CHOICE',
  'against-choice': 'AGAINST CHOICE',
};

/** The report as a person reads it in a terminal: one block per page, one line per tracker. */
export function formatScan(report: Report, { demo, skipped }: { demo: boolean; skipped: string[] }): string {
  const lines: string[] = [];
  for (const page of report.pages) {
    lines.push('', page.url);
    const consent = page.consent;
    lines.push(
      consent.source === 'none'
        ? '  consent: no choice recorded'
        : `  consent (${consent.source}, ${consent.decidedAt}): granted ${consent.granted.filter((c) => c !== 'necessary').join(', ') || 'nothing optional'}; refused ${consent.denied.join(', ') || 'nothing'}`,
    );
    if (page.trackers.length === 0) lines.push('  named in the privacy policy: none active');
    else {
      const rows = page.trackers.map((t) => [getEntry(t.id).product, t.company, t.category, String(t.requests), VERDICT_WORDS[t.verdict] ?? t.verdict, t.cookies.join(' ') || '-']);
      lines.push('  named in the privacy policy:', ...table(['tracker / processor', 'company', 'category', 'requests', 'verdict', 'cookies'], rows).map((l) => `    ${l}`));
    }
    if (page.unlisted.length > 0) {
      lines.push('  NOT named in the privacy policy:');
      for (const { host, requests } of page.unlisted) lines.push(`    ${host}  (${requests} ${requests === 1 ? 'request' : 'requests'})`);
    }
    const findings = page.findings.filter((f) => f.kind !== 'unlisted-third-party');
    if (findings.length > 0) lines.push('  findings:', ...findings.map((f) => `    - ${f.kind}: ${f.detail}`));
  }
  for (const url of skipped) lines.push('', url, '  not a page of the shop: nothing collected');
  lines.push('', `report schema ${report.schemaVersion} · catalog ${report.catalogVersion} · ${report.tool.name} ${report.tool.version}${demo ? ' · offline demo shop' : ''}`);
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
