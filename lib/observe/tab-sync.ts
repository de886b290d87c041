import type { VisitJudgement } from '../consent/judge';
import type { Stance } from '../consent/stance';
import type { LogWriter } from '../db/writer';
import type { RightsDigest } from '../promises';
import type { Translator } from '../i18n';
import { badgeFor, type Badge } from './badge';
import { findingRows, judgeTab, judgeTabPromises, visitRow } from './judge-tab';
import type { TabState } from './tab-state';

type WebExtension = typeof import('wxt/browser').browser;

/** Closed tabs' visits whose written rows are remembered: their last hits come within seconds of the close. */
const MAX_CLOSED_VISITS = 20;

/**
 * What follows a tab's state when it changes: its judgement, written to the log (the visit's row the
 * history lists, and the findings a page reads), and its toolbar badge. Rows are written only when
 * they changed, so a redraw or a rejudge does not rewrite the log.
 */
export function createTabSync({
  browser,
  writer,
  t,
  stance,
  rights = () => null,
  strings,
  now = Date.now,
}: {
  browser: WebExtension;
  writer: Pick<LogWriter, 'put'>;
  t: Translator;
  stance(): Stance;
  /** The customer's rights requests, for the promise of an answer within a month; null until known. */
  rights?(): RightsDigest[] | null;
  /**
   * Settles when `t` has its strings (a woken worker reads them while it already handles events):
   * the badge's title is written in them, so a badge waits for them; nothing else here does.
   */
  strings?: Promise<unknown>;
  now?(): number;
}) {
  // Read on the first draw: the browser builds an API's bindings on first use (2-4 ms for `action`
  // in a profile), and a woken worker's event waits for everything its first task does.
  const action = () => browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  /** Per tab: the visit whose rows were written, its row as last written, the findings written. */
  const written = new Map<number, { visitId: string; visit: string; findings: Set<string> }>();
  /** The same for the visits of closed tabs that their pages' last hits changed, the latest MAX_CLOSED_VISITS. */
  const writtenClosed = new Map<string, { visit: string; findings: Set<string> }>();
  /**
   * Per tab: the badge as last drawn. Most changes of a tab's state leave its badge as it was, and
   * three calls into the browser per change were a tenth of the worker's time during a page load; a
   * change draws only what changed (a new count, a new text and title; its colour stays).
   */
  const drawn = new Map<number, Pick<Badge, 'text' | 'color' | 'tone'>>();
  // Set by the first callback on `strings`: the draws that waited for it run after, in their order.
  let stringsHere = strings === undefined;
  void strings?.finally(() => void (stringsHere = true));

  function logVisit(state: TabState, judgement: VisitJudgement) {
    let memo = written.get(state.tabId);
    if (memo?.visitId !== state.visitId) written.set(state.tabId, (memo = { visitId: state.visitId, visit: '', findings: new Set() }));
    writeVisit(state, judgement, memo);
  }

  /** Writes the visit's row and its new findings, unless `memo` says they were written as they are. */
  function writeVisit(state: TabState, judgement: VisitJudgement, memo: { visit: string; findings: Set<string> }) {
    // Stored with the visit: the history lists it, and a rights letter cites what was broken then.
    const visit = visitRow(state, judgement, judgeTabPromises(state, judgement, { rights: rights(), now: now() }));
    const text = JSON.stringify(visit);
    if (text !== memo.visit) {
      memo.visit = text;
      writer.put('visits', visit);
    }
    // Only the unnamed parties are read back from the log (the rights composer lists them); they
    // only ever grow within a visit, so no finding row goes stale.
    for (const row of findingRows(state.visitId, judgement)) {
      if (row.kind !== 'unlisted-third-party' || memo.findings.has(row.id)) continue;
      memo.findings.add(row.id);
      writer.put('findings', row);
    }
  }

  function redrawBadge(tabId: number, state: TabState | undefined, judgement: VisitJudgement | null, { force }: { force: boolean }): Promise<unknown> {
    if (!stringsHere) return strings!.finally(() => redrawBadge(tabId, state, judgement, { force }));
    if (!state) {
      // No visit on this tab (it left the shop, or never was on it): the tab shows the badge every tab
      // shares, the deadline check's "!". A page that finished loading has it already (the browser
      // resets a tab's own badge when it navigates); drawing an empty one would hide it.
      const had = drawn.delete(tabId);
      // `null`, not '': both browsers then show the shared text on the tab (Chrome's and Firefox's
      // documentation of setBadgeText), which the types here do not know.
      return force || !had ? settled() : settled(() => action().setBadgeText({ tabId, text: null as unknown as string }));
    }
    const { text, color, tone } = badgeFor(state, judgement);
    const before = force ? undefined : drawn.get(tabId);
    drawn.set(tabId, { text, color, tone });
    const calls: (() => Promise<unknown>)[] = [];
    if (before?.text !== text) calls.push(() => action().setBadgeText({ tabId, text }));
    if (before?.color !== color) calls.push(() => action().setBadgeBackgroundColor({ tabId, color }));
    // The title follows from the tone and the text: written out (plural rules, number formats) only
    // when one of them changed, which is seldom, not on every change of the tab's state.
    if (before?.text !== text || before.tone !== tone) {
      const title = tone === 'none' ? t.t('actionTitle') : tone === 'violation' ? t.t('badgeTitleViolation') : t.plural('badgeTitleActive', Number.parseInt(text, 10));
      calls.push(() => action().setTitle({ tabId, title }));
    }
    return settled(...calls);
  }

  /**
   * The browser's calls, none of whose failures reaches the caller: a tab may be gone by the time its
   * badge is written, which is not an error worth a log line (nor one thrown into the tab store).
   */
  const settled = (...calls: (() => Promise<unknown>)[]) => Promise.allSettled(calls.map((call) => Promise.resolve().then(call)));

  return {
    /** The tab store's `onChange`: judge, log what changed, draw the badge. */
    onChange(tabId: number, state: TabState | undefined) {
      if (!state) written.delete(tabId);
      const judgement = state ? judgeTab(state, stance()) : null;
      if (state && judgement) logVisit(state, judgement);
      return redrawBadge(tabId, state, judgement, { force: false });
    },
    /**
     * A visit whose tab closed, as it closed and when its page's last hits change it (the observer's
     * closedVisitChanged): judged, and its row and findings written where they changed; no badge, its
     * tab is gone.
     */
    closedVisitChanged(state: TabState) {
      let memo = writtenClosed.get(state.visitId);
      if (!memo) {
        // What was written while its tab was open, if the store has not yet told of the close.
        const open = written.get(state.tabId);
        memo = open?.visitId === state.visitId ? { visit: open.visit, findings: new Set(open.findings) } : { visit: '', findings: new Set() };
        writtenClosed.set(state.visitId, memo);
        if (writtenClosed.size > MAX_CLOSED_VISITS) writtenClosed.delete(writtenClosed.keys().next().value!);
      }
      writeVisit(state, judgeTab(state, stance()), memo);
    },
    /**
     * The badge again, from the state as it is, whatever was drawn before: Chromium clears a tab's
     * badge when its page commits, behind the extension's back.
     */
    redrawBadge(tabId: number, state: TabState | undefined) {
      return redrawBadge(tabId, state, state ? judgeTab(state, stance()) : null, { force: true });
    },
  };
}
