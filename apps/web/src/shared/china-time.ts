// China time for every app: deadlines are working days in Asia/Shanghai, whatever zone the phone,
// the workstation or the wall's display machine is set to. The one place the web formats it.
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: CHINA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const shortDateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: CHINA_TIME_ZONE,
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const isoDate = new Intl.DateTimeFormat('en-CA', { timeZone: CHINA_TIME_ZONE });

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** 2026/10/09 09:00; `empty` for no time or an unreadable one. */
export function formatChinaDateTime(iso: string | null | undefined, empty = ''): string {
  const date = parse(iso);
  return date ? dateTime.format(date) : empty;
}

/** 10/09 09:00, for tables. */
export function formatChinaShort(iso: string | null | undefined, empty = ''): string {
  const date = parse(iso);
  return date ? shortDateTime.format(date) : empty;
}

/** Today's China date, YYYY-MM-DD. */
export function chinaToday(now = new Date()): string {
  return isoDate.format(now);
}
