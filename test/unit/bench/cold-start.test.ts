import { describe, expect, it } from 'vitest';
import { workerThreadTimes } from '../../bench/cold-start';

const thread = (pid: number, tid: number, name: string) => ({ name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name } });
const span = (pid: number, tid: number, name: string, ts: number, dur: number) => ({ name, ph: 'X', pid, tid, ts, dur });

describe("a cold start's trace", () => {
  it("sums the service worker thread's events by part, up to the first event handled", () => {
    const events = [
      thread(1, 10, 'CrBrowserMain'),
      thread(2, 20, 'ServiceWorker thread'),
      thread(2, 21, 'ServiceWorker thread'),
      // The browser's own thread and an idle worker thread: not counted.
      span(1, 10, 'v8.run', 1_000, 50_000),
      span(2, 21, 'v8.run', 1_000, 9_000),
      // The worker that started: its thread's clock starts at its first event (ts 100_000 µs).
      span(2, 20, 'V8PerIsolateData::Initialize', 100_000, 20_000),
      span(2, 20, 'V8.DeserializeIsolate', 105_000, 4_000),
      span(2, 20, 'V8.CompileScript', 121_000, 15_000),
      span(2, 20, 'V8.CompileDeserialize', 122_000, 12_000),
      span(2, 20, 'v8.run', 140_000, 30_000),
      span(2, 20, 'V8.CompileCode', 141_000, 2_500),
      span(2, 20, 'RunMicrotasks', 175_000, 5_000),
      span(2, 20, 'MinorGC', 181_000, 1_000),
      // After the first event was handled (90 ms after the thread's first event): not counted.
      span(2, 20, 'RunMicrotasks', 191_000, 7_000),
      span(2, 20, 'MajorGC', 195_000, 3_000),
    ];
    expect(workerThreadTimes(events, 90)).toEqual({ isolate: 24, compiled: 15, codeCache: 12, evaluated: 30, lazyCompiles: 2.5, microtasks: 5, garbageCollection: 1 });
  });

  it('reads a trace without a worker thread as nothing spent', () => {
    expect(workerThreadTimes([thread(1, 10, 'CrBrowserMain'), span(1, 10, 'v8.run', 0, 5_000)], 100)).toEqual({ isolate: 0, compiled: 0, codeCache: 0, evaluated: 0, lazyCompiles: 0, microtasks: 0, garbageCollection: 0 });
  });
});
