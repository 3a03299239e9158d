/**
 * China's official working-day calendar: statutory days off and 调休 make-up working days, as
 * published each year by the State Council (国务院办公厅关于…部分节假日安排的通知).
 *
 * Source: the npm package `chinese-days` (MIT), its documented JSON artefact
 * `dist/chinese-days.json` (`holidays` = days off, `workdays` = make-up working days).
 * Why this and not the `holiday-cn` files (NateScarlet/holiday-cn):
 * - For 2021–2026 the two agree date for date (checked 2026-11 against holiday-cn d4e53bf:
 *   2025 and 2026 both have 33 and 39 entries, identical). They differ only where it cannot
 *   matter: chinese-days also lists a few 2019 weekend days as off, holiday-cn lists Monday
 *   2020-02-03 as a working day.
 * - chinese-days covers 2004 on and is republished on npm when a new notice appears, so the
 *   next year's data arrives with `npm update chinese-days` instead of hand-copied files.
 * We read only its data, not its functions: its helpers parse `Date`s in the host's time zone
 * and know nothing of office hours or coverage, and the weekday rule is one line.
 *
 * Loaded once, at import; nothing here does I/O at call time.
 */
import officialData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

export interface OfficialDays {
  /** Statutory days off (holidays and the weekend days folded into them). */
  readonly offDays: ReadonlySet<string>;
  /** 调休 make-up working days: weekend dates that are working days. */
  readonly makeUpWorkingDays: ReadonlySet<string>;
  /** Years whose State Council notice is in the data. */
  readonly coveredYears: ReadonlySet<number>;
}

/**
 * A year counts as covered when its notice is in the data. Every notice sets days off for
 * 清明, 劳动节, 端午, 中秋 and 国庆, all between April and October, so we look for an off day
 * from April on: a stray late-December/early-January entry carried by the neighbouring
 * year's notice (元旦 sometimes straddles the year end) cannot make a year look covered.
 */
function coveredYearsOf(offDays: Iterable<string>): Set<number> {
  const years = new Set<number>();
  for (const date of offDays) if (date.slice(5, 7) >= '04') years.add(Number(date.slice(0, 4)));
  return years;
}

export function officialDaysFrom(data: {
  holidays: Record<string, unknown>;
  workdays: Record<string, unknown>;
}): OfficialDays {
  const offDays = new Set(Object.keys(data.holidays));
  const makeUpWorkingDays = new Set(Object.keys(data.workdays));
  return { offDays, makeUpWorkingDays, coveredYears: coveredYearsOf(offDays) };
}

export const officialDays: OfficialDays = officialDaysFrom(officialData);
