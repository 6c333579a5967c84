/**
 * The one HTTP responder for route handlers (ingest, OTLP auth failures, the read API): JSON bodies,
 * and every error as `{ error: { code, message, fields? } }` with its status. An AppError thrown by
 * domain code answers with its own status and message; a database that cannot be reached answers 503
 * with Retry-After; anything else is logged and answered 500 without details.
 */
import { APP_ERROR_STATUS, AppError } from "../app-error";
import { isDatabaseUnavailable } from "../db/unavailable";
import { log } from "../log";

/** Seconds a client should wait before retrying when storage or the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  options: { headers?: Record<string, string>; fields?: Record<string, string[]> } = {},
): Response {
  return jsonResponse(status, { error: { code, message, ...(options.fields ? { fields: options.fields } : {}) } }, options.headers);
}

/** The response for whatever a route handler's work threw. */
export function responseForError(error: unknown, context: { message: string; path?: string }): Response {
  if (error instanceof AppError) {
    const fields = error.field ? { [error.field]: [error.message] } : undefined;
    return errorResponse(APP_ERROR_STATUS[error.code], error.code.toLowerCase(), error.message, { fields });
  }
  if (isDatabaseUnavailable(error)) {
    log.error({ err: error, path: context.path }, `${context.message}: database unavailable`);
    return errorResponse(503, "database_unavailable", "The database is unavailable; nothing was stored. Retry later.", {
      headers: { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
    });
  }
  log.error({ err: error, path: context.path }, context.message);
  return errorResponse(500, "internal_error", "The request failed; it has been logged.");
}
