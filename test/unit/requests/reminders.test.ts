import { describe, expect, it } from 'vitest';
import { dueReminders, newReminders, reminderKey, type RightsRequestRecord } from '@/lib/requests';

const base: RightsRequestRecord = {
  id: 'r1', type: 'access', channel: 'email-dpo', language: 'nl', sentAt: Date.parse('2027-01-31T10:00:00Z'), timeZone: 'Europe/Amsterdam',
  subject: 's', body: 'b', recipient: 'dpo@mybestbook.com', status: 'sent', followUps: [], notes: '', updatedAt: 0,
};

describe('deadline reminders', () => {
  it('reminds a week ahead and once late, never for answered requests', () => {
    expect(dueReminders([base], Date.parse('2027-02-10T10:00:00Z'))).toEqual([]);
    expect(dueReminders([base], Date.parse('2027-02-22T10:00:00Z'))).toEqual([{ requestId: 'r1', type: 'access', kind: 'due-soon', due: '2027-03-01' }]); // Sun 28 February: Monday
    expect(dueReminders([base], Date.parse('2027-03-02T10:00:00Z'))).toMatchObject([{ kind: 'overdue' }]);
    expect(dueReminders([{ ...base, status: 'answered' }], Date.parse('2027-03-02T10:00:00Z'))).toEqual([]);
  });

  it('announces each request once per state', () => {
    const reminders = dueReminders([base, { ...base, id: 'r2' }], Date.parse('2027-03-02T10:00:00Z'));
    // A key stored before the deadline was part of it still counts.
    expect(newReminders(reminders, ['r1:overdue']).map((r) => r.requestId)).toEqual(['r2']);
    expect(newReminders(reminders, reminders.map(reminderKey))).toEqual([]);
  });

  it('announces an extended deadline again, though the first one was announced', () => {
    const request = { ...base, sentAt: Date.parse('2027-03-09T10:00:00Z') };
    // A week before the first deadline (Fri 9 April 2027): announced, and remembered as the watch does.
    const first = dueReminders([request], Date.parse('2027-04-05T10:00:00Z'));
    expect(first).toEqual([{ requestId: 'r1', type: 'access', kind: 'due-soon', due: '2027-04-09' }]);
    const notified = first.map(reminderKey);
    // The shop extends by two months (art. 12(3)); a week before Wed 9 June 2027:
    const second = dueReminders([{ ...request, status: 'extended' }], Date.parse('2027-06-04T10:00:00Z'));
    expect(second).toEqual([{ requestId: 'r1', type: 'access', kind: 'due-soon', due: '2027-06-09' }]);
    expect(newReminders(second, notified)).toEqual(second);
    expect(newReminders(second, [...notified, ...second.map(reminderKey)])).toEqual([]);
  });
});
