/**
 * China time (Asia/Shanghai) as plain arithmetic. China has used UTC+8 all year since 1991, with
 * no daylight saving, so a fixed offset is exact for every date this product will see and
 * needs no time-zone database (Intl would give the same answers, only slower).
 *
 * Internally an instant becomes "China-local milliseconds" (UTC ms + 8 h): its day number
 * (days since 1970-01-01 in China) and its milliseconds into that day.
 */

export const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** Days since 1970-01-01 (China date) and milliseconds into that day. */
export interface ChinaPosition {
  day: number;
  msOfDay: number;
}

export function chinaPositionOf(instant: Date): ChinaPosition {
  const local = instant.getTime() + CHINA_UTC_OFFSET_MS;
  if (!Number.isFinite(local)) throw new RangeError('invalid Date');
  const day = Math.floor(local / DAY_MS);
  return { day, msOfDay: local - day * DAY_MS };
}

export function instantAt(day: number, msOfDay: number): Date {
  return new Date(day * DAY_MS + msOfDay - CHINA_UTC_OFFSET_MS);
}

/** 'YYYY-MM-DD' of a China day number. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** China day number of 'YYYY-MM-DD'; throws RangeError on anything else (e.g. '2026-02-30'). */
export function dayOfDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const day = ms / DAY_MS;
  if (dateOfDay(day) !== date) throw new RangeError(`no such date: "${date}"`);
  return day;
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The China date of an instant, 'YYYY-MM-DD'. */
export function chinaDateOf(instant: Date): string {
  return dateOfDay(chinaPositionOf(instant).day);
}

/** The instant as if China time were UTC: its ISO string reads the China wall clock. */
function chinaWallClock(instant: Date): string {
  return new Date(instant.getTime() + CHINA_UTC_OFFSET_MS).toISOString();
}

/**
 * 'YYYY-MM-DD HH:mm' in China time: the form residents are shown ("请于 2026-10-09 18:00 前办结")
 * and spreadsheets read; `'/'` gives the printed form 2026/10/09 09:00.
 */
export function formatChinaDateTime(instant: Date, dateSeparator: '-' | '/' = '-'): string {
  const local = chinaWallClock(instant);
  return `${local.slice(0, 10).replaceAll('-', dateSeparator)} ${local.slice(11, 16)}`;
}

/** 'M/D HH:mm' in China time, short enough for an SMS: 10/9 18:00. */
export function formatChinaMonthDayTime(instant: Date): string {
  const local = chinaWallClock(instant);
  return `${Number(local.slice(5, 7))}/${Number(local.slice(8, 10))} ${local.slice(11, 16)}`;
}

/** ISO 8601 with the China offset, 2026-10-09T09:00:00+08:00 (Open311 wants a zone; +08:00 reads naturally). */
export function chinaIso(instant: Date): string {
  return `${chinaWallClock(instant).slice(0, 19)}+08:00`;
}

/** The China calendar year of an instant (a notice issued at 2027-01-01 00:30 China time is of 2027). */
export function chinaYearOf(instant: Date): number {
  return Number(chinaWallClock(instant).slice(0, 4));
}

/** The instant a China date ('YYYY-MM-DD') begins; RangeError for anything that is no real date. */
export function chinaMidnightOf(date: string): Date {
  return instantAt(dayOfDate(date), 0);
}

/** An office-hours window in milliseconds after China midnight, end exclusive. */
export interface OfficeWindow {
  startMs: number;
  endMs: number;
}

function minuteOfDay(text: string, whole: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes > 0))
    throw new RangeError(`office hours must look like "09:00-18:00", got "${whole}"`);
  return hours * 60 + minutes;
}

/**
 * Parses office hours such as ['09:00-12:00', '13:30-18:00'] (China time). Windows must be
 * non-empty, in order and must not overlap; '24:00' may close the last one. Thrown errors are
 * start-up errors: a calendar is built once, from configuration.
 */
export function parseOfficeHours(spec: readonly string[]): OfficeWindow[] {
  if (spec.length === 0) throw new RangeError('office hours need at least one window');
  const windows = spec.map((whole) => {
    const [start, end, extra] = whole.split('-');
    if (start === undefined || end === undefined || extra !== undefined)
      throw new RangeError(`office hours must look like "09:00-18:00", got "${whole}"`);
    const startMinute = minuteOfDay(start.trim(), whole);
    const endMinute = minuteOfDay(end.trim(), whole);
    if (endMinute <= startMinute)
      throw new RangeError(`office hours window "${whole}" ends before it starts`);
    return { startMs: startMinute * MINUTE_MS, endMs: endMinute * MINUTE_MS };
  });
  for (let i = 1; i < windows.length; i++) {
    if (windows[i]!.startMs < windows[i - 1]!.endMs)
      throw new RangeError(`office hours windows must be in order and not overlap: ${spec.join(', ')}`);
  }
  return windows;
}
