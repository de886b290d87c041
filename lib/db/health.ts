import * as z from 'zod/mini';

/**
 * How the log is doing, kept in session storage by the background so every page can say so:
 * a full disk or a log written by a newer version of the extension is told, never hidden.
 */
// No Dexie here: the popup reads this without loading the database code.
export const LOG_HEALTH_KEY = 'log-health';
/** `journal-failed`: session storage refused the queue's journal, so a stopped worker may lose rows. */
export const LOG_HEALTH_STATES = ['ok', 'full', 'newer-version', 'failed', 'journal-failed'] as const;
export const LogHealth = z.lazy(() =>
  z.strictObject({
    state: z.enum(LOG_HEALTH_STATES),
    at: z.number(),
  }),
);
export type LogHealth = z.infer<typeof LogHealth>;

/** What a failed IndexedDB operation means for the user. Dexie may wrap the cause in `inner`. */
export function healthOf(error: unknown): LogHealth['state'] {
  const names = [error, (error as { inner?: unknown } | null)?.inner].map((e) => (e as { name?: unknown } | null)?.name);
  if (names.includes('QuotaExceededError')) return 'full';
  if (names.includes('VersionError')) return 'newer-version';
  return 'failed';
}

