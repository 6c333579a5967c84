/**
 * OTel HTTP server semantic conventions → a `request` ingest event, so apps instrumented with any
 * OpenTelemetry SDK fill the request views without sending request records separately. Reads the
 * stable names (`http.request.method`, `http.response.status_code`, `url.path`, …) and the older
 * ones (`http.method`, `http.status_code`, `http.target`, …).
 */
import type { IngestEventInput } from "../schemas";
import { firstCount, firstNumber, firstString, type Json } from "./values";

type RequestInput = Extract<IngestEventInput, { type: "request" }>;

/** The request event of a SERVER span that names an HTTP method and status, or null. */
export function httpServerRequestEvent(options: {
  attrs: Record<string, Json>;
  kind: string;
  durationMs: number;
  base: Omit<RequestInput, "type" | "method" | "path" | "status" | "durationMs">;
}): RequestInput | null {
  const { attrs } = options;
  if (options.kind !== "server") return null;
  const method = firstString(attrs, "http.request.method", "http.method");
  const status = firstNumber(attrs, "http.response.status_code", "http.status_code");
  if (!method || status === undefined || !Number.isInteger(status) || status < 100 || status > 599) return null;
  const route = firstString(attrs, "http.route");
  const target = firstString(attrs, "url.path", "http.target")?.split("?")[0];
  const path = target ?? route;
  if (!path) return null;
  const userAgent = firstString(attrs, "user_agent.original", "http.user_agent");
  const clientIp = firstString(attrs, "client.address", "http.client_ip");
  const requestSize = firstCount(attrs, "http.request.body.size", "http.request_content_length");
  const responseSize = firstCount(attrs, "http.response.body.size", "http.response_content_length");
  const userId = firstString(attrs, "user.id", "enduser.id");
  return {
    ...options.base,
    type: "request",
    method: method.slice(0, 16),
    ...(route ? { route: route.slice(0, 2048) } : {}),
    path: path.slice(0, 2048),
    status,
    durationMs: options.durationMs,
    ...(requestSize !== undefined ? { requestSize } : {}),
    ...(responseSize !== undefined ? { responseSize } : {}),
    ...(userAgent ? { userAgent: userAgent.slice(0, 1024) } : {}),
    ...(clientIp ? { clientIp: clientIp.slice(0, 64) } : {}),
    ...(userId ? { userId: userId.slice(0, 256) } : {}),
  };
}
