/**
 * Deadlines for a GDPR request. Art. 12(3): the controller answers "within one month of receipt",
 * and may extend by two further months, telling the data subject within the first month. Periods in
 * months end on the same day of the month as they began; when that month has no such day (31 January
 * plus one month), on its last day (Regulation (EEC, Euratom) No 1182/71, art. 3(2)(c)); a period
 * whose last day is a Saturday, a Sunday or a public holiday ends at the end of the next working day
 * (the same regulation, art. 3(4)). A deadline is a calendar date in the customer's own time zone and
 * lasts until the end of that day.
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
  return nextWorkingDay(addMonths(calendarDate(sentAt, timeZone), months + (extended ? 2 : 0)));
}

/** `date` itself when the shop works that day, else the first day after it that it does. */
export function nextWorkingDay(date: CalendarDate): CalendarDate {
  let day = dayNumber(date);
  // Bounded: Easter's five days off, Thursday to Monday, are the longest run there is.
  for (let i = 0; i < 10 && !isWorkingDay(day); i++) day++;
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Whether the shop works on a day (as from dayNumber). The holidays are the controller's: the request is
 * answered by Mijn Liefste Boek ApS in Denmark, and art. 2(1) of the regulation takes the public holidays
 * of the state where the act is done. Denmark's, by law: New Year's Day, Maundy Thursday, Good Friday,
 * Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday, Christmas Day and the day after
 * (Great Prayer Day is no holiday since 2024; Constitution Day is no public holiday).
 */
function isWorkingDay(day: number): boolean {
  const date = new Date(day * 86_400_000);
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const month = date.getUTCMonth() + 1;
  const dayOfMonth = date.getUTCDate();
  if ((month === 1 && dayOfMonth === 1) || (month === 12 && (dayOfMonth === 25 || dayOfMonth === 26))) return false;
  const sinceEaster = day - easterSunday(date.getUTCFullYear());
  return ![-3, -2, 0, 1, 39, 49, 50].includes(sinceEaster);
}

/** Easter Sunday of a Gregorian year, as a day number (the anonymous Gregorian computus: Meeus, Jones, Butcher). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, dayOfMonth) / 86_400_000;
}

/** Whole days from `now` until the due date (0 on the day itself, negative once it has passed). */
export function daysLeft(due: CalendarDate, now: number, timeZone: string): number {
  return dayNumber(due) - dayNumber(calendarDate(now, timeZone));
}

function dayNumber(date: CalendarDate): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / 86_400_000;
}
