/** The working-day calendar (platform/calendar): the only entry point other code imports. */
export { type Calendar, type CalendarOptions, createCalendar, DEFAULT_OFFICE_HOURS } from './calendar.ts';
export {
  chinaDateOf,
  chinaIso,
  chinaMidnightOf,
  chinaYearOf,
  formatChinaDateTime,
  formatChinaMonthDayTime,
} from './china-time.ts';
export { type OfficialDays, officialDays, officialDaysFrom } from './official-days.ts';
