import * as z from 'zod/mini';
import { requestState } from './status';
import type { RightsRequestRecord } from './types';

export const REMINDER_SETTINGS_KEY = 'reminders:v1';
export const NOTIFIED_KEY = 'reminders-notified:v1';
export const ReminderSettings = z.lazy(() => z.strictObject({ notify: z.boolean() }));
export type ReminderSettings = z.infer<typeof ReminderSettings>;

export interface Reminder {
  requestId: string;
  type: RightsRequestRecord['type'];
  kind: 'due-soon' | 'overdue';
  due: string;
}

/** The requests worth a reminder now: an answer due within a week, or one that is late. */
export function dueReminders(requests: RightsRequestRecord[], now: number, months = 1): Reminder[] {
  return requests.flatMap((request): Reminder[] => {
    const state = requestState(request, now, months);
    if (state.overdue) return [{ requestId: request.id, type: request.type, kind: 'overdue', due: state.due }];
    if (state.dueSoon) return [{ requestId: request.id, type: request.type, kind: 'due-soon', due: state.due }];
    return [];
  });
}

/**
 * Reminders not notified before: each request is announced once as due soon and once as late for each
 * deadline it has, so an extension (two more months, art. 12(3)) is announced again. Keys stored before
 * the deadline was part of them (`id:kind`) still count for any deadline of that request.
 */
export function newReminders(reminders: Reminder[], notified: readonly string[]): Reminder[] {
  const seen = new Set(notified);
  return reminders.filter((r) => !seen.has(reminderKey(r)) && !seen.has(`${r.requestId}:${r.kind}`));
}

/** How a notified reminder is remembered. */
export const reminderKey = (r: Reminder) => `${r.requestId}:${r.kind}:${r.due}`;
