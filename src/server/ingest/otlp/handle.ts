/**
 * The OTLP/HTTP endpoints (`/api/v1/otlp/v1/{traces,logs,metrics}`): content type → format,
 * ingest key, bounded (gzip) body, decode, `exportOtlp`, and an answer in the request's format.
 * Status codes follow the OTLP/HTTP spec so exporters behave: 200 (+ partialSuccess), 400/401/403/
 * 413/415 are final; 429 and 503 (storage unavailable; nothing stored) carry Retry-After and are
 * retried by clients.
 */
import { randomUUID } from "node:crypto";
import { isDatabaseUnavailable } from "@/server/db/unavailable";
import { env } from "@/server/env";
import { DATABASE_RETRY_AFTER_SECONDS } from "@/server/http/respond";
import type { DbPool } from "@/server/db/sql";
import { authenticateApiKey } from "@/server/keys/http";
import { log, withLogContext } from "@/server/log";
import { readBoundedBody } from "../body";
import { IngestWriteError } from "../pipeline";
import { ingestAdmission, ingestRateLimiter, OVERLOAD_RETRY_AFTER_SECONDS } from "../rate-limit";
import { exportOtlp } from "./export";
import type { OtlpSignal } from "./schemas";
import { decodeOtlpBody, encodeOtlpError, encodeOtlpResponse, OtlpDecodeError, otlpFormatOf, type OtlpFormat } from "./wire";

function respond(status: number, encoded: { body: Uint8Array | string; contentType: string }, headers: Record<string, string> = {}) {
  return new Response(encoded.body as BodyInit, { status, headers: { "content-type": encoded.contentType, ...headers } });
}

function fail(format: OtlpFormat, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return respond(status, encodeOtlpError(format, status, code, message), headers);
}

/** Re-encodes an auth failure (JSON `{ error }` from the key check) in the request's format. */
async function authFailure(format: OtlpFormat, response: Response): Promise<Response> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  const headers: Record<string, string> = {};
  const challenge = response.headers.get("www-authenticate");
  if (challenge) headers["www-authenticate"] = challenge;
  return fail(format, response.status, body.error.code, body.error.message, headers);
}

export function handleOtlpRequest(db: DbPool, request: Request, signal: OtlpSignal): Promise<Response> {
  return withLogContext({ requestId: request.headers.get("x-request-id") ?? randomUUID() }, async () => {
    try {
      return await handle(db, request, signal);
    } catch (error) {
      const format = otlpFormatOf(request.headers.get("content-type")) ?? "json";
      if (isDatabaseUnavailable(error)) {
        log.error({ err: error, signal }, "OTLP export failed: database unavailable");
        return fail(format, 503, "database_unavailable", "The database is unavailable; nothing was stored. Retry later.", {
          "retry-after": String(DATABASE_RETRY_AFTER_SECONDS),
        });
      }
      log.error({ err: error, signal }, "OTLP export failed");
      return fail(format, 500, "internal_error", "The export could not be processed; it has been logged.");
    }
  });
}

async function handle(db: DbPool, request: Request, signal: OtlpSignal): Promise<Response> {
  const format = otlpFormatOf(request.headers.get("content-type"));
  if (!format) {
    return fail("json", 415, "unsupported_media_type", "Send Content-Type application/x-protobuf or application/json (OTLP/HTTP).");
  }
  const auth = await authenticateApiKey(db, request, "ingest");
  if (!auth.ok) return authFailure(format, auth.response);

  const rate = await ingestRateLimiter().consume(auth.key.keyId);
  if (!rate.ok) {
    return fail(format, 429, "rate_limited", `Too many requests for this key; retry after ${rate.retryAfterSeconds} s.`, {
      "retry-after": String(rate.retryAfterSeconds),
    });
  }

  const release = await ingestAdmission().acquire();
  if (!release) {
    return fail(format, 503, "overloaded", "The portal is busy; nothing of this export was read. Retry shortly.", {
      "retry-after": String(OVERLOAD_RETRY_AFTER_SECONDS),
    });
  }
  try {
    return await admitted(db, request, signal, format, auth.key);
  } finally {
    release();
  }
}

async function admitted(db: DbPool, request: Request, signal: OtlpSignal, format: OtlpFormat, key: { projectId: string; orgId: string }): Promise<Response> {
  const read = await readBoundedBody(request, env.INGEST_MAX_BODY_BYTES);
  if (!read.ok) return fail(format, read.problem.status, read.problem.code, read.problem.message);

  let decoded: unknown;
  try {
    decoded = decodeOtlpBody(signal, format, read.body);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return fail(format, 400, "invalid_body", error.message);
    throw error;
  }

  try {
    const result = await exportOtlp(db, { projectId: key.projectId, orgId: key.orgId }, signal, decoded);
    if (!result.ok) return fail(format, 400, "invalid_body", result.message);
    const partial = result.rejected > 0 || result.errorMessage ? { rejected: result.rejected, errorMessage: result.errorMessage } : null;
    return respond(200, encodeOtlpResponse(signal, format, partial));
  } catch (error) {
    if (error instanceof IngestWriteError) {
      log.error({ err: error.cause, signal }, "OTLP export could not be stored");
      return fail(format, 503, "storage_unavailable", "Storing the data failed; nothing was stored. Retry later.", {
        "retry-after": String(DATABASE_RETRY_AFTER_SECONDS),
      });
    }
    throw error;
  }
}
