/**
 * OTel exception semantic conventions (`exception.type`, `exception.message`,
 * `exception.stacktrace`, `exception.escaped`) → a Sentry-shaped `error` ingest event.
 */
import { MAX_MESSAGE_LENGTH, type IngestEventInput } from "../schemas";
import { fitAttributes, type ResourceContext } from "./context";
import { parseStacktrace } from "./stacktrace";
import { firstString, type Json } from "./values";

type ErrorInput = Extract<IngestEventInput, { type: "error" }>;

function hasException(attrs: Record<string, Json>): boolean {
  return firstString(attrs, "exception.type", "exception.message", "exception.stacktrace") !== undefined;
}

/** Builds the error event, or null when the attributes carry no exception type, message or stack. */
export function exceptionErrorEvent(options: {
  attrs: Record<string, Json>;
  id: string | undefined;
  timestamp: number;
  context: ResourceContext & { traceId?: string; spanId?: string };
  level?: ErrorInput["level"];
  logger?: string;
  tags?: Record<string, string>;
  userId?: string;
}): ErrorInput | null {
  const { attrs } = options;
  if (!hasException(attrs)) return null;
  const type = firstString(attrs, "exception.type")?.slice(0, 256);
  const message = firstString(attrs, "exception.message")?.slice(0, MAX_MESSAGE_LENGTH);
  const stack = firstString(attrs, "exception.stacktrace");
  const frames = stack ? parseStacktrace(stack) : [];
  const escaped = attrs["exception.escaped"];
  const extra = fitAttributes(Object.fromEntries(Object.entries(attrs).filter(([k]) => !k.startsWith("exception."))));
  const userId = options.userId ?? firstString(attrs, "user.id", "enduser.id");
  return {
    type: "error",
    ...(options.id ? { id: options.id } : {}),
    timestamp: options.timestamp,
    ...options.context,
    level: options.level ?? "error",
    ...(message ? { message } : { message: type ?? "exception" }),
    ...(options.logger ? { logger: options.logger.slice(0, 256) } : {}),
    exception: {
      values: [
        {
          ...(type ? { type } : {}),
          ...(message ? { value: message } : {}),
          mechanism: { type: "otel", handled: escaped !== true },
          ...(frames.length ? { stacktrace: { frames } } : {}),
        },
      ],
    },
    ...(options.tags ? { tags: options.tags } : {}),
    ...(userId ? { user: { id: userId.slice(0, 256) } } : {}),
    ...(extra ? { extra } : {}),
  };
}
