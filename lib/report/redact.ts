import type { Report } from './schema';

const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Long digit or hex runs in a path: order numbers, ids. */
const ID_IN_PATH = /\b(?:[0-9]{5,}|[0-9a-f]{16,}|[A-Z]{2,5}-[0-9]{3,})\b/gi;

/**
 * A report with personal data taken out, for sharing with support: query strings (where e-mail
 * addresses, order numbers and tracking ids travel) are cut, e-mail addresses and id-like runs in
 * paths are masked, and cookie values were never in a report to begin with.
 */
export function redactReport(report: Report): Report {
  return {
    ...report,
    redacted: true,
    pages: report.pages.map((page) => ({
      ...page,
      url: redactUrl(page.url),
      findings: page.findings.map((f) => ({ ...f, detail: f.detail.replace(EMAIL, '[e-mail]') })),
      ...(page.observations ? { observations: page.observations.map((o) => ({ ...o, url: redactUrl(o.url) })) } : {}),
    })),
  };
}

export function redactUrl(url: string): string {
  let base = url;
  try {
    const parsed = new URL(url);
    base = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
    if (parsed.search) base += '?[removed]';
  } catch {
    base = url.split(/[?#]/)[0]!;
  }
  return base.replace(EMAIL, '[e-mail]').replace(ID_IN_PATH, '[id]');
}
