// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MESSAGE_REFUSED, NO_VISIT_YET, REPORT_SAVED } from '@/lib/messages/answers';
import { createReportSender, sendReliably } from '@/lib/observe/content-channel';
import { startResourceReporter } from '@/lib/observe/page-reporter';

/**
 * A content script's reports reach a service worker that may be stopped at any moment. Chromium then
 * ends a message on its way with an answer of nothing (measured: lib/messages/answers.ts), which must
 * not read as delivered: the report would be gone, unread.
 */
describe('a content script’s reports, when the worker’s answer does not come', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it.each<[string, unknown[], number]>([
    ['sends a banner or consent report again while the answer is nothing (or an error), until it is saved', [undefined, new Error('channel closed'), REPORT_SAVED], 3],
    ['sends it again while the tab has no visit to take it into yet, until it is saved', [NO_VISIT_YET, NO_VISIT_YET, REPORT_SAVED], 3],
    ['stops at a refusal, which another try would only repeat', [MESSAGE_REFUSED], 1],
    ['gives up after five tries (the extension may be gone)', Array<undefined>(9).fill(undefined), 5],
  ])('%s', async (_title, answers, sends) => {
    const queue = [...answers];
    const send = vi.fn(() => {
      const answer = queue.shift();
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    });
    const sending = sendReliably(send, { type: 'consent-banner' });
    await vi.runAllTimersAsync();
    await sending;
    expect(send).toHaveBeenCalledTimes(sends);
  });

  it('keeps the page’s resources whose report was answered with nothing, and delivers them with the next', async () => {
    type Entry = { name: string; initiatorType: string; startTime: number };
    let deliver!: (entries: Entry[]) => void;
    // The page's first report, at once and empty, then the one answered with nothing.
    const answers: unknown[] = [REPORT_SAVED, undefined, REPORT_SAVED, REPORT_SAVED];
    const sent: { resources: { url: string; seq: number }[] }[] = [];
    const reporter = startResourceReporter({
      send: (message) => {
        sent.push(message as (typeof sent)[number]);
        return Promise.resolve(answers.shift());
      },
      onInvalidated: () => undefined,
      observe: (onEntries) => {
        deliver = onEntries;
        return { stop: () => undefined, take: () => undefined };
      },
      intervalMs: 250,
    });
    deliver([{ name: 'https://connect.facebook.net/en_US/fbevents.js', initiatorType: 'script', startTime: 12 }]);
    await vi.advanceTimersByTimeAsync(250);
    // The answer was nothing: the worker may never have read it. Asked to report now, the page sends it again.
    await reporter.reportNow();
    deliver([{ name: 'https://bat.bing.com/action/0?evt=custom', initiatorType: 'img', startTime: 40 }]);
    await reporter.reportNow();
    const urls = sent.map((message) => message.resources.map((r) => `${r.seq} ${r.url}`));
    expect(urls).toEqual([
      [],
      ['1 https://connect.facebook.net/en_US/fbevents.js'],
      // The same entry, with the same number: the worker counts it once whichever report it read.
      ['1 https://connect.facebook.net/en_US/fbevents.js'],
      ['2 https://bat.bing.com/action/0?evt=custom'],
    ]);
  });

  /** The page reporter over a scripted background: each report gets the next answer, then REPORT_SAVED. */
  function reporterAnswering(answers: unknown[]) {
    let deliver!: (entries: { name: string; initiatorType: string; startTime: number }[]) => void;
    const sent: { resources: { url: string; seq: number }[] }[] = [];
    const reporter = startResourceReporter({
      send: (message) => {
        sent.push(message as (typeof sent)[number]);
        return Promise.resolve(answers.length ? answers.shift() : REPORT_SAVED);
      },
      onInvalidated: () => undefined,
      observe: (onEntries) => {
        deliver = onEntries;
        return { stop: () => undefined, take: () => undefined };
      },
      intervalMs: 250,
    });
    return { sent, reporter, deliver: (url: string, startTime = 5) => deliver([{ name: url, initiatorType: 'script', startTime }]) };
  }

  it('keeps the page’s resources while the tab has no visit yet, and delivers them once it has', async () => {
    const page = reporterAnswering([NO_VISIT_YET, NO_VISIT_YET]);
    page.deliver('https://connect.facebook.net/en_US/fbevents.js');
    await vi.advanceTimersByTimeAsync(250 * 5);
    // The first report goes at once, empty: told that no visit has begun, as is the next; saved at the
    // second tick, and nothing more to send after it.
    expect(page.sent.map((message) => message.resources.map((r) => r.seq))).toEqual([[], [1], [1]]);
  });

  it('tries again for a visit once a report is saved', async () => {
    const page = reporterAnswering([...Array<unknown>(13).fill(NO_VISIT_YET), REPORT_SAVED, NO_VISIT_YET]);
    page.deliver('https://connect.facebook.net/en_US/fbevents.js');
    await vi.advanceTimersByTimeAsync(250 * 40);
    page.deliver('https://bat.bing.com/action/0?evt=custom');
    await vi.advanceTimersByTimeAsync(250 * 40);
    page.deliver('https://www.googletagmanager.com/gtm.js?id=GTM-1');
    await vi.advanceTimersByTimeAsync(250 * 40);
    // Let go after 13 sends; the next report saved; the one after it sent again after its "no visit yet".
    expect(page.sent.map((message) => message.resources.map((r) => r.seq))).toEqual([...Array<number[]>(13).fill([1]).map((seqs, i) => (i === 0 ? [] : seqs)), [2], [3], [3]]);
  });

  it('lets a report go after about 3 s of "no visit yet", instead of waking the worker every tick for ever', async () => {
    const page = reporterAnswering(Array<unknown>(100).fill(NO_VISIT_YET));
    page.deliver('https://connect.facebook.net/en_US/fbevents.js');
    await vi.advanceTimersByTimeAsync(250 * 40);
    // The first (empty) send and twelve more, the thirteenth answer lets it go; nothing is sent after it.
    expect(page.sent).toHaveLength(13);
    // A later report is let go at its first "no visit yet", not tried for another 3 s: a page that keeps
    // loading would otherwise message the worker four times a second for as long as it is open.
    page.deliver('https://bat.bing.com/action/0?evt=custom');
    await vi.advanceTimersByTimeAsync(250 * 40);
    expect(page.sent).toHaveLength(14);
    expect(page.sent.at(-1)!.resources.map((r) => r.seq)).toEqual([2]);
  });

  it('announces the page again, even with nothing to report, once the back/forward cache shows it again', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const sent: { resources: { seq: number }[] }[] = [];
    const reporter = startResourceReporter({
      // Each answer waits for the test: the second announcement is asked for while the first is on its way.
      send: (message) => {
        sent.push(message as (typeof sent)[number]);
        return new Promise((resolve) => (answer = resolve));
      },
      onInvalidated: () => undefined,
      observe: () => ({ stop: () => undefined, take: () => undefined }),
      intervalMs: 250,
    });
    expect(sent).toHaveLength(1);
    reporter.announceAgain(60_000);
    answer(REPORT_SAVED);
    await vi.advanceTimersByTimeAsync(0);
    // The first answer came after the page was shown again: it announced the first showing only.
    expect(sent).toHaveLength(2);
    answer(REPORT_SAVED);
    await vi.advanceTimersByTimeAsync(250 * 4);
    expect(sent).toHaveLength(2);
    reporter.announceAgain(90_000);
    answer(REPORT_SAVED);
    await vi.advanceTimersByTimeAsync(250 * 4);
    expect(sent.map((message) => message.resources)).toEqual([[], [], []]);
  });

  it('drops what the page loaded before it was shown again: its earlier visit has ended', async () => {
    // The report at pagehide went unanswered (Chromium closes a cached page's channel): its entry stays queued.
    const answers: unknown[] = [REPORT_SAVED, undefined, undefined, undefined];
    const { sent, reporter, deliver } = reporterAnswering(answers);
    deliver('https://connect.facebook.net/en_US/fbevents.js', 1_200);
    await vi.advanceTimersByTimeAsync(500);
    expect(answers).toEqual([]);
    const before = sent.length;
    reporter.announceAgain(60_000);
    // One the browser hands over late, loaded before the showing, and one loaded since.
    deliver('https://bat.bing.com/action/0?evt=custom', 59_000);
    deliver('https://www.facebook.com/tr/?id=1&ev=PageView', 60_040);
    await reporter.reportNow();
    // Before: the script, never answered. Since: the showing's announcement, then only what it loaded.
    expect(sent.slice(0, before).map((message) => message.resources.map((r) => r.url))).toEqual([[], ...Array<string[]>(before - 1).fill(['https://connect.facebook.net/en_US/fbevents.js'])]);
    expect(sent.slice(before).map((message) => message.resources.map((r) => r.url))).toEqual([[], ['https://www.facebook.com/tr/?id=1&ev=PageView']]);
  });
});

/**
 * "Report now" is answered apart from the banner and consent reports, and the answer can reach the
 * background first: the content script answers only once they have arrived too.
 */
describe('the page’s reports on their way when the background asks for everything', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('says everything is delivered only once each report sent so far is saved, after its retries', async () => {
    const answers: ((answer: unknown) => void)[] = [];
    const reports = createReportSender(() => new Promise((answer) => answers.push(answer)));
    let delivered = false;
    void reports.send({ type: 'consent-banner', cmp: 'cookie-information', showing: true, at: 1 });
    void reports.delivered().then(() => (delivered = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toBe(false);
    // Answered with nothing (a worker being stopped): sent again 200 ms later, still on its way.
    answers.shift()!(undefined);
    await vi.advanceTimersByTimeAsync(200);
    expect(answers).toHaveLength(1);
    expect(delivered).toBe(false);
    answers.shift()!(REPORT_SAVED);
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toBe(true);
  });

  it('does not wait for reports saved before the question, and gives up with sendReliably', async () => {
    const reports = createReportSender(() => Promise.resolve(REPORT_SAVED));
    await reports.send({ type: 'page-consent', report: {} });
    let delivered = false;
    void reports.delivered().then(() => (delivered = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toBe(true);
    const unanswered = createReportSender(() => Promise.resolve(undefined));
    void unanswered.send({ type: 'consent-banner' });
    let givenUp = false;
    void unanswered.delivered().then(() => (givenUp = true));
    await vi.runAllTimersAsync();
    expect(givenUp).toBe(true);
  });
});
