/**
 * Cold starts of our worker and the control's (a worker that registers our listeners and does
 * nothing: the browser's floor), measured two ways at once:
 *
 * - the worker's own clock (lib/background/timings.ts), as `coldStarts` reads it;
 * - Chrome's trace of the whole browser, read for the service worker's thread. Nothing attaches to the
 *   worker: the DevTools protocol's profilers, attached from its first instruction, slowed a start three-
 *   to fivefold and showed 11-17 ms of garbage collection that a trace does not show at all.
 *
 * The two arms alternate in order (ours then the control, then the control then ours). What ran just
 * before a start can change it: in three runs, ours handled its first event 6-54 ms later after the
 * control's start than after its own (the control: 26 ms sooner to 4 ms later). Each arm's starts in
 * a row, as this section measured before, gave only the first kind, and a customer's cold start comes
 * after 30 s of other work: both kinds are reported.
 */
import type { ExtensionBrowser } from '../../lib/scan/chromium';
import { coldStarts, type ColdStart } from './page-load';
import { median } from './stats';

/**
 * What the worker's thread spent its time on before the first event was handled, from the trace (ms).
 * The events nest: `evaluated` (our script's top-level run) holds its lazy compiles; `codeCache` is a
 * part of `compiled`.
 */
export interface ThreadTimes {
  /** A new V8 isolate and context for the worker, from the browser's snapshot: the same for any worker. */
  isolate: number;
  /** The script compiled before it runs. */
  compiled: number;
  /** Of it, reading the code cache Chrome made when the extension was installed. */
  codeCache: number;
  /** The script's top-level run, lazy compiles included. */
  evaluated: number;
  /** Functions compiled as they were first called. */
  lazyCompiles: number;
  /** Promise callbacks: the start-up's reads, the first event's work. */
  microtasks: number;
  /** Scavenges and mark-compacts. */
  garbageCollection: number;
}

export interface TracedColdStart extends ColdStart {
  /** The previous start in this run was this arm's own (not the other browser's). */
  afterItself: boolean;
  thread: ThreadTimes;
}

const CATEGORIES = ['devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-v8.gc', 'disabled-by-default-v8.compile', 'toplevel'];

/** A trace event, as Chrome writes it: a name, a thread, a start and lengths in microseconds, and the arguments the benchmarks read. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** The thread's own time in the event: `dur` less the time it waited for a core. */
  tdur?: number;
  args?: { name?: string; frame?: string; data?: { url?: string; type?: string; documentLoaderURL?: string; isOutermostMainFrame?: boolean } };
}

const EVENTS: Record<keyof ThreadTimes, string[]> = {
  isolate: ['V8PerIsolateData::Initialize', 'V8.DeserializeIsolate', 'V8.DeserializeContext'],
  compiled: ['V8.CompileScript'],
  codeCache: ['V8.CompileDeserialize'],
  evaluated: ['v8.run'],
  lazyCompiles: ['V8.CompileCode'],
  microtasks: ['RunMicrotasks'],
  garbageCollection: ['MinorGC', 'MajorGC'],
};

/** One cold start of `ext`'s worker, with the browser traced from before the worker is stopped. */
async function tracedColdStart(ext: ExtensionBrowser, url: string): Promise<Omit<TracedColdStart, 'afterItself'>> {
  const cdp = await ext.browser.target().createCDPSession();
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) => void events.push(...(data.value as TraceEvent[])));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES, excludedCategories: ['*'] } });
  const [start] = await coldStarts(ext, url, 1);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return { ...start!, thread: workerThreadTimes(events, start!.firstRequestHandled) };
}

/**
 * The service worker thread's times up to `untilMs` after its first event. The thread is the busiest
 * one named a service worker's: the only worker that starts in a cold start.
 */
export function workerThreadTimes(events: TraceEvent[], untilMs: number): ThreadTimes {
  const workerThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && /ServiceWorker/i.test(e.args?.name ?? '')).map((e) => `${e.pid}:${e.tid}`));
  const perThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || event.dur === undefined || !workerThreads.has(thread)) continue;
    const list = perThread.get(thread);
    if (list) list.push(event);
    else perThread.set(thread, [event]);
  }
  const thread = [...perThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  // A reduce, not Math.min(...): a trace's thread can hold more events than a call takes arguments.
  const from = thread.reduce((first, e) => Math.min(first, e.ts), Infinity);
  const within = thread.filter((e) => e.ts < from + untilMs * 1000);
  const sum = (names: string[]) => within.filter((e) => names.includes(e.name)).reduce((total, e) => total + e.dur!, 0) / 1000;
  return Object.fromEntries(Object.entries(EVENTS).map(([part, names]) => [part, sum(names)])) as unknown as ThreadTimes;
}

/** `rounds` cold starts of each, the two alternating in order; two starts of each first, to warm both browsers. */
export async function alternatingColdStarts(arms: { ours: ExtensionBrowser; control: ExtensionBrowser }, url: string, rounds: number): Promise<Record<'ours' | 'control', TracedColdStart[]>> {
  const runs: Record<'ours' | 'control', TracedColdStart[]> = { ours: [], control: [] };
  for (const ext of [arms.ours, arms.control]) await coldStarts(ext, url, 2);
  let last: 'ours' | 'control' = 'control';
  for (let round = 0; round < rounds; round++) {
    const order: ('ours' | 'control')[] = round % 2 === 0 ? ['ours', 'control'] : ['control', 'ours'];
    for (const arm of order) {
      runs[arm].push({ ...(await tracedColdStart(arms[arm], url)), afterItself: last === arm });
      last = arm;
    }
  }
  return runs;
}

/** The median of one figure over some starts, or NaN for none. */
export const medianOf = (runs: TracedColdStart[], figure: (run: TracedColdStart) => number) => (runs.length ? median(runs.map(figure)) : Number.NaN);
