/**
 * V8 stack traces → the portal's stack frames (Sentry's shape): oldest call first, the throwing
 * frame last; `in_app` false under node_modules and for Node's own modules; file names relative
 * to the working directory; the exception chain followed through `cause` (outermost last).
 */
export type StackFrame = {
  filename?: string;
  function?: string;
  module?: string;
  lineno?: number;
  colno?: number;
  abs_path?: string;
  in_app?: boolean;
};

export type ExceptionValue = {
  type?: string;
  value?: string;
  module?: string;
  mechanism?: { type?: string; handled?: boolean };
  stacktrace?: { frames: StackFrame[] };
};

const MAX_FRAMES = 256;
const MAX_CHAIN = 16;
// "    at fn (file:line:col)" | "    at file:line:col" | "    at async fn (file:line:col)" | "    at fn (native)"
const FRAME_WITH_FN = /^\s*at (?:async )?(.+?) \((.*?)(?::(\d+))?(?::(\d+))?\)$/;
const FRAME_BARE = /^\s*at (?:async )?(.*?)(?::(\d+))?(?::(\d+))?$/;

function toFrame(fn: string | undefined, location: string, line?: string, col?: string, cwd = process.cwd()): StackFrame {
  let abs = location.startsWith("file://") ? decodeURIComponent(location.slice(7)) : location;
  if (abs === "native" || abs === "<anonymous>") abs = "";
  const nodeInternal = abs.startsWith("node:") || abs.startsWith("internal/") || (!abs.includes("/") && !abs.includes("\\") && abs !== "");
  const inNodeModules = /[\\/]node_modules[\\/]/.test(abs);
  const relative = abs && cwd && abs.startsWith(cwd + "/") ? abs.slice(cwd.length + 1) : abs;
  const frame: StackFrame = { in_app: !nodeInternal && !inNodeModules && abs !== "" };
  if (relative) frame.filename = relative;
  if (abs) frame.abs_path = abs;
  if (fn) frame.function = fn;
  if (line) frame.lineno = Number(line);
  if (col) frame.colno = Number(col);
  if (inNodeModules) {
    const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(abs);
    if (m) frame.module = m[1]!.replace(/\\/g, "/");
  }
  return frame;
}

export function parseStack(stack: string | undefined, cwd = process.cwd()): StackFrame[] {
  if (!stack) return [];
  const frames: StackFrame[] = [];
  for (const line of stack.split("\n")) {
    if (!/^\s*at /.test(line)) continue;
    const withFn = FRAME_WITH_FN.exec(line);
    if (withFn) frames.push(toFrame(withFn[1], withFn[2]!, withFn[3], withFn[4], cwd));
    else {
      const bare = FRAME_BARE.exec(line);
      if (bare) frames.push(toFrame(undefined, bare[1]!, bare[2], bare[3], cwd));
    }
    if (frames.length >= MAX_FRAMES) break;
  }
  return frames.reverse();
}

function errorType(err: Error): string {
  const ctor = (err as { constructor?: { name?: string } }).constructor?.name;
  return err.name && err.name !== "Error" ? err.name : ctor && ctor !== "Object" ? ctor : "Error";
}

/** The exception chain of `err` (causes first, `err` last), as the portal's `exception.values`. */
export function exceptionValues(err: unknown, mechanism?: { type: string; handled: boolean }): ExceptionValue[] {
  const chain: ExceptionValue[] = [];
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current !== undefined && current !== null && !seen.has(current) && chain.length < MAX_CHAIN) {
    seen.add(current);
    if (current instanceof Error) {
      const value: ExceptionValue = { type: errorType(current), value: current.message.slice(0, 32_768) };
      const frames = parseStack(current.stack);
      if (frames.length) value.stacktrace = { frames };
      chain.push(value);
      current = (current as { cause?: unknown }).cause;
    } else {
      chain.push({ type: typeof current === "object" ? "NonErrorObject" : "NonError", value: safeString(current) });
      break;
    }
  }
  chain.reverse();
  if (mechanism && chain.length) chain[chain.length - 1]!.mechanism = mechanism;
  return chain;
}

function safeString(value: unknown): string {
  try {
    return (typeof value === "string" ? value : JSON.stringify(value) ?? String(value)).slice(0, 32_768);
  } catch {
    return String(value);
  }
}

/** Anything thrown, as an Error (strings and objects become one with their text as message). */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(safeString(thrown));
}
