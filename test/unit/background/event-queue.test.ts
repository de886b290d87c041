import { describe, expect, it } from 'vitest';
import { createEventQueue } from '@/lib/background/event-queue';

describe("the background's events before and after start-up", () => {
  it('dates each event held back by start-up when it arrived, not when its turn came, and keeps their order', async () => {
    let clock = 1_000;
    let finishStart!: () => void;
    const started = new Promise<void>((resolve) => (finishStart = resolve));
    const events = createEventQueue(started, () => clock);
    const handled: [string, number][] = [];
    const done = [
      events.afterStart(() => handled.push(['cookie _ga written', events.now()])),
      (clock = 1_040, events.afterStart(() => handled.push(['banner refused', events.now()]))),
    ];
    clock = 1_250; // start-up takes its time
    finishStart();
    await Promise.all(done);
    expect(handled).toEqual([
      ['cookie _ga written', 1_000],
      ['banner refused', 1_040],
    ]);
    // Outside an event, the time is now.
    expect(events.now()).toBe(1_250);
  });

  it('lets a failing event fail for its caller, and the next one still has its own time', async () => {
    let clock = 5;
    const events = createEventQueue(Promise.resolve(), () => clock);
    const failed = events.afterStart(() => {
      throw new Error('broken report');
    });
    clock = 9;
    const next = events.afterStart(() => events.now());
    await expect(failed).rejects.toThrow('broken report');
    expect(await next).toBe(9);
  });
});
