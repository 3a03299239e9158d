// How the console writes times, durations, states and errors. Times are China time whatever the
// workstation's clock is set to: deadlines are working days in Asia/Shanghai.
import { ApiError, clientErrorCodes } from '../shared/api';
import { formatChinaDateTime, formatChinaShort } from '../shared/china-time';
import { strings } from './strings';

export const formatDateTime = (iso: string | null | undefined) => formatChinaDateTime(iso, '—');
export const formatShort = (iso: string | null | undefined) => formatChinaShort(iso, '—');

/** "3 天 4 小时", "5 小时", "12 分钟". */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return strings.duration.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return strings.duration.hours(hours);
  return strings.duration.days(Math.floor(hours / 24), hours % 24);
}

/** "剩余 5 小时" or "已超期 2 天" for a deadline, from now. */
export function formatDue(iso: string | null, now = Date.now()): string {
  if (!iso) return '—';
  const left = new Date(iso).getTime() - now;
  return left >= 0
    ? strings.duration.dueIn(formatDuration(left))
    : strings.duration.overdueBy(formatDuration(left));
}

export const formatRate = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;

export const statusName = (status: string) => strings.statuses[status] ?? status;

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';
const STATUS_TAGS: Record<string, TagType> = {
  submitted: 'warning',
  accepted: 'primary',
  dispatched: 'primary',
  claimed: 'primary',
  in_progress: 'primary',
  returned: 'warning',
  reopened: 'warning',
  resolved: 'success',
  verified: 'success',
  closed: 'info',
  rejected: 'info',
  merged: 'info',
};
export const statusTag = (status: string): TagType => STATUS_TAGS[status] ?? 'info';

export const urgencyTag = (urgency: string): TagType =>
  urgency === 'critical' ? 'danger' : urgency === 'urgent' ? 'warning' : 'info';

/** Text for a failed call: the codes the pages can explain, then the generic ones. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return strings.errors.unknown;
  const known: Record<string, string> = {
    version_conflict: strings.errors.versionConflict,
    illegal_transition: strings.errors.illegalTransition,
    validation_failed: strings.errors.validation,
    invalid_body: strings.errors.validation,
    invalid_assignee: strings.errors.invalidAssignee,
    unknown_upload: strings.errors.unknownUpload,
    file_too_large: strings.errors.fileTooLarge,
    unsupported_media_type: strings.errors.unsupportedMedia,
    reason_required: strings.errors.reasonRequired,
  };
  if (known[error.code]) return known[error.code]!;
  if (error.code === clientErrorCodes.network) return strings.errors.network;
  if (error.code === clientErrorCodes.timeout) return strings.errors.timeout;
  if (error.status === 403) return strings.errors.forbidden;
  if (error.status === 404) return strings.errors.notFound;
  if (error.status === 422 || error.status === 400) {
    // The server's own message is English; a 422 with a specific rule is still better than nothing.
    return `${strings.errors.validation}（${error.message}）`;
  }
  if (error.status >= 500) return strings.errors.server;
  return strings.errors.unknown;
}
