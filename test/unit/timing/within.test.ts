import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { within } from '@/lib/timing/within';

describe('within', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("answers with the work's answer when it comes in time, and leaves no timer", async () => {
    const answer = within(1_000, Promise.resolve('done'), 'late');
    await expect(answer).resolves.toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers with the fallback once the time is up, and no sooner', async () => {
    let settled = false;
    const answer = within(1_000, new Promise<string>(() => undefined), 'late').finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toBe('late');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes on a rejection that comes in time', async () => {
    await expect(within(1_000, Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(vi.getTimerCount()).toBe(0);
  });
});
