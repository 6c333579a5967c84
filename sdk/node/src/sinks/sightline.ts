/** The Sightline sink: log records become the portal's `log` events, queued on the transport. */
import type { SinkObject } from "../handlers.js";
import { portalLevel } from "../levels.js";
import type { LogRecord } from "../record.js";

export type EventEmitter = (event: { type: string; [key: string]: unknown }) => void;

const MAX_MESSAGE = 32_768;

export function sightlineSink(emit: EventEmitter, flush: () => Promise<void>): SinkObject {
  return {
    wantsRecord: true,
    write(_line: string, r: LogRecord) {
      let attributes: Record<string, unknown> | undefined;
      for (const key in r.fields) {
        if (key === "logger" || key === "userId") continue;
        (attributes ??= {})[key] = r.fields[key];
      }
      if (r.level === "success") (attributes ??= {}).level = "success";
      if (r.exception) (attributes ??= {}).exception = { type: r.exception.name, message: r.exception.message, stack: r.exception.stack };
      if (r.template !== r.message) (attributes ??= {}).template = r.template;
      emit({
        type: "log",
        timestamp: r.time,
        level: portalLevel(r.level),
        message: r.message.length > MAX_MESSAGE ? r.message.slice(0, MAX_MESSAGE) : r.message,
        logger: r.name,
        attributes,
        traceId: r.traceId,
        spanId: r.spanId,
        requestId: r.requestId,
        userId: r.userId ?? (typeof r.fields.userId === "string" ? r.fields.userId : undefined),
      });
    },
    flush,
  };
}
