/**
 * Deadlines for a GDPR request. Art. 12(3): the controller answers "within one month of receipt",
 * and may extend by two further months, telling the data subject within the first month. Periods in
 * months end on the same day of the month as they began; when that month has no such day (31 January
 * plus one month), on its last day (Regulation (EEC, Euratom) No 1182/71, art. 3(2)(c)). A deadline
 * is a calendar date in the customer's own time zone and lasts until the end of that day.
 */

/** A calendar date, YYYY-MM-DD. */
export type CalendarDate = string;

/** The calendar date of an instant in a time zone (an IANA name such as Europe/Amsterdam). */
export function calendarDate(at: number, timeZone: string): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The same day `months` later, or the last day of that month when it is shorter. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The day by which the shop must answer, in the customer's time zone. */
export function answerDue(sentAt: number, timeZone: string, { months = 1, extended = false } = {}): CalendarDate {
  return addMonths(calendarDate(sentAt, timeZone), months + (extended ? 2 : 0));
}

/** Whole days from `now` until the due date (0 on the day itself, negative once it has passed). */
export function daysLeft(due: CalendarDate, now: number, timeZone: string): number {
  return dayNumber(due) - dayNumber(calendarDate(now, timeZone));
}

function dayNumber(date: CalendarDate): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / 86_400_000;
}
