import { answerDue, calendarDate, daysLeft, type CalendarDate } from './deadline';
import { FOLLOW_UPS, type FollowUp, type RightsRequestRecord } from './types';

/** Days to wait for an answer to a reminder or a complaint before the next step is offered. */
export const FOLLOW_UP_WAIT_DAYS = 14;

export interface RequestState {
  due: CalendarDate;
  daysLeft: number;
  overdue: boolean;
  /** The next step to offer, once the shop is late: reminder, then complaint, then the authority. */
  nextStep: FollowUp | null;
  /** A deadline within a week: worth a reminder to the customer. */
  dueSoon: boolean;
}

/** Where a request stands; only its dates, status and follow-ups count (a digest of it will do). */
export function requestState(request: Pick<RightsRequestRecord, 'sentAt' | 'timeZone' | 'status' | 'followUps'>, now: number, months = 1): RequestState {
  const due = answerDue(request.sentAt, request.timeZone, { months, extended: request.status === 'extended' });
  const left = daysLeft(due, now, request.timeZone);
  const open = request.status === 'sent' || request.status === 'extended';
  const overdue = open && left < 0;
  let nextStep: FollowUp | null = null;
  if (overdue) {
    const last = request.followUps.at(-1);
    const done = new Set(request.followUps.map((f) => f.step));
    const candidate = FOLLOW_UPS.find((step) => !done.has(step)) ?? null;
    const waited = !last || daysLeft(addDays(calendarDate(last.at, request.timeZone), FOLLOW_UP_WAIT_DAYS), now, request.timeZone) < 0;
    nextStep = waited ? candidate : null;
  }
  return { due, daysLeft: left, overdue, nextStep, dueSoon: open && left >= 0 && left <= 7 };
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

