/**
 * The one error type domain code throws. It says what went wrong in the caller's terms (a code, a
 * message fit to show, optionally the input field at fault) and nothing about transport: the tRPC
 * layer maps it once (`toTRPCError` in src/server/api/trpc.ts) and route handlers answer it with
 * the one HTTP responder (src/server/http/respond.ts). Anything else thrown is an internal error:
 * logged, and hidden from the caller.
 */

export const APP_ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
} as const;
type AppErrorCode = keyof typeof APP_ERROR_STATUS;

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** The input field at fault (forms show the message next to it). */
  readonly field?: string;

  constructor(code: AppErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.field = options.field;
  }
}

/** An error about one input field (duplicate e-mail, taken slug, weak password…). */
export function fieldError(code: AppErrorCode, field: string, message: string): AppError {
  return new AppError(code, message, { field });
}

export const notFound = (message: string) => new AppError("NOT_FOUND", message);
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
export const preconditionFailed = (message: string) => new AppError("PRECONDITION_FAILED", message);

/** True for a Postgres unique violation (Prisma P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
