import type { Report } from './schema';

/** `stopped` and then `service_worker` came last (2026-12), so a spreadsheet built on the earlier columns still reads them where they were. */
const HEADER = ['page_url', 'visited_at', 'at', 'tracker_id', 'company', 'host', 'url', 'type', 'method', 'status', 'verdict', 'stopped', 'service_worker'];

/**
 * One row per observation, for a spreadsheet; `stopped` is `true` for a request stopped before it was
 * sent (a blocker, the browser, the network), empty otherwise; `service_worker` is `true` for one a
 * service worker sent, not the page. Cells are quoted (RFC 4180), and a cell that starts
 * like a formula is prefixed with an apostrophe so a spreadsheet shows it instead of running it.
 */
export function reportToCsv(report: Report, companies: Record<string, string>): string {
  const rows = [HEADER];
  for (const page of report.pages) {
    for (const o of page.observations ?? []) {
      rows.push([page.url, page.visitedAt, o.at, o.trackerId ?? '', o.trackerId ? (companies[o.trackerId] ?? '') : '', o.host, o.url, o.type, o.method, o.status === null ? '' : String(o.status), o.verdict ?? '', o.stopped ? 'true' : '', o.worker ? 'true' : '']);
    }
  }
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
