/**
 * The scan's progress line: how many pages are done, the rate so far and the time left at that rate
 * (`12/40 · 18.3 pages/min · about 1 min 32 s left`). Counted from when the browsers were ready.
 */
export function createProgress(total: number, now: () => number = Date.now) {
  const started = now();
  let done = 0;
  return {
    /** One more page done: the line to print with it. */
    pageDone(): string {
      done++;
      const minutes = Math.max(now() - started, 1) / 60_000;
      const rate = done / minutes;
      const left = total - done;
      return `${done}/${total} · ${rate.toFixed(1)} pages/min · ${left === 0 ? 'done' : `about ${duration((left / rate) * 60_000)} left`}`;
    },
    rate: () => done / (Math.max(now() - started, 1) / 60_000),
  };
}

export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
