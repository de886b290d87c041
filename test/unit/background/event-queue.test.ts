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

  it('holds every later event until exclusive work has settled, and runs it after the events before it', async () => {
    const events = createEventQueue(Promise.resolve());
    const order: string[] = [];
    let finishErase!: () => void;
    const before = events.afterStart(() => order.push('request before'));
    const erase = events.exclusive(async () => {
      order.push('erase begins');
      await new Promise<void>((resolve) => (finishErase = resolve));
      order.push('erase ends');
    });
    const after = events.afterStart(() => order.push('request after'));
    await before;
    // The erase waits on something of its own: the request that came after it must not run meanwhile.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(order).toEqual(['request before', 'erase begins']);
    finishErase();
    await Promise.all([erase, after]);
    expect(order).toEqual(['request before', 'erase begins', 'erase ends', 'request after']);
  });

  it('lets later events run after exclusive work that failed', async () => {
    const events = createEventQueue(Promise.resolve());
    const erase = events.exclusive(() => Promise.reject(new Error('disk gone')));
    await expect(erase).rejects.toThrow('disk gone');
    expect(await events.afterStart(() => 'handled')).toBe('handled');
  });
});
