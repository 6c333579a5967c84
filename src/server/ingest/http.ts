/**
 * `POST /api/v1/ingest`: key → rate → bounded body → JSON → `ingestBatch`. Answers
 * 200 (all accepted) / 207 (some rejected) / 400 (unusable body) / 401 / 403 / 413 / 415 / 429 /
 * 503 (storage failed or the portal overloaded: nothing stored, retry after Retry-After) with `{ error: { code, message } }` on failure.
 */
import { randomUUID } from "node:crypto";
import { env } from "../env";
import type { DbPool } from "../db/sql";
import { authenticateApiKey } from "../keys/http";
import { DATABASE_RETRY_AFTER_SECONDS, errorResponse, jsonResponse, responseForError } from "../http/respond";
import { log, withLogContext } from "../log";
import { readBoundedBody } from "./body";
import { IngestWriteError, ingestBatch } from "./pipeline";
import { ingestAdmission, ingestRateLimiter, OVERLOAD_RETRY_AFTER_SECONDS } from "./rate-limit";

export async function handleIngestRequest(db: DbPool, request: Request): Promise<Response> {
  return withLogContext({ requestId: request.headers.get("x-request-id") ?? randomUUID() }, async () => {
    try {
      return await handle(db, request);
    } catch (error) {
      return responseForError(error, { message: "ingest request failed" });
    }
  });
}

async function handle(db: DbPool, request: Request): Promise<Response> {
  const auth = await authenticateApiKey(db, request, "ingest");
  if (!auth.ok) return auth.response;
  const { key } = auth;

  const rate = await ingestRateLimiter().consume(key.keyId);
  if (!rate.ok) {
    return errorResponse(429, "rate_limited", `Too many requests for this key; retry after ${rate.retryAfterSeconds} s.`, {
      headers: { "retry-after": String(rate.retryAfterSeconds) },
    });
  }

  const release = await ingestAdmission().acquire();
  if (!release) {
    return errorResponse(503, "overloaded", "The portal is busy; nothing of this batch was read. Retry shortly.", {
      headers: { "retry-after": String(OVERLOAD_RETRY_AFTER_SECONDS) },
    });
  }
  try {
    return await admitted(db, request, key);
  } finally {
    release();
  }
}

async function admitted(db: DbPool, request: Request, key: { projectId: string; orgId: string }): Promise<Response> {
  const read = await readBoundedBody(request, env.INGEST_MAX_BODY_BYTES);
  if (!read.ok) return errorResponse(read.problem.status, read.problem.code, read.problem.message);

  let body: unknown;
  try {
    body = JSON.parse(read.body.toString("utf8"));
  } catch {
    return errorResponse(400, "invalid_json", "The body is not valid JSON.");
  }
  const batch = (body as { batch?: unknown } | null)?.batch;
  if (!body || typeof body !== "object" || !Array.isArray(batch)) {
    return errorResponse(400, "invalid_body", 'The body must be a JSON object { "batch": [ event, … ] }.');
  }
  if (batch.length === 0) return errorResponse(400, "empty_batch", "`batch` has no events.");
  if (batch.length > env.INGEST_MAX_EVENTS_PER_BATCH) {
    return errorResponse(413, "too_many_events", `A batch holds at most ${env.INGEST_MAX_EVENTS_PER_BATCH} events; this one has ${batch.length}. Split it.`);
  }

  try {
    const result = await ingestBatch(db, { projectId: key.projectId, orgId: key.orgId }, batch);
    const status = result.rejected.length ? 207 : 200;
    return jsonResponse(status, { accepted: result.accepted, rejected: result.rejected });
  } catch (error) {
    if (error instanceof IngestWriteError) {
      log.error({ err: error.cause }, "ingest write failed; batch not stored");
      return errorResponse(503, "storage_unavailable", "The batch could not be stored and nothing of it was kept; retry.", {
        headers: { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
      });
    }
    throw error;
  }
}
