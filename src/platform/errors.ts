import type { ErrorCode, ErrorDetail } from '../contract/common.js';

/** Exhaustive: a new code without a status fails typecheck. */
export const statusByCode: Record<ErrorCode, number> = {
  invalid: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  over_capacity: 409,
  unavailable: 503,
  internal: 500,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
};

/** CLI exit codes, mapped once. */
export const exitCodeByCode: Record<ErrorCode, number> = {
  invalid: 2,
  unauthorized: 3,
  forbidden: 3,
  not_found: 4,
  conflict: 5,
  over_capacity: 5,
  unavailable: 6,
  internal: 1,
  too_large: 2,
  unsupported_media_type: 2,
  rate_limited: 7,
};

export class BatonError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetail[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'BatonError';
    this.code = code;
    this.details = options.details;
  }
}

export const notFound = (what: string, id: string): BatonError =>
  new BatonError('not_found', `${what} "${id}" not found`);
