/**
 * The one error model (convention 5). Services throw AppError; the HTTP error handler turns it
 * into `{ error: { code, message, details } }` with its status.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const errors = {
  validation: (message: string, details: Record<string, unknown> = {}) =>
    new AppError('validation_failed', 400, message, details),
  unauthenticated: (message = 'authentication is required') => new AppError('unauthenticated', 401, message),
  forbidden: (message = 'you are not allowed to do this', details: Record<string, unknown> = {}) =>
    new AppError('forbidden', 403, message, details),
  notFound: (what: string, details: Record<string, unknown> = {}) =>
    new AppError('not_found', 404, `${what} was not found`, details),
  conflict: (message: string, details: Record<string, unknown> = {}) =>
    new AppError('conflict', 409, message, details),
  unprocessable: (code: string, message: string, details: Record<string, unknown> = {}) =>
    new AppError(code, 422, message, details),
};

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}
