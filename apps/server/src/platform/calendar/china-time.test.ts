import { describe, expect, it } from 'vitest';
import {
  chinaDateOf,
  chinaIso,
  chinaMidnightOf,
  chinaYearOf,
  formatChinaDateTime,
  formatChinaMonthDayTime,
} from './index.ts';

// The one place the server writes China time (issue #18): every form, checked against Intl's own
// Asia/Shanghai answers, including the instants where UTC and China disagree on the day or year.
const INSTANTS = [
  '2026-10-09T01:00:00Z',
  '2026-12-31T16:00:00Z',
  '2026-01-05T15:59:00Z',
  '2024-02-28T16:30:00Z',
];

const intl = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hourCycle: 'h23', ...options });

describe('China time', () => {
  it.each(INSTANTS)('%s reads as Intl reads it in Asia/Shanghai', (iso) => {
    const at = new Date(iso);
    const full = intl({
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    const short = intl({ month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    expect(formatChinaDateTime(at, '/')).toBe(full.format(at));
    expect(formatChinaDateTime(at)).toBe(full.format(at).replaceAll('/', '-'));
    expect(formatChinaMonthDayTime(at)).toBe(short.format(at));
    expect(chinaYearOf(at)).toBe(Number(intl({ year: 'numeric' }).format(at).replace(/\D/g, '')));
  });

  it('the year turns at China midnight, eight hours before UTC', () => {
    expect(chinaYearOf(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(chinaYearOf(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
  });

  it('ISO with the +08:00 offset names the same instant', () => {
    const at = new Date('2026-10-09T01:02:03Z');
    expect(chinaIso(at)).toBe('2026-10-09T09:02:03+08:00');
    expect(new Date(chinaIso(at)).getTime()).toBe(at.getTime());
  });

  it('a China date begins at 16:00 UTC the day before; no such date is a RangeError', () => {
    expect(chinaMidnightOf('2026-10-09').toISOString()).toBe('2026-10-08T16:00:00.000Z');
    expect(chinaDateOf(chinaMidnightOf('2024-02-29'))).toBe('2024-02-29');
    for (const bad of ['2026-02-30', '2026-1-9', 'today', ''])
      expect(() => chinaMidnightOf(bad)).toThrow(RangeError);
  });
});
