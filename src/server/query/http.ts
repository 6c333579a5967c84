/**
 * The read API's request handling, shared by its route handlers: a `read`-scope project key,
 * zod-checked query parameters (400 naming each bad field), the project id taken ONLY from the
 * verified key, JSON out, 404 when the thing asked for is not this project's.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authenticateApiKey } from "@/server/keys/http";
import type { VerifiedApiKey } from "@/server/keys/verify";
import { log, withLogContext } from "@/server/log";
import { parseSearchParams } from "./params";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });
}

export function invalidQuery(fields: Record<string, string[]>): Response {
  const names = Object.keys(fields);
  return json(400, {
    error: { code: "invalid_query", message: `Invalid query parameter${names.length > 1 ? "s" : ""}: ${names.join(", ")}`, fields },
  });
}

export const notFound = (what: string) => json(404, { error: { code: "not_found", message: `${what} was not found in this project.` } });

/**
 * Authenticates, parses `request`'s query with `schema` and answers with what `run` returns
 * (JSON 200), or `onNull()` when it returns null. Unexpected failures are logged and answered 500
 * without details.
 */
export function handleReadRequest<S extends z.ZodType, T>(
  request: Request,
  schema: S,
  run: (key: VerifiedApiKey, query: z.output<S>) => Promise<T | null>,
  onNull: () => Response = () => notFound("It"),
): Promise<Response> {
  return withLogContext({ requestId: request.headers.get("x-request-id") ?? randomUUID() }, async () => {
    try {
      const auth = await authenticateApiKey(request, "read");
      if (!auth.ok) return auth.response;
      const parsed = parseSearchParams(schema, new URL(request.url).searchParams);
      if (!parsed.ok) return invalidQuery(parsed.fields);
      const result = await run(auth.key, parsed.value);
      return result === null ? onNull() : json(200, result);
    } catch (error) {
      log.error({ err: error, path: new URL(request.url).pathname }, "read API request failed");
      return json(500, { error: { code: "internal_error", message: "The query failed; it has been logged." } });
    }
  });
}
