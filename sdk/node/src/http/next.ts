/**
 * Next.js App Router: `export const GET = withSightline(async (req, ctx) => …)` records the
 * route handler's requests; `export { onRequestError } from "@sightline/node"` in
 * `instrumentation.ts` reports errors Next.js sees in pages, actions and handlers. Next does not
 * tell a handler its route pattern, so the template is rebuilt from `params`
 * (`/items/42` with `{ id: "42" }` → `/items/[id]`) unless `route` is given.
 */
import { captureException } from "../client.js";
import { runInScope } from "../context.js";
import { markCaptured, wasCaptured } from "./captured.js";
import { finishRequest, isIgnored, startRequest, type HeaderBag, type MiddlewareOptions } from "./request.js";

type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> | Record<string, string | string[] | undefined> } | undefined;

export type WithSightlineOptions = MiddlewareOptions<Request> & { route?: string };

function headersOf(headers: Headers): HeaderBag {
  const out: HeaderBag = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/** `/items/42` + `{ id: "42" }` → `/items/[id]`; catch-alls (`string[]`) become `[...name]`. */
export function routeFromParams(path: string, params: Record<string, string | string[] | undefined> | undefined): string | undefined {
  if (!params || Object.keys(params).length === 0) return path;
  let segments = path.split("/");
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const joined = value.map(encodeURIComponent).join("/");
      const at = segments.join("/").lastIndexOf(`/${joined}`);
      if (at >= 0) segments = (segments.join("/").slice(0, at) + `/[...${name}]` + segments.join("/").slice(at + joined.length + 1)).split("/");
      continue;
    }
    const i = segments.findIndex((s) => s === value || s === encodeURIComponent(value));
    if (i >= 0) segments[i] = `[${name}]`;
  }
  return segments.join("/");
}

export function withSightline<C extends RouteContext, R extends Response>(
  handler: (request: Request, context: C) => Promise<R> | R,
  options: WithSightlineOptions = {},
): (request: Request, context: C) => Promise<R> {
  const opts = options as MiddlewareOptions<never>;
  return async function sightlineRoute(request: Request, context: C): Promise<R> {
    const url = new URL(request.url);
    if (isIgnored(url.pathname, opts)) return handler(request, context);
    const headers = headersOf(request.headers);
    const ctx = startRequest({ method: request.method, path: url.pathname, headers, remoteAddress: undefined }, opts);
    const route = async () => options.route ?? routeFromParams(url.pathname, context?.params ? await context.params : undefined);
    return runInScope(ctx.scope, async () => {
      let response: R;
      try {
        response = await handler(request, context);
      } catch (error) {
        captureException(error, { mechanism: { type: "nextjs.route", handled: false } });
        markCaptured(error);
        finishRequest(ctx, { status: 500, route: await route().catch(() => undefined), error, userId: options.userId?.(request) }, opts);
        throw error;
      }
      try {
        response.headers.set(options.requestIdHeader ?? "x-request-id", ctx.requestId);
      } catch {
        // immutable headers (Response.redirect, a proxied fetch response): leave them as they are
      }
      finishRequest(ctx, {
        status: response.status,
        route: await route().catch(() => undefined),
        responseSize: response.headers.get("content-length") ?? undefined,
        responseHeaders: headersOf(response.headers),
        userId: options.userId?.(request),
      }, opts);
      return response;
    });
  };
}

/** Next.js `instrumentation.ts` hook: `export { onRequestError } from "@sightline/node"`. */
export function onRequestError(
  error: unknown,
  request: { path?: string; method?: string; headers?: Record<string, string | string[] | undefined> },
  context: { routerKind?: string; routePath?: string; routeType?: string; renderSource?: string; revalidateReason?: string },
): void {
  if (wasCaptured(error)) return;
  const tags: Record<string, string> = {};
  if (context.routePath) tags["http.route"] = context.routePath;
  if (context.routerKind) tags["next.router_kind"] = context.routerKind;
  if (context.routeType) tags["next.route_type"] = context.routeType;
  if (request.method) tags["http.request.method"] = request.method;
  const ctx = startRequest({ method: request.method ?? "GET", path: request.path ?? "/", headers: request.headers ?? {} }, { ignorePaths: [] });
  runInScope(ctx.scope, () => captureException(error, { mechanism: { type: "nextjs.onRequestError", handled: false }, tags }));
  markCaptured(error);
}
