import { describe, expect, it } from 'vitest';
import { dueReminders, newReminders, type RightsRequestRecord } from '@/lib/requests';

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
    expect(newReminders(reminders, ['r1:overdue']).map((r) => r.requestId)).toEqual(['r2']);
  });
});
