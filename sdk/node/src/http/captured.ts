/**
 * Errors already sent, so a framework hook that sees the same error again (Next's onRequestError)
 * does not send it twice; and the one way a middleware reports a handler's error.
 */
import { captureException } from "../client.js";
import { runInScope } from "../context.js";
import type { RequestContext } from "./request.js";

const captured = new WeakSet<object>();

export function markCaptured(err: unknown): void {
  if (err !== null && typeof err === "object") captured.add(err);
}

export function wasCaptured(err: unknown): boolean {
  return err !== null && typeof err === "object" && captured.has(err);
}

/** Records `err` on the request (its span and request event) and sends it once, inside the request's scope. */
export function captureRequestError(err: unknown, ctx: (RequestContext & { error?: unknown }) | undefined, mechanism: string, route: string | undefined): void {
  if (ctx) ctx.error = err;
  if (wasCaptured(err)) return;
  const capture = () => captureException(err, { mechanism: { type: mechanism, handled: false }, tags: { "http.route": route ?? "" } });
  if (ctx) runInScope(ctx.scope, capture);
  else capture();
  markCaptured(err);
}
