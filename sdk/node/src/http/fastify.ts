/**
 * Fastify: `await app.register(fastifyPlugin, options)`. The plugin skips encapsulation (as
 * `fastify-plugin` does) so its hooks see every route; the route template is Fastify's own
 * (`request.routeOptions.url`, e.g. `/items/:id`).
 */
import { runInScope } from "../context.js";
import { captureRequestError } from "./captured.js";
import { finishRequest, isIgnored, startRequest, type HeaderBag, type MiddlewareOptions, type RequestContext } from "./request.js";

export type FastifyRequestLike = {
  method: string;
  url: string;
  headers: HeaderBag;
  ip?: string;
  routeOptions?: { url?: string };
  routerPath?: string;
};
type FastifyReplyLike = { statusCode: number; header(name: string, value: string): unknown; getHeader(name: string): unknown; getHeaders(): HeaderBag };
type Done = (err?: Error) => void;
type FastifyLike = {
  addHook(name: "onRequest" | "preHandler" | "onResponse", fn: (req: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void): unknown;
  addHook(name: "onError", fn: (req: FastifyRequestLike, reply: FastifyReplyLike, error: Error, done: Done) => void): unknown;
};

const CONTEXT = Symbol.for("sightline.request");
type Ctx = RequestContext & { error?: unknown };
type WithContext = { [CONTEXT]?: Ctx };

function routeOf(req: FastifyRequestLike): string | undefined {
  return req.routeOptions?.url ?? req.routerPath;
}

function sightlineFastify(fastify: FastifyLike, options: MiddlewareOptions<FastifyRequestLike> | undefined, done: Done): void {
  const opts = (options ?? {}) as MiddlewareOptions<never>;
  const idHeader = opts.requestIdHeader ?? "x-request-id";
  fastify.addHook("onRequest", (req, reply, next) => {
    const q = req.url.indexOf("?");
    const path = q < 0 ? req.url : req.url.slice(0, q);
    if (isIgnored(path, opts)) return next();
    const ctx = startRequest({ method: req.method, path, headers: req.headers, remoteAddress: req.ip }, opts);
    (req as WithContext)[CONTEXT] = ctx;
    reply.header(idHeader, ctx.requestId);
    runInScope(ctx.scope, () => next());
  });
  // Body parsing runs on stream callbacks outside the scope: enter it again before the handler.
  fastify.addHook("preHandler", (req, _reply, next) => {
    const ctx = (req as WithContext)[CONTEXT];
    if (ctx) runInScope(ctx.scope, () => next());
    else next();
  });
  fastify.addHook("onError", (req, _reply, error, next) => {
    captureRequestError(error, (req as WithContext)[CONTEXT], "fastify", routeOf(req));
    next();
  });
  fastify.addHook("onResponse", (req, reply, next) => {
    const ctx = (req as WithContext)[CONTEXT];
    if (ctx) {
      finishRequest(ctx, {
        status: reply.statusCode,
        route: routeOf(req),
        responseSize: reply.getHeader("content-length"),
        responseHeaders: reply.getHeaders(),
        userId: (options?.userId as ((r: FastifyRequestLike) => string | undefined) | undefined)?.(req),
        error: ctx.error,
      }, opts);
    }
    next();
  });
  done();
}

/** The Fastify plugin (not encapsulated: its hooks apply to the whole app). */
export const fastifyPlugin = Object.assign(sightlineFastify, {
  [Symbol.for("skip-override")]: true,
  [Symbol.for("fastify.display-name")]: "@sightline/node",
  [Symbol.for("plugin-meta")]: { name: "@sightline/node", fastify: ">=4" },
});
