import {
  chinaPositionOf,
  dateOfDay,
  dayOfDate,
  instantAt,
  MINUTE_MS,
  type OfficeWindow,
  parseOfficeHours,
  weekdayOfDay,
} from './china-time.ts';
import { officialDays as defaultOfficialDays, type OfficialDays } from './official-days.ts';

/**
 * The working-day calendar every deadline is counted on. Semantics, in the order a resident
 * would ask about them:
 *
 * - **Time zone.** Dates are China dates (Asia/Shanghai, UTC+8, no daylight saving). Instants
 *   go in and come out as `Date`s; nothing here reads a clock.
 * - **Working day.** A statutory day off is not one, a 调休 make-up day (often a Saturday or
 *   Sunday) is one, any other day is one when it is Monday–Friday. Years the official data does
 *   not cover yet (e.g. 2027 before the State Council notice) use plain Monday–Friday; `coverage()`
 *   and `coversYear()` say so, so callers can mark such deadlines as provisional. Never throws
 *   for a missing year.
 * - **Office hours.** Only time inside office hours on working days counts. Default
 *   09:00–18:00 in one piece (540 working minutes a day): one rule residents can read on a
 *   notice board, and day deadlines come out the same whether or not a lunch break is counted.
 *   A district that does count it passes `officeHours: ['09:00-12:00', '13:30-18:00']`, which
 *   only changes hour-scale rules (e.g. "dispatch within 2 h"). Windows are end-exclusive:
 *   18:00 itself is after hours.
 * - **When the clock starts.** At `from` if it is in office hours, otherwise at the next
 *   opening: an appeal raised at 22:00, at lunch or on a holiday starts counting at the next
 *   opening on a working day. `addWorkingDays(from, 0)` is exactly that start.
 * - **Deadline.** `addWorking*(from, amount)` is the earliest instant at which `amount` of
 *   working time has been spent since the clock started. So an appeal accepted at 16:00 is due
 *   at 16:00 on the Nth working day after (holidays skipped, 调休 days counted), and one whose
 *   clock starts at an opening is due at closing time of the Nth working day counting the
 *   start day (raised Sunday 22:00, 1 working day → Monday 18:00, not Tuesday 09:00: the
 *   same working instant, shown as the earlier wall-clock time). Hence for any n > 0:
 *   `workingMinutesBetween(from, addWorkingDays(from, n)) === n * workingMinutesPerDay`, and an
 *   extension is `addWorkingDays(deadline, m)` = `addWorkingDays(from, n + m)`.
 * - **Elapsed time.** `workingMinutesBetween(a, b)` counts working minutes in [a, b), signed
 *   (negative when b is before a), fractional to the millisecond. "75 % of the time used" is
 *   `workingMinutesBetween(start, now) >= 0.75 * workingMinutesBetween(start, deadline)`.
 */
export interface Calendar {
  /** Whether a China date 'YYYY-MM-DD' is a working day; throws RangeError for a malformed date. */
  isWorkingDay(date: string): boolean;
  /** Whether the instant is inside office hours on a working day. */
  isWithinOfficeHours(at: Date): boolean;
  /** The deadline `days` working days after `from` (days ≥ 0; fractions are fractions of a working day). */
  addWorkingDays(from: Date, days: number): Date;
  /** The deadline `hours` working hours after `from` (12345-style "dispatch within 2 h"). */
  addWorkingHours(from: Date, hours: number): Date;
  /** The deadline `minutes` working minutes after `from`; the primitive the other two use. */
  addWorkingMinutes(from: Date, minutes: number): Date;
  /** Working minutes in [from, to), negative when `to` is before `from`. */
  workingMinutesBetween(from: Date, to: Date): number;
  /** Working minutes in one working day (540 for 09:00–18:00). */
  readonly workingMinutesPerDay: number;
  /** The office hours in force, e.g. ['09:00-18:00']. */
  readonly officeHours: readonly string[];
  /** The years the official data covers; outside them the calendar is plain Monday–Friday. */
  coverage(): { firstYear: number; lastYear: number };
  /** Whether the official notice for `year` is in the data. */
  coversYear(year: number): boolean;
}

export interface CalendarOptions {
  /** Office hours in China time, e.g. ['09:00-12:00', '13:30-18:00']. Default ['09:00-18:00']. */
  officeHours?: readonly string[];
  /** Official days off and make-up days; default: the bundled `chinese-days` data. */
  officialDays?: OfficialDays;
}

export const DEFAULT_OFFICE_HOURS: readonly string[] = ['09:00-18:00'];

/** A deadline more than this many working days away is a bug in the caller, not a deadline. */
const MAX_WORKING_DAYS = 36_500;
/** The longest run of days off we accept before calling the data broken (real runs are ≤ 9). */
const MAX_DAYS_OFF_IN_A_ROW = 366;

export function createCalendar(options: CalendarOptions = {}): Calendar {
  const officeHours = [...(options.officeHours ?? DEFAULT_OFFICE_HOURS)];
  const windows: OfficeWindow[] = parseOfficeHours(officeHours);
  const official = options.officialDays ?? defaultOfficialDays;
  if (official.coveredYears.size === 0) throw new RangeError('the official calendar data covers no year');
  const coveredYears = [...official.coveredYears];
  const firstYear = Math.min(...coveredYears);
  const lastYear = Math.max(...coveredYears);
  const perDayMs = windows.reduce((sum, w) => sum + (w.endMs - w.startMs), 0);

  // Memoised per China day: range queries (overdue scans, reports) ask about the same days
  // again and again, and formatting a date string per day was 90 % of their cost. At most one
  // entry per distinct day ever asked about, a few thousand in practice.
  const workingDayCache = new Map<number, boolean>();
  function isWorkingDayNumber(day: number): boolean {
    let working = workingDayCache.get(day);
    if (working === undefined) {
      const date = dateOfDay(day);
      const weekday = weekdayOfDay(day);
      working =
        official.makeUpWorkingDays.has(date) ||
        (!official.offDays.has(date) && weekday !== 0 && weekday !== 6);
      workingDayCache.set(day, working);
    }
    return working;
  }

  function nextWorkingDay(day: number): number {
    for (let next = day + 1; next <= day + MAX_DAYS_OFF_IN_A_ROW; next++) {
      if (isWorkingDayNumber(next)) return next;
    }
    throw new RangeError(`no working day within a year after ${dateOfDay(day)}`);
  }

  /** Working milliseconds of a working day before `msOfDay`. */
  function workedBefore(msOfDay: number): number {
    let worked = 0;
    for (const w of windows) worked += Math.min(Math.max(msOfDay - w.startMs, 0), w.endMs - w.startMs);
    return worked;
  }

  function workingMsBetween(from: Date, to: Date): number {
    if (to.getTime() < from.getTime()) {
      const backwards = workingMsBetween(to, from);
      return backwards === 0 ? 0 : -backwards; // never -0
    }
    const a = chinaPositionOf(from);
    const b = chinaPositionOf(to);
    if (a.day === b.day)
      return isWorkingDayNumber(a.day) ? workedBefore(b.msOfDay) - workedBefore(a.msOfDay) : 0;
    let total = isWorkingDayNumber(a.day) ? perDayMs - workedBefore(a.msOfDay) : 0;
    for (let day = a.day + 1; day < b.day; day++) if (isWorkingDayNumber(day)) total += perDayMs;
    if (isWorkingDayNumber(b.day)) total += workedBefore(b.msOfDay);
    return total;
  }

  /** Where the clock starts: `from` if in office hours, else the next opening. */
  function clockStart(from: Date): { day: number; window: number; msOfDay: number } {
    const { day, msOfDay } = chinaPositionOf(from);
    if (isWorkingDayNumber(day)) {
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i]!;
        if (msOfDay < w.endMs) return { day, window: i, msOfDay: Math.max(msOfDay, w.startMs) };
      }
    }
    return { day: nextWorkingDay(day), window: 0, msOfDay: windows[0]!.startMs };
  }

  function addWorkingMs(from: Date, amountMs: number): Date {
    let { day, window, msOfDay } = clockStart(from);
    let remaining = amountMs;
    if (remaining === 0) return instantAt(day, msOfDay);
    for (;;) {
      const available = windows[window]!.endMs - msOfDay;
      // `<=`: a deadline on a window's end is that closing time, not the next opening.
      if (remaining <= available) return instantAt(day, msOfDay + remaining);
      remaining -= available;
      window++;
      if (window === windows.length) {
        window = 0;
        day = nextWorkingDay(day);
        // Whole days at once; strictly greater, so a deadline at closing time stays on its day.
        while (remaining > perDayMs) {
          remaining -= perDayMs;
          day = nextWorkingDay(day);
        }
      }
      msOfDay = windows[window]!.startMs;
    }
  }

  function checkedAmountMs(amount: number, unitMs: number, unit: string): number {
    if (!Number.isFinite(amount) || amount < 0)
      throw new RangeError(`working ${unit} must be a finite number ≥ 0, got ${amount}`);
    const ms = Math.round(amount * unitMs);
    if (ms > MAX_WORKING_DAYS * perDayMs)
      throw new RangeError(`${amount} working ${unit} is beyond any deadline`);
    return ms;
  }

  return {
    isWorkingDay: (date) => isWorkingDayNumber(dayOfDate(date)),
    isWithinOfficeHours(at) {
      const { day, msOfDay } = chinaPositionOf(at);
      return isWorkingDayNumber(day) && windows.some((w) => msOfDay >= w.startMs && msOfDay < w.endMs);
    },
    addWorkingDays: (from, days) => addWorkingMs(from, checkedAmountMs(days, perDayMs, 'days')),
    addWorkingHours: (from, hours) => addWorkingMs(from, checkedAmountMs(hours, 60 * MINUTE_MS, 'hours')),
    addWorkingMinutes: (from, minutes) => addWorkingMs(from, checkedAmountMs(minutes, MINUTE_MS, 'minutes')),
    workingMinutesBetween: (from, to) => workingMsBetween(from, to) / MINUTE_MS,
    workingMinutesPerDay: perDayMs / MINUTE_MS,
    officeHours,
    coverage: () => ({ firstYear, lastYear }),
    coversYear: (year) => official.coveredYears.has(year),
  };
}
