/**
 * The read API's request handling, shared by its route handlers: a `read`-scope project key,
 * zod-checked query parameters (400 naming each bad field), the project id taken ONLY from the
 * verified key, JSON out, 404 when the thing asked for is not this project's.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authenticateApiKey } from "@/server/keys/http";
import type { VerifiedApiKey } from "@/server/keys/verify";
import { errorResponse, jsonResponse, responseForError } from "@/server/http/respond";
import { withLogContext } from "@/server/log";
import type { Db } from "@/server/db/sql";
import { parseSearchParams } from "./query-params";

function invalidQuery(fields: Record<string, string[]>): Response {
  const names = Object.keys(fields);
  return errorResponse(400, "invalid_query", `Invalid query parameter${names.length > 1 ? "s" : ""}: ${names.join(", ")}`, { fields });
}

export const notFound = (what: string) => errorResponse(404, "not_found", `${what} was not found in this project.`);

/**
 * Authenticates, parses `request`'s query with `schema` and answers with what `run` returns — given
 * the key, the query and the route handler's `db` — (JSON 200), or `onNull()` when it returns null. Errors go through the one responder (an AppError
 * answers with its status; anything else is logged and answered 500 without details).
 */
export function handleReadRequest<S extends z.ZodType, T>(
  db: Db,
  request: Request,
  schema: S,
  run: (key: VerifiedApiKey, query: z.output<S>, db: Db) => Promise<T | null>,
  onNull: () => Response = () => notFound("It"),
): Promise<Response> {
  return withLogContext({ requestId: request.headers.get("x-request-id") ?? randomUUID() }, async () => {
    try {
      const auth = await authenticateApiKey(db, request, "read");
      if (!auth.ok) return auth.response;
      const parsed = parseSearchParams(schema, new URL(request.url).searchParams);
      if (!parsed.ok) return invalidQuery(parsed.fields);
      const result = await run(auth.key, parsed.value, db);
      return result === null ? onNull() : jsonResponse(200, result);
    } catch (error) {
      return responseForError(error, { message: "read API request failed", path: new URL(request.url).pathname });
    }
  });
}
