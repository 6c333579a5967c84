/**
 * Express: `app.use(expressMiddleware())` first, `app.use(expressErrorHandler())` after the
 * routes (before your own error handlers). Route templates come from Express itself
 * (`req.baseUrl + req.route.path`), so `/items/42` is recorded as `/items/:id`.
 */
import { runInScope } from "../context.js";
import { captureRequestError } from "./captured.js";
import { finishRequest, isIgnored, startRequest, type HeaderBag, type MiddlewareOptions, type RequestContext } from "./request.js";

/** The parts of Express's request and response the SDK reads (no dependency on express). */
export type ExpressRequest = {
  method: string;
  originalUrl?: string;
  url: string;
  baseUrl?: string;
  route?: { path?: unknown };
  headers: HeaderBag;
  socket?: { remoteAddress?: string };
};
export type ExpressResponse = {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): unknown;
  getHeaders(): HeaderBag;
  headersSent?: boolean;
  on(event: "close", fn: () => void): unknown;
};
type Next = (err?: unknown) => void;

const CONTEXT = Symbol.for("sightline.request");
type WithContext = { [CONTEXT]?: RequestContext & { error?: unknown } };

function routeOf(req: ExpressRequest): string | undefined {
  const path = req.route?.path;
  if (typeof path !== "string") return undefined;
  const joined = `${req.baseUrl ?? ""}${path}`;
  return joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined || "/";
}

export function expressMiddleware<Req extends ExpressRequest = ExpressRequest>(options: MiddlewareOptions<Req> = {}) {
  const opts = options as MiddlewareOptions<never>;
  const idHeader = options.requestIdHeader ?? "x-request-id";
  return function sightlineExpress(req: Req, res: ExpressResponse, next: Next): void {
    const raw = req.originalUrl ?? req.url;
    const q = raw.indexOf("?");
    const path = q < 0 ? raw : raw.slice(0, q);
    if (isIgnored(path, opts)) return next();
    const ctx = startRequest({ method: req.method, path, headers: req.headers, remoteAddress: req.socket?.remoteAddress }, opts) as RequestContext & { error?: unknown };
    (req as WithContext)[CONTEXT] = ctx;
    res.setHeader(idHeader, ctx.requestId);
    const finish = () =>
      finishRequest(ctx, {
        status: res.statusCode,
        route: routeOf(req),
        responseSize: res.getHeader("content-length"),
        responseHeaders: res.getHeaders(),
        userId: options.userId?.(req),
        error: ctx.error,
      }, opts);
    // A response emits "close" once whether it finished or was aborted: one listener covers both.
    res.on("close", finish);
    runInScope(ctx.scope, next);
  };
}

/** Express error middleware: sends the error (with the request's trace) and passes it on. */
export function expressErrorHandler() {
  return function sightlineExpressError(err: unknown, req: ExpressRequest, _res: ExpressResponse, next: Next): void {
    captureRequestError(err, (req as WithContext)[CONTEXT], "express", routeOf(req));
    next(err);
  };
}

/** `setupExpressErrorHandler(app)`: the same, registered for you (call it after your routes). */
export function setupExpressErrorHandler(app: { use(fn: unknown): unknown }): void {
  app.use(expressErrorHandler());
}
