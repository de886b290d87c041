import { getEntry, nameThirdParty, type EntryId } from '../catalog';
import { splitUrl } from '../classify/url';
import type { Verdict } from '../consent/judge';
import type { Translator } from '../i18n';
import { SOURCE_KEYS, VERDICT_KEYS, consentText } from '../i18n/words';
import type { TimelineConsent } from './input';
import type { TimelineLayout, TimelineLine, TimelineMark } from './layout';

/** The chart's words in one language, for the page component and the HTML report alike. */
export interface TimelineText {
  rowLabel(entryId: EntryId | null): string;
  consentLabel(change: TimelineConsent): string;
  /** A moment on the page's clock: "1.25 s", "1,25 s". */
  seconds(ms: number): string;
  verdict(verdict: Verdict | null): string;
  /** Who a request went to: the tracker, or for an unnamed host who is behind it when known. */
  who(entryId: EntryId | null, url: string): string;
  /** What hovering or focusing a mark says, and its accessible name. */
  mark(mark: TimelineMark): string;
  /** A mark's count for the table: "5", or "5 (3 niet aangekomen)". */
  count(mark: TimelineMark): string;
  line(line: TimelineLine): string;
  /** The chart's accessible name. */
  label(layout: TimelineLayout): string;
}

/** A tracker's name without the parenthesis (“Meta Pixel (Facebook)” → “Meta Pixel”): rows are narrow. */
export const shortProduct = (entryId: EntryId) => getEntry(entryId).product.split(' (')[0]!;

export function timelineText(translator: Translator): TimelineText {
  const { t } = translator;
  const number = new Intl.NumberFormat(translator.language === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 2 });
  const seconds = (ms: number) => t('timelineSeconds', { value: number.format(Math.max(0, ms) / 1000) });
  const verdict = (v: Verdict | null) => (v ? t(VERDICT_KEYS[v].label) : t('timelineNotJudged'));
  const who = (entryId: EntryId | null, url: string) => {
    if (entryId) return shortProduct(entryId);
    const host = splitUrl(url)?.host ?? url;
    const party = nameThirdParty(host);
    return `${host} (${t('notNamed')}${party ? `: ${party.company}` : ''})`;
  };
  const consentLabel = (change: TimelineConsent) => {
    const source = t(SOURCE_KEYS[change.source]);
    if (change.at < 0) return t('timelineBeforePage', { source });
    return change.signal ? t(change.signal === 'default' ? 'timelineSignal_default' : 'timelineSignal_update', { source }) : source;
  };
  return {
    rowLabel: (entryId) => (entryId ? shortProduct(entryId) : t('timelineUnnamedRow')),
    consentLabel,
    seconds,
    verdict,
    who,
    mark(mark) {
      const stopped = mark.stopped ? ` ${translator.plural('timelineMarkStopped', mark.stopped)}` : '';
      const values = { who: who(mark.first.entryId, mark.first.url), verdict: verdict(mark.verdict), stopped, address: mark.first.url };
      return mark.count === 1 ? t('timelineMark', { ...values, time: seconds(mark.from) }) : t('timelineMarks', { ...values, count: mark.count, from: seconds(mark.from), to: seconds(mark.to) });
    },
    count: (mark) => (mark.stopped ? `${translator.formatNumber(mark.count)} (${t('reportStopped', { count: mark.stopped })})` : translator.formatNumber(mark.count)),
    line: (line) => t('timelineConsentMark', { time: line.change.at < 0 ? consentLabel(line.change) : seconds(line.change.at), text: consentText(line.change, t) }),
    label: (layout) => t('timelineLabel', { requests: layout.requests, rows: layout.rows.length, changes: layout.lines.length }),
  };
}
