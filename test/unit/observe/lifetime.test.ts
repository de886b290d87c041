import { describe, expect, it, vi } from 'vitest';
import { watchExtensionLifetime } from '@/lib/observe/lifetime';

describe('a content script’s lifetime', () => {
  it('stops everything once, when the extension is gone, and not before', () => {
    vi.useFakeTimers();
    let alive = true;
    const onInvalidated = watchExtensionLifetime(() => alive, { intervalMs: 1000 });
    const stops = [vi.fn(), vi.fn()];
    for (const stop of stops) onInvalidated(stop);
    vi.advanceTimersByTime(5000);
    for (const stop of stops) expect(stop).not.toHaveBeenCalled();
    alive = false;
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(5000);
    for (const stop of stops) expect(stop).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });
});
