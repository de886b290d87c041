import { describe, expect, it } from 'vitest';
import { FILL_ASKED_AGAIN_MS, createPendingFills } from '../../../lib/requests/pending-fills';

/** Session storage as the worker sees it: values copied in and out, as the browser does. */
function sessionArea() {
  const items = new Map<string, unknown>();
  return {
    items,
    get: async (key: string) => (items.has(key) ? { [key]: structuredClone(items.get(key)) } : {}),
    set: async (given: Record<string, unknown>) => void Object.entries(given).forEach(([key, value]) => items.set(key, structuredClone(value))),
    remove: async (key: string) => void items.delete(key),
  };
}

describe('pending fills of the shop’s data-request form', () => {
  it('hands the address to the tab it was put for, and to no other', async () => {
    const area = sessionArea();
    const fills = createPendingFills(area, () => 1_000);
    await fills.put(7, 'klant@example.nl');
    expect(await fills.take(8)).toBeNull();
    expect(await fills.take(7)).toEqual({ email: 'klant@example.nl' });
  });

  it('gives the same address to a page that asks again soon after (its first answer lost), then nothing, and forgets it', async () => {
    const area = sessionArea();
    let clock = 1_000;
    const fills = createPendingFills(area, () => clock);
    await fills.put(7, 'klant@example.nl');
    expect(await fills.take(7)).toEqual({ email: 'klant@example.nl' });
    clock += 2_000;
    expect(await fills.take(7)).toEqual({ email: 'klant@example.nl' });
    clock += FILL_ASKED_AGAIN_MS;
    expect(await fills.take(7)).toBeNull();
    expect(area.items.size).toBe(0);
  });

  it('keeps the address for a worker started again: the window runs from the first take, in storage', async () => {
    const area = sessionArea();
    let clock = 1_000;
    await createPendingFills(area, () => clock).put(7, 'klant@example.nl');
    expect(await createPendingFills(area, () => clock).take(7)).toEqual({ email: 'klant@example.nl' });
    clock += 1_000;
    expect(await createPendingFills(area, () => clock).take(7)).toEqual({ email: 'klant@example.nl' });
  });

  it('drops a fill left over for more than ten minutes, and one stored in a shape it does not know', async () => {
    const area = sessionArea();
    let clock = 1_000;
    const fills = createPendingFills(area, () => clock);
    await fills.put(7, 'klant@example.nl');
    clock += 600_001;
    expect(await fills.take(7)).toBeNull();
    area.items.set('fill:9', { email: 42, at: clock });
    expect(await fills.take(9)).toBeNull();
    expect(area.items.size).toBe(0);
  });
});
