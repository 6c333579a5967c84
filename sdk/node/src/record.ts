/** What a sink receives for one log call, and how it is rendered as text or as a JSON line. */
import type { LevelName } from "./levels.js";
import { stringifyValue } from "./format.js";

export type LogRecord = {
  /** Epoch milliseconds. */
  time: number;
  level: LevelName;
  levelNo: number;
  /** The formatted message. */
  message: string;
  /** The message as written, before brace formatting (stable across calls: good for grouping). */
  template: string;
  /** contextualize fields < bound fields < the call's own fields; already redacted. */
  fields: Record<string, unknown>;
  /** The `logger` field, if any: the name filters match on. */
  name?: string;
  exception?: Error;
  traceId?: string;
  spanId?: string;
  requestId?: string;
  userId?: string;
};

export type Formatter = (record: LogRecord) => string;

function errorJson(err: Error): Record<string, unknown> {
  return { type: err.name, message: err.message, stack: err.stack };
}

/** One JSON line: time (ISO), level, message, trace context, then the fields. */
export function serializeRecord(r: LogRecord): string {
  const out: Record<string, unknown> = { time: new Date(r.time).toISOString(), level: r.level, message: r.message };
  if (r.traceId) out.traceId = r.traceId;
  if (r.spanId) out.spanId = r.spanId;
  if (r.requestId) out.requestId = r.requestId;
  for (const key in r.fields) if (!(key in out)) out[key] = r.fields[key];
  if (r.exception) out.exception = errorJson(r.exception);
  try {
    return JSON.stringify(out) + "\n";
  } catch {
    return JSON.stringify({ time: out.time, level: r.level, message: r.message, serializeError: "fields are not JSON-serialisable" }) + "\n";
  }
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** loguru's default line: `2026-12-03 19:00:00.123 | INFO    | message key=value`. */
export function plainFormat(r: LogRecord): string {
  const d = new Date(r.time);
  const time = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad3(d.getMilliseconds())}`;
  let line = `${time} | ${r.level.toUpperCase().padEnd(7)} | ${r.name ? `${r.name} - ` : ""}${r.message}`;
  for (const key in r.fields) if (key !== "logger") line += ` ${key}=${stringifyValue(r.fields[key])}`;
  if (r.requestId) line += ` requestId=${r.requestId}`;
  if (r.exception?.stack) line += `\n${r.exception.stack}`;
  return line + "\n";
}

const COLORS: Record<LevelName, string> = {
  trace: "\x1b[36m", debug: "\x1b[34m", info: "\x1b[1m", success: "\x1b[32m", warn: "\x1b[33m", error: "\x1b[31m", fatal: "\x1b[41m",
};

/** Colored `plainFormat` for terminals. */
export function prettyFormat(r: LogRecord): string {
  const base = plainFormat(r);
  const label = r.level.toUpperCase().padEnd(7);
  return base.replace(`| ${label} |`, `| ${COLORS[r.level]}${label}\x1b[0m |`);
}

/** A loguru-style template: `{time}`, `{level}`, `{message}`, `{name}`, `{extra}`, `{requestId}`, `{traceId}`. */
export function templateFormatter(template: string): Formatter {
  return (r) =>
    template.replace(/\{(time|level|message|name|extra|requestId|traceId|spanId)\}/g, (_, key: string) => {
      switch (key) {
        case "time": return new Date(r.time).toISOString();
        case "level": return r.level.toUpperCase();
        case "message": return r.message;
        case "name": return r.name ?? "";
        case "extra": return JSON.stringify(r.fields);
        default: return String((r as Record<string, unknown>)[key] ?? "");
      }
    }) + (template.endsWith("\n") ? "" : "\n");
}
