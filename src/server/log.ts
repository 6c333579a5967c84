import pino from "pino";
import { AsyncLocalStorage } from "node:async_hooks";
import { env } from "./env";

type LogContext = { requestId?: string; userId?: string; orgId?: string; projectId?: string };

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with fields that every log line inside it carries (request id, user, org). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

export function addLogContext(fields: LogContext): void {
  const store = context.getStore();
  if (store) Object.assign(store, fields);
}

export const log = pino({
  level: env.LOG_LEVEL ?? "info", // `next build` skips env validation, so defaults are absent there
  base: { service: "sightline" },
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin: () => ({ ...context.getStore() }),
  redact: {
    paths: [
      "password",
      "*.password",
      "passwordHash",
      "*.passwordHash",
      "secret",
      "*.secret",
      "token",
      "*.token",
      "apiKey",
      "*.apiKey",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "headers.cookie",
      "*.headers.authorization",
      "*.headers.cookie",
    ],
    censor: "[REDACTED]",
  },
});
