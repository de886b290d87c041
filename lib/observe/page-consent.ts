import { categoriesFromConsentMode } from '../consent/consent-mode-commands';
import { normaliseCategories, type RecordCategory } from '../consent/model';
import { parseGppString, parseTcString } from '../consent/readers';
import type { PageConsentMessage } from '../messages/schema';
import type { PageConsentReport } from './observer';

/**
 * What the MAIN-world reader reported, as the observer takes it: records of the customer's choice
 * from the page's consent APIs, and the signals the shop sent the vendors' tags. The message is
 * already validated; the page's clock (`at`) is only ever an upper bound the observer clamps. A report
 * told `again`, to the visit of a page the back/forward cache showed again, holds a choice made (or a
 * signal sent) before that visit.
 */
export function readPageConsent(report: PageConsentMessage, { again = false } = {}): PageConsentReport | null {
  const read = readReport(report);
  return again && (read?.kind === 'record' || read?.kind === 'signal') ? { ...read, carriedOver: true } : read;
}

function readReport(report: PageConsentMessage): PageConsentReport | null {
  switch (report.source) {
    case 'tcf': {
      if (report.eventStatus === 'cmpuishown') return { kind: 'pending', cmp: 'tcf', seenAt: report.at };
      const record = parseTcString(report.tcString);
      // `tcloaded`: a stored choice, made before this page loaded.
      return record && { kind: 'record', record: { ...record, decidedAt: report.at }, carriedOver: report.eventStatus === 'tcloaded' };
    }
    case 'gpp': {
      const record = parseGppString(report.gppString);
      return record && { kind: 'record', record: { ...record, decidedAt: report.at }, carriedOver: false };
    }
    case 'cookie-information-api':
      return { kind: 'record', record: { source: 'cookie-information', decidedAt: report.at, ...consistent(report.granted, report.denied) }, carriedOver: false };
    case 'platform': {
      if (report.state === 'unanswered') return { kind: 'pending', cmp: report.platform, seenAt: report.at };
      // The reader looks the moment the platform's API appears, before anyone could click: an answer
      // there before its banner ever waited on this visit was made on an earlier one.
      return { kind: 'record', record: { source: report.platform, decidedAt: report.at, ...consistent(report.granted, report.denied) }, carriedOver: 'unless-banner-waited' };
    }
    case 'banner':
      return { kind: 'named', cmp: report.platform };
    case 'consent-mode':
      return { kind: 'signal', signal: { source: 'consent-mode', signal: report.command, decidedAt: report.at, ...categoriesFromConsentMode(report.values) } };
    case 'vendor-consent':
      return {
        kind: 'signal',
        signal: { source: report.vendor, signal: report.command, decidedAt: report.at, granted: report.granted ? ['marketing'] : [], denied: report.granted ? [] : ['marketing'] },
      };
  }
}

/** A category the page both grants and denies is not granted. */
function consistent(granted: readonly RecordCategory[], denied: readonly RecordCategory[]) {
  const refused = normaliseCategories(denied);
  return { granted: normaliseCategories(granted.filter((c) => !refused.includes(c))), denied: refused };
}
