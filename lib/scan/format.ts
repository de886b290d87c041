import type { ScanResult } from './run';

/** The scan as a person reads it in a terminal: one block per page, one line per tracker. */
export function formatScan(result: ScanResult): string {
  const lines: string[] = [];
  for (const page of result.pages) {
    lines.push('', page.url);
    if (page.error) {
      lines.push(`  could not be scanned: ${page.error}`);
      continue;
    }
    if (!page.summary) {
      lines.push('  not a page of the shop: nothing collected');
      continue;
    }
    const rows = page.summary.companies.flatMap((company) =>
      company.entries.map((entry) => [entry.product, company.company, entry.category, String(entry.requests), entry.cookies.map((c) => c.name).join(' ') || '-']),
    );
    if (rows.length === 0) lines.push('  named in the privacy policy: none active');
    else lines.push('  named in the privacy policy:', ...table(['tracker / processor', 'company', 'category', 'requests', 'cookies'], rows).map((l) => `    ${l}`));
    if (page.summary.unlisted.length === 0) lines.push('  not named in the privacy policy: none');
    else {
      lines.push('  NOT named in the privacy policy:');
      for (const { host, requests } of page.summary.unlisted) lines.push(`    ${host}  (${requests} ${requests === 1 ? 'request' : 'requests'})`);
    }
  }
  lines.push('', `catalog ${result.catalogVersion} · ${result.tool.name} ${result.tool.version}${result.demo ? ' · offline demo shop' : ''}`);
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
