/**
 * Whether an error means "the database could not be reached or answered in time" (connection
 * refused, reset or cut, connect or query timeout, the server shutting down or out of connections),
 * as opposed to a query the database refused. Callers answer such errors 503 with Retry-After:
 * nothing was stored, and a retry later is the right move.
 */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
/** SQLSTATE: class 08 (connection exception), admin/crash shutdown, cannot connect now, too many connections. */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300)$/;
const PG_CLIENT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection terminated due to connection timeout/;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) return true;
    if (typeof message === "string" && PG_CLIENT_MESSAGES.test(message)) return true;
  }
  return false;
}
