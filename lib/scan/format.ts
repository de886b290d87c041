import { getEntry, getPromise } from '../catalog';
import { THIRD_PARTY_PURPOSE_LABELS, countryName, type ThirdPartyPurpose } from '../catalog/third-parties';
import type { Report } from '../report';

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
export function formatScan(report: Report, { demo, skipped }: { demo: boolean; skipped: string[] }): string {
  const lines: string[] = [];
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
        String(t.requests),
        (VERDICT_WORDS[t.verdict] ?? t.verdict) + (t.cookieEvidence ? ` (cookie ${t.cookieEvidence.name}${t.cookieEvidence.by === 'server' ? ', set by the shop server' : ''})` : ''),
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
    const findings = page.findings.filter((f) => f.kind !== 'unlisted-third-party');
    if (findings.length > 0) lines.push('  findings:', ...findings.map((f) => `    - ${f.kind}: ${f.detail}`));
    if (page.promises.length > 0) {
      const rows = page.promises.map((p) => [p.id, PROMISE_WORDS[p.status], getPromise(p.id).title.en, p.evidence]);
      lines.push('  promises of the privacy policy:', ...table(['promise', 'status', 'in short', 'evidence'], rows).map((l) => `    ${l}`));
    }
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
