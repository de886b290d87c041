/**
 * Addresses waiting to be filled into the shop's data-request form, one per tab the extension opened
 * for it. Kept in session storage so a restarted worker still has them; taken once.
 */
export function createPendingFills(area: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void>; remove(key: string): Promise<void> }) {
  const key = (tabId: number) => `fill:${tabId}`;
  return {
    put: (tabId: number, email: string) => area.set({ [key(tabId)]: { email, at: Date.now() } }),
    async take(tabId: number): Promise<{ email: string } | null> {
      const stored = (await area.get(key(tabId)))[key(tabId)] as { email?: unknown; at?: unknown } | undefined;
      await area.remove(key(tabId));
      // Ten minutes to load the page is plenty; an older one is a leftover, not a wish.
      if (!stored || typeof stored.email !== 'string' || typeof stored.at !== 'number' || Date.now() - stored.at > FILL_WAITS_MS) return null;
      return { email: stored.email };
    },
  };
}

const FILL_WAITS_MS = 600_000;
