// What a resident reads when a call fails: the server's error code decides, never its English text.
import { ApiError, clientErrorCodes } from '../shared/api';
import { strings } from './strings';

const byCode: Record<string, string> = {
  [clientErrorCodes.network]: strings.errors.network,
  [clientErrorCodes.timeout]: strings.errors.network,
  unsupported_file_type: strings.errors.fileType,
  unreadable_image: strings.errors.fileType,
  file_too_large: strings.errors.fileTooLarge,
  image_too_large: strings.errors.fileTooLarge,
  unknown_upload: strings.report.uploadExpired,
  unknown_station: strings.report.unknownStation,
  not_found: strings.track.notFound,
  invalid_rating_token: strings.track.rateTokenWrong,
  already_rated: strings.track.alreadyRated,
  wrong_code: strings.dispute.wrongCode,
};

export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return strings.errors.generic;
  const known = byCode[error.code];
  if (known) return known;
  if (error.status === 429) return strings.errors.rateLimited;
  if (error.status >= 500 || error.status === 0) return strings.errors.server;
  return strings.errors.generic;
}
