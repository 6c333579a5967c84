/**
 * The loguru-style logger. `logger.info("User {user} paid {amount}", { user, amount })` formats
 * the message and keeps the fields structured; `bind` returns a child with extra fields;
 * `contextualize` scopes fields to everything logged inside a function, across `await`;
 * `catch` wraps sync and async functions; `opt({ lazy: true })` calls function-valued fields
 * only when a sink wants the level; `add`/`remove` manage sinks shared by all of them.
 */
import { activeIds, currentScope, scopeUserId, withFields } from "./context.js";
import { formatMessage } from "./format.js";
import { Handlers, type AddOptions, type Sink } from "./handlers.js";
import { LEVELS, levelNo as toLevelNo, type LevelName } from "./levels.js";
import type { LogRecord } from "./record.js";
import { redactor } from "./redact.js";
import { toError } from "./stack.js";
import { consoleSink, consoleSinkOptions } from "./sinks/console.js";

export type Fields = Record<string, unknown>;
export type LogOptions = {
  /** Call function-valued fields (and a function message) only when some sink accepts the level. */
  lazy?: boolean;
  /** Attach this error (stack and all) to the record. */
  exception?: unknown;
};
export type CatchOptions<T = unknown> = {
  /** Rethrow after logging (loguru's default is false: return `default`). */
  reraise?: boolean;
  default?: T;
  message?: string;
  level?: LevelName;
  /** Error classes that are not caught: rethrown untouched and not logged. */
  exclude?: (new (...args: never[]) => Error) | Array<new (...args: never[]) => Error>;
  onerror?: (error: Error) => void;
  /** Also send the exception to Sightline as an error event (default true). */
  capture?: boolean;
};

type ExceptionHook = (error: Error, scopeFields: Fields) => void;
let exceptionHook: ExceptionHook | null = null;
/** Set by `init`: where `logger.catch` sends caught exceptions. */
export function setExceptionHook(hook: ExceptionHook | null): void {
  exceptionHook = hook;
}

const EMPTY: Fields = Object.freeze({}) as Fields;

export class Logger {
  constructor(
    private readonly handlers: Handlers,
    private readonly extra: Fields = EMPTY,
    private readonly options: LogOptions = {},
  ) {}

  trace(message: string, fields?: Fields | Error): void { this.emit("trace", message, fields); }
  debug(message: string, fields?: Fields | Error): void { this.emit("debug", message, fields); }
  info(message: string, fields?: Fields | Error): void { this.emit("info", message, fields); }
  success(message: string, fields?: Fields | Error): void { this.emit("success", message, fields); }
  warn(message: string, fields?: Fields | Error): void { this.emit("warn", message, fields); }
  error(message: string, fields?: Fields | Error): void { this.emit("error", message, fields); }
  fatal(message: string, fields?: Fields | Error): void { this.emit("fatal", message, fields); }
  /** ERROR with the error attached (loguru's `logger.exception`). */
  exception(message: string, error: unknown, fields?: Fields): void {
    this.opt({ ...this.options, exception: error }).emit("error", message, fields);
  }
  log(level: LevelName, message: string, fields?: Fields | Error): void {
    this.emit(level, message, fields);
  }

  /** A child logger whose records carry `fields` too; this logger is unchanged. */
  bind(fields: Fields): Logger {
    return new Logger(this.handlers, { ...this.extra, ...fields }, this.options);
  }

  /** Runs `fn` with `fields` added to every record logged inside it, across `await` (AsyncLocalStorage). */
  contextualize<T>(fields: Fields, fn: () => T): T {
    return withFields(fields, fn);
  }

  opt(options: LogOptions): Logger {
    return new Logger(this.handlers, this.extra, { ...this.options, ...options });
  }

  add(sink: Sink, options?: AddOptions): number {
    return this.handlers.add(sink, options);
  }

  remove(id?: number): void {
    this.handlers.remove(id);
  }

  /** Whether any sink would take a record at `level` (for guarding expensive work by hand). */
  isEnabled(level: LevelName): boolean {
    return this.handlers.wants(LEVELS[level]);
  }

  /** Waits for sinks that buffer (files) to write what they hold. */
  flush(): Promise<void> {
    return this.handlers.flush();
  }

  /**
   * Wraps a sync or async function: an exception is logged at ERROR with its stack (and sent to
   * Sightline as an error event), then rethrown when `reraise`, else `default` is returned.
   */
  catch<A extends unknown[], R>(fn: (...args: A) => R, options: CatchOptions<Awaited<R>> = {}): (...args: A) => R {
    const handle = (thrown: unknown): Awaited<R> => {
      const error = toError(thrown);
      const excluded = options.exclude === undefined ? [] : Array.isArray(options.exclude) ? options.exclude : [options.exclude];
      if (excluded.some((cls) => thrown instanceof cls)) throw thrown;
      const message = options.message ?? `An error has been caught in function '${fn.name || "<anonymous>"}'`;
      this.opt({ exception: error }).emit(options.level ?? "error", message, undefined);
      if (options.capture !== false) exceptionHook?.(error, { ...currentScope().fields, ...this.extra });
      options.onerror?.(error);
      if (options.reraise) throw thrown;
      return options.default as Awaited<R>;
    };
    return function caught(this: unknown, ...args: A): R {
      try {
        const result = fn.apply(this, args);
        if (result && typeof (result as { then?: unknown }).then === "function") {
          return (result as unknown as Promise<Awaited<R>>).then(undefined, handle) as R;
        }
        return result;
      } catch (thrown) {
        return handle(thrown) as R;
      }
    };
  }

  private emit(level: LevelName, template: string, given: Fields | Error | undefined): void {
    const no = LEVELS[level];
    if (no < this.handlers.minLevel) return;
    try {
      let exception = this.options.exception === undefined ? undefined : toError(this.options.exception);
      let fields: Fields | undefined;
      if (given instanceof Error) exception ??= given;
      else fields = given;
      if (this.options.lazy) fields = evaluateLazy(fields);
      const scope = currentScope();
      const ctx = scope.fields;
      let merged: Fields;
      if (ctx === EMPTY_SCOPE_FIELDS || isEmpty(ctx)) merged = this.extra === EMPTY ? (fields ?? EMPTY) : fields ? { ...this.extra, ...fields } : this.extra;
      else merged = { ...ctx, ...this.extra, ...fields };
      const safe = redactor.value(merged);
      const message = redactor.text(formatMessage(template, safe));
      const ids = activeIds(scope);
      const name = typeof safe.logger === "string" ? safe.logger : undefined;
      const record: LogRecord = {
        time: Date.now(), level, levelNo: no, message, template, fields: safe, name, exception,
        traceId: ids.traceId, spanId: ids.spanId, requestId: scope.requestId, userId: scopeUserId(scope),
      };
      this.handlers.dispatch(record);
    } catch {
      // Logging never throws into the app.
    }
  }
}

const EMPTY_SCOPE_FIELDS = currentScope().fields;

function isEmpty(o: Fields): boolean {
  for (const _ in o) return false;
  return true;
}

function evaluateLazy(fields: Fields | undefined): Fields | undefined {
  if (!fields) return fields;
  const out: Fields = {};
  for (const key in fields) {
    const v = fields[key];
    out[key] = typeof v === "function" ? (v as () => unknown)() : v;
  }
  return out;
}

export function levelNumber(level: LevelName | number): number {
  return toLevelNo(level);
}

/** The shared handler table and the root logger; like loguru, it starts with a console sink (id 0). */
export const handlers = new Handlers();
export const logger = new Logger(handlers);
export const DEFAULT_CONSOLE_SINK_ID = handlers.add(consoleSink(), consoleSinkOptions());
