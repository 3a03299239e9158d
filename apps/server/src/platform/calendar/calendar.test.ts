import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendar, formatChinaDateTime, officialDaysFrom } from './index.ts';

/** An instant given as China wall-clock time, 'YYYY-MM-DD HH:mm'. */
const at = (chinaTime: string) => new Date(`${chinaTime.replace(' ', 'T')}:00+08:00`);
const show = formatChinaDateTime;

const calendar = createCalendar();
const withLunchBreak = createCalendar({ officeHours: ['09:00-12:00', '13:30-18:00'] });

function* datesOf(year: number): Generator<{ date: string; weekday: number }> {
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1))
    yield { date: d.toISOString().slice(0, 10), weekday: d.getUTCDay() };
}

function range(from: string, to: string): string[] {
  return [...datesOf(Number(from.slice(0, 4)))].map((d) => d.date).filter((d) => d >= from && d <= to);
}

/** Every day of a year against the State Council notice: listed days off, listed 调休 days, else Mon–Fri. */
function expectYearToFollowNotice(year: number, daysOff: string[], makeUpDays: string[]) {
  const wrong: string[] = [];
  for (const { date, weekday } of datesOf(year)) {
    const expected = makeUpDays.includes(date) || (!daysOff.includes(date) && weekday !== 0 && weekday !== 6);
    if (calendar.isWorkingDay(date) !== expected) wrong.push(date);
  }
  expect(wrong).toEqual([]);
}

describe('the official calendar', () => {
  it('follows the 2026 notice day by day (国办发明电〔2025〕7号), 调休 Saturdays and Sundays included', () => {
    expectYearToFollowNotice(
      2026,
      [
        ...range('2026-01-01', '2026-01-03'), // 元旦
        ...range('2026-02-15', '2026-02-23'), // 春节
        ...range('2026-04-04', '2026-04-06'), // 清明
        ...range('2026-05-01', '2026-05-05'), // 劳动节
        ...range('2026-06-19', '2026-06-21'), // 端午
        ...range('2026-09-25', '2026-09-27'), // 中秋
        ...range('2026-10-01', '2026-10-07'), // 国庆
      ],
      ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    );
  });

  it('follows the 2025 notice day by day, with the eight-day National Day and Mid-Autumn holiday', () => {
    expectYearToFollowNotice(
      2025,
      [
        '2025-01-01',
        ...range('2025-01-28', '2025-02-04'),
        ...range('2025-04-04', '2025-04-06'),
        ...range('2025-05-01', '2025-05-05'),
        ...range('2025-05-31', '2025-06-02'),
        ...range('2025-10-01', '2025-10-08'),
      ],
      ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
    );
  });

  it('counts a 调休 Sunday as a working day and an ordinary Sunday as a day off', () => {
    expect(calendar.isWorkingDay('2026-01-04')).toBe(true); // Sunday after 元旦
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // Sunday before 中秋/国庆
    expect(calendar.isWorkingDay('2026-01-11')).toBe(false);
  });

  it('counts a holiday Friday as a day off', () => {
    expect(calendar.isWorkingDay('2026-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-09-25')).toBe(false); // 中秋
  });

  it('says which years the official data covers: at least 2019 to 2026', () => {
    const { firstYear, lastYear } = calendar.coverage();
    expect(firstYear).toBeLessThanOrEqual(2019);
    expect(lastYear).toBeGreaterThanOrEqual(2026);
    expect(calendar.coversYear(2026)).toBe(true);
  });

  it('falls back to Monday–Friday for the first year without a notice (2027 today), and says so', () => {
    const year = calendar.coverage().lastYear + 1;
    expect(calendar.coversYear(year)).toBe(false);
    const wrong = [...datesOf(year)].filter(
      ({ date, weekday }) => calendar.isWorkingDay(date) !== (weekday >= 1 && weekday <= 5),
    );
    expect(wrong).toEqual([]);
    const deadline = calendar.addWorkingDays(at(`${year - 1}-12-31 16:00`), 3);
    expect(deadline.getTime()).toBeGreaterThan(at(`${year}-01-01 00:00`).getTime());
  });

  it('can be given a newer notice before the package carries it', () => {
    const with2027 = createCalendar({
      officialDays: officialDaysFrom({
        holidays: { '2026-10-01': '国庆', '2027-01-01': '元旦', '2027-10-01': '国庆' },
        workdays: {},
      }),
    });
    expect(with2027.coversYear(2027)).toBe(true);
    expect(with2027.coverage()).toEqual({ firstYear: 2026, lastYear: 2027 });
    expect(with2027.isWorkingDay('2027-01-01')).toBe(false);
  });

  it('refuses a malformed date instead of guessing', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('2026/10/01')).toThrow(RangeError);
  });
});

describe('deadlines in working days', () => {
  it('an appeal accepted at 16:00 on Wednesday 2026-09-30, the eve of National Day, is due to be finished 3 working days later at 16:00 on the 调休 Saturday 2026-10-10', () => {
    expect(show(calendar.addWorkingDays(at('2026-09-30 16:00'), 3))).toBe('2026-10-10 16:00');
  });

  it('an appeal raised at 20:00 on 2026-09-30 with 2 working days is shown as "请于 2026-10-09 18:00 前办结"', () => {
    expect(show(calendar.addWorkingDays(at('2026-09-30 20:00'), 2))).toBe('2026-10-09 18:00');
  });

  it('an appeal accepted at 16:00 on Thursday 2026-09-24, before 中秋, is due in 5 working days on 2026-10-09 16:00', () => {
    expect(show(calendar.addWorkingDays(at('2026-09-24 16:00'), 3))).toBe('2026-09-30 16:00');
    expect(show(calendar.addWorkingDays(at('2026-09-24 16:00'), 5))).toBe('2026-10-09 16:00');
  });

  it('an appeal accepted at 16:00 on Friday 2026-02-13 before Spring Festival is due for accepting on the 调休 Saturday and for finishing on 2026-02-25', () => {
    expect(show(calendar.addWorkingDays(at('2026-02-13 16:00'), 1))).toBe('2026-02-14 16:00');
    expect(show(calendar.addWorkingDays(at('2026-02-13 16:00'), 3))).toBe('2026-02-25 16:00');
  });

  it('one working day from 17:00 on New Year’s Eve 2025 is 17:00 on Sunday 2026-01-04, the 调休 day', () => {
    expect(show(calendar.addWorkingDays(at('2025-12-31 17:00'), 1))).toBe('2026-01-04 17:00');
  });

  it('an appeal submitted at 22:00 starts counting at 09:00 on the next working day', () => {
    expect(show(calendar.addWorkingDays(at('2026-09-29 22:00'), 0))).toBe('2026-09-30 09:00');
    expect(show(calendar.addWorkingDays(at('2026-09-29 22:00'), 1))).toBe('2026-09-30 18:00');
    expect(show(calendar.addWorkingDays(at('2026-09-30 22:00'), 0))).toBe('2026-10-08 09:00');
  });

  it('an appeal submitted at 18:00 sharp is after hours', () => {
    expect(calendar.isWithinOfficeHours(at('2026-09-29 18:00'))).toBe(false);
    expect(calendar.isWithinOfficeHours(at('2026-09-29 17:59'))).toBe(true);
    expect(show(calendar.addWorkingDays(at('2026-09-29 18:00'), 0))).toBe('2026-09-30 09:00');
  });

  it('addWorkingDays(x, 0) is x moved into office hours, and x itself when x is already inside them', () => {
    expect(show(calendar.addWorkingDays(at('2026-11-03 10:30'), 0))).toBe('2026-11-03 10:30');
    expect(show(calendar.addWorkingDays(at('2026-11-03 07:45'), 0))).toBe('2026-11-03 09:00');
    expect(show(calendar.addWorkingDays(at('2026-10-03 10:30'), 0))).toBe('2026-10-08 09:00'); // holiday
    expect(show(withLunchBreak.addWorkingDays(at('2026-11-03 12:30'), 0))).toBe('2026-11-03 13:30');
  });

  it('an extension of 2 working days on a deadline equals a 5-day deadline from the start', () => {
    const accepted = at('2026-09-24 16:00');
    const extended = calendar.addWorkingDays(calendar.addWorkingDays(accepted, 3), 2);
    expect(extended).toEqual(calendar.addWorkingDays(accepted, 5));
  });

  it('refuses a negative or non-numeric number of days', () => {
    expect(() => calendar.addWorkingDays(at('2026-11-03 10:00'), -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(at('2026-11-03 10:00'), Number.NaN)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('warnings and overdue checks', () => {
  const accepted = at('2026-09-30 10:00');
  const deadline = calendar.addWorkingDays(accepted, 3);

  it('75 % of a 3-working-day deadline across National Day falls on 2026-10-09 12:15, not in the holiday', () => {
    expect(show(deadline)).toBe('2026-10-10 10:00');
    const allowed = calendar.workingMinutesBetween(accepted, deadline);
    expect(allowed).toBe(3 * 540);
    const warnAt = calendar.addWorkingMinutes(accepted, 0.75 * allowed);
    expect(show(warnAt)).toBe('2026-10-09 12:15');
    expect(calendar.workingMinutesBetween(accepted, at('2026-10-09 12:14')) / allowed).toBeLessThan(0.75);
    expect(calendar.workingMinutesBetween(accepted, warnAt) / allowed).toBe(0.75);
  });

  it('the holiday week uses none of the time: on 2026-10-07 only Wednesday’s 8 hours are spent', () => {
    expect(calendar.workingMinutesBetween(accepted, at('2026-10-07 15:00'))).toBe(480);
  });

  it('an overdue appeal grows no more overdue over the weekend', () => {
    expect(calendar.workingMinutesBetween(deadline, at('2026-10-10 10:00'))).toBe(0);
    expect(calendar.workingMinutesBetween(deadline, at('2026-10-10 10:01'))).toBe(1);
    expect(calendar.workingMinutesBetween(deadline, at('2026-10-11 23:00'))).toBe(480);
    expect(calendar.workingMinutesBetween(at('2026-10-11 23:00'), deadline)).toBe(-480);
  });
});

describe('deadlines in working hours', () => {
  it('"dispatch within 2 h" from 17:00 runs into the next working morning', () => {
    expect(show(calendar.addWorkingHours(at('2026-11-03 17:00'), 2))).toBe('2026-11-04 10:00');
    expect(show(calendar.addWorkingHours(at('2026-09-30 17:30'), 2))).toBe('2026-10-08 10:30');
  });

  it('with a lunch break configured, 2 h from 11:00 ends at 14:30 and a day has 450 minutes', () => {
    expect(withLunchBreak.workingMinutesPerDay).toBe(450);
    expect(show(withLunchBreak.addWorkingHours(at('2026-11-03 11:00'), 2))).toBe('2026-11-03 14:30');
    expect(withLunchBreak.isWithinOfficeHours(at('2026-11-03 12:45'))).toBe(false);
    expect(show(withLunchBreak.addWorkingDays(at('2026-11-03 16:00'), 1))).toBe('2026-11-04 16:00');
  });

  it('refuses office hours that make no sense when the calendar is built', () => {
    expect(() => createCalendar({ officeHours: [] })).toThrow(RangeError);
    expect(() => createCalendar({ officeHours: ['18:00-09:00'] })).toThrow(RangeError);
    expect(() => createCalendar({ officeHours: ['09:00-13:00', '12:00-18:00'] })).toThrow(RangeError);
    expect(() => createCalendar({ officeHours: ['9am-6pm'] })).toThrow(RangeError);
  });
});

describe('properties that hold for any instant (2024–2027, covered and fallback years)', () => {
  const instant = fc.date({ min: at('2024-01-01 00:00'), max: at('2027-12-31 23:59'), noInvalidDate: true });
  const days = fc.integer({ min: 0, max: 30 });

  for (const [name, cal] of [
    ['09:00–18:00', calendar],
    ['09:00–12:00 and 13:30–18:00', withLunchBreak],
  ] as const) {
    describe(`office hours ${name}`, () => {
      it('a later start never gives an earlier deadline, and more days never give an earlier one', () => {
        fc.assert(
          fc.property(instant, instant, days, (a, b, n) => {
            const [early, late] = a <= b ? [a, b] : [b, a];
            expect(cal.addWorkingDays(early, n).getTime()).toBeLessThanOrEqual(
              cal.addWorkingDays(late, n).getTime(),
            );
            expect(cal.addWorkingDays(a, n).getTime()).toBeLessThan(cal.addWorkingDays(a, n + 1).getTime());
          }),
        );
      });

      it('the working minutes from a start to its n-day deadline are n working days', () => {
        fc.assert(
          fc.property(instant, days, (from, n) => {
            expect(cal.workingMinutesBetween(from, cal.addWorkingDays(from, n))).toBe(
              n * cal.workingMinutesPerDay,
            );
          }),
        );
      });

      it('a deadline lies in office hours or at a closing time, never at night or on a day off', () => {
        fc.assert(
          fc.property(instant, fc.integer({ min: 1, max: 30 }), (from, n) => {
            const deadline = cal.addWorkingDays(from, n);
            const justBefore = new Date(deadline.getTime() - 1);
            expect(cal.isWithinOfficeHours(deadline) || cal.isWithinOfficeHours(justBefore)).toBe(true);
          }),
        );
      });

      it('extending an n-day deadline by m days equals an (n + m)-day deadline', () => {
        fc.assert(
          fc.property(instant, days, fc.integer({ min: 1, max: 10 }), (from, n, m) => {
            expect(cal.addWorkingDays(cal.addWorkingDays(from, n), m)).toEqual(
              cal.addWorkingDays(from, n + m),
            );
          }),
        );
      });
    });
  }
});
