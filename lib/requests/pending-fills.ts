import * as z from 'zod/mini';

/** Ten minutes to load the page is plenty; an older fill is a leftover, not a wish. */
const FILL_WAITS_MS = 600_000;

/**
 * How long a fill stays after the page first took it, for that page to ask again: Chromium answers a
 * message with nothing when the worker is stopped while it is on its way (lib/messages/answers.ts), so
 * the page asks again, and must find the same address, not an empty drawer.
 */
export const FILL_ASKED_AGAIN_MS = 15_000;

/**
 * A fill as kept in session storage, read back through a schema: an older version may have written it.
 * Built on first use, as the worker's other schemas are: a woken worker does not build it before its
 * first event.
 */
const StoredFill = z.lazy(() => z.object({ email: z.string(), at: z.number(), takenAt: z.optional(z.number()) }));

type Area = { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void>; remove(key: string): Promise<void> };

/**
 * Addresses waiting to be filled into the shop's data-request form, one per tab the extension opened
 * for it. Kept in session storage so a restarted worker still has them. The page takes its address
 * once; asked again soon after (its first answer lost), it gets the same; after that, nothing, and the
 * address is gone from storage.
 */
export function createPendingFills(area: Area, now: () => number = Date.now) {
  const key = (tabId: number) => `fill:${tabId}`;
  return {
    put: (tabId: number, email: string) => area.set({ [key(tabId)]: { email, at: now() } }),
    async take(tabId: number): Promise<{ email: string } | null> {
      const parsed = StoredFill.safeParse((await area.get(key(tabId)))[key(tabId)]);
      const at = now();
      const stillWanted = parsed.success && at - parsed.data.at <= FILL_WAITS_MS && (parsed.data.takenAt === undefined || at - parsed.data.takenAt <= FILL_ASKED_AGAIN_MS);
      if (!stillWanted) {
        await area.remove(key(tabId));
        return null;
      }
      if (parsed.data.takenAt === undefined) await area.set({ [key(tabId)]: { ...parsed.data, takenAt: at } });
      return { email: parsed.data.email };
    },
  };
}
