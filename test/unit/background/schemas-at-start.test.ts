import { describe, expect, it, vi } from 'vitest';

/**
 * A woken worker evaluates every module before it can take its first event, and building zod schemas
 * was most of that (485 schema objects, two thirds of the modules' time in a profile). The schemas are
 * built on first use instead (`z.lazy`), so evaluating the background's modules builds almost none:
 * this counts the zod calls that building does, the same on any machine.
 */
const calls = new Map<string, number>();
vi.mock('zod/mini', async (importOriginal) => {
  const zod = await importOriginal<Record<string, unknown>>();
  const counted: Record<string, unknown> = { ...zod };
  for (const [name, value] of Object.entries(zod)) {
    if (typeof value !== 'function' || /^[A-Z$]/.test(name)) continue;
    counted[name] = (...args: unknown[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return (value as (...args: unknown[]) => unknown)(...args);
    };
  }
  return counted;
});

describe("the background's modules at a worker's start", () => {
  it('build their schemas on first use, not while they are evaluated', async () => {
    // The catalog's data is checked against its schemas when the extension is built (wxt.config.ts),
    // and the bundles hold it already checked: its schemas are no part of a start.
    await import('@/lib/catalog/data');
    calls.clear();
    await import('@/lib/background');
    const { lazy = 0, ...others } = Object.fromEntries(calls);
    const eager = Object.values(others).reduce((sum, n) => sum + n, 0);
    // Every module's schemas are wrapped once each; what is built now is the one kept eager on
    // purpose (ConsentChange, which the log's reader extends).
    expect(lazy).toBeGreaterThan(20);
    expect(eager, `zod calls while evaluating: ${JSON.stringify(others)}`).toBeLessThan(40);
  });
});
