import { errorResponse } from "../http/respond";
import { addLogContext } from "../log";
import type { ApiKeyScope } from "./generate";
import type { Db } from "../db/sql";
import { verifyApiKey, type VerifiedApiKey } from "./verify";

type ApiKeyAuthResult = { ok: true; key: VerifiedApiKey } | { ok: false; response: Response };

function authError(status: 401 | 403, code: string, message: string): Response {
  return errorResponse(status, code, message, { headers: status === 401 ? { "www-authenticate": 'Bearer realm="sightline"' } : {} });
}

/** The presented key: `Authorization: Bearer <key>`, else the `x-api-key` header. */
function apiKeyFromRequest(request: Request): string | null {
  const authorization = request.headers.get("authorization");
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) return bearer;
  return request.headers.get("x-api-key")?.trim() || null;
}

/**
 * Authenticates a route handler's request by project API key: 401 (with WWW-Authenticate)
 * for a missing, unknown or revoked key, 403 for a key of the wrong scope.
 */
export async function authenticateApiKey(db: Db, request: Request, required: ApiKeyScope): Promise<ApiKeyAuthResult> {
  const secret = apiKeyFromRequest(request);
  if (!secret) {
    return {
      ok: false,
      response: authError(401, "missing_api_key", "Send the project API key as `Authorization: Bearer <key>` (or `x-api-key`)."),
    };
  }
  const key = await verifyApiKey(db, secret);
  if (!key) return { ok: false, response: authError(401, "invalid_api_key", "The API key is unknown or has been revoked.") };
  if (key.scope !== required) {
    return {
      ok: false,
      response: authError(403, "insufficient_scope", `This endpoint needs a key with the "${required}" scope; this key has "${key.scope}".`),
    };
  }
  addLogContext({ orgId: key.orgId, projectId: key.projectId });
  return { ok: true, key };
}
