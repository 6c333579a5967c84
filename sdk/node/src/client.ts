/**
 * The process-wide client made by `init`: resolved options, the transport, the Sightline log
 * sink, fetch instrumentation, and the exit hooks (flush on `beforeExit` and on SIGTERM/SIGINT
 * within the shutdown timeout; opt-in capture of uncaught exceptions and unhandled rejections).
 * Without `init` (or without an API key) everything still works locally and nothing is sent.
 */
import { resolveOptions, type InitOptions, type ResolvedOptions } from "./config.js";
import { setSender } from "./emit.js";
import { loadOtel } from "./otel.js";
import { handlers, setExceptionHook, DEFAULT_CONSOLE_SINK_ID } from "./logger.js";
import { createRedactor, redactor, setRedactor } from "./redact.js";
import { consoleSink, consoleSinkOptions } from "./sinks/console.js";
import { sightlineSink } from "./sinks/sightline.js";
import { Transport, type TransportStats, type WireEvent } from "./transport.js";
import { patchFetch, unpatchFetch } from "./http/fetch.js";
import { buildErrorEvent, type CaptureContext } from "./errors.js";
import { newEventId } from "./ids.js";

type ClientState = {
  options: ResolvedOptions;
  transport: Transport | null;
  base: { service?: string; environment?: string; release?: string };
  sinkIds: number[];
  cleanup: Array<() => void>;
};

let state: ClientState | null = null;
let consoleRemoved = false;

export function getOptions(): ResolvedOptions | null {
  return state?.options ?? null;
}

function diagnostic(message: string, detail?: Record<string, unknown>): void {
  if (state?.options.debug) process.stderr.write(`[sightline] ${message}${detail ? ` ${JSON.stringify(detail)}` : ""}\n`);
}

/** Sends one event (redacted, stamped with service/environment/release). Never throws. */
export function emitEvent(event: WireEvent, { redacted = false }: { redacted?: boolean } = {}): void {
  const s = state;
  if (!s?.transport) return;
  try {
    // Events are built by the SDK for this call only, so they are completed in place.
    const out = redacted ? event : redactor.event(event);
    if (s.base.service && out.service === undefined) out.service = s.base.service;
    if (s.base.environment && out.environment === undefined) out.environment = s.base.environment;
    if (s.base.release && out.release === undefined) out.release = s.base.release;
    s.transport.enqueue(out);
  } catch {
    // never into the app
  }
}

setSender(emitEvent);

export function init(options: InitOptions = {}): void {
  if (state) void closeState(state, 0);
  const opts = resolveOptions(options);
  void loadOtel();
  setRedactor(createRedactor(Array.isArray(opts.redact) ? { paths: opts.redact } : (opts.redact ?? {})));
  const next: ClientState = {
    options: opts,
    transport: null,
    base: { service: opts.service, environment: opts.environment, release: opts.release },
    sinkIds: [],
    cleanup: [],
  };
  state = next;
  if (!consoleRemoved) {
    consoleRemoved = true;
    try {
      handlers.remove(DEFAULT_CONSOLE_SINK_ID);
    } catch {
      // the app removed it already
    }
  }
  if (opts.console !== false) next.sinkIds.push(handlers.add(consoleSink(), consoleSinkOptions(opts.console === true ? undefined : opts.console)));
  if (opts.apiKey && opts.endpoint) {
    const url = new URL("/api/v1/ingest", opts.endpoint).toString();
    const transport = new Transport({ url, apiKey: opts.apiKey, ...opts.transport, onDiagnostic: diagnostic });
    next.transport = transport;
    next.sinkIds.push(handlers.add(sightlineSink((e) => emitEvent(e, { redacted: true }), () => transport.flush()), { level: opts.level }));
  } else if (opts.debug) {
    diagnostic("no apiKey/endpoint: logging locally, sending nothing");
  }
  setExceptionHook((error, fields) => captureException(error, { extra: fields }));
  if (opts.instrumentFetch) {
    patchFetch();
    next.cleanup.push(unpatchFetch);
  }
  installExitHooks(next);
}

function installExitHooks(s: ClientState): void {
  // Once: if the portal is unreachable, the second `beforeExit` lets the process end.
  let flushedOnExit = false;
  const onBeforeExit = () => {
    if (flushedOnExit || !s.transport || s.transport.size === 0) return;
    flushedOnExit = true;
    void flush(s.options.shutdownTimeoutMs);
  };
  process.on("beforeExit", onBeforeExit);
  s.cleanup.push(() => process.off("beforeExit", onBeforeExit));
  if (s.options.flushOnSignals) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const onSignal = () => {
        void flush(s.options.shutdownTimeoutMs).finally(() => {
          // Ours was the only handler: do what Node would have done without it.
          if (process.listenerCount(signal) === 1) {
            process.off(signal, onSignal);
            process.kill(process.pid, signal);
          }
        });
      };
      process.on(signal, onSignal);
      s.cleanup.push(() => process.off(signal, onSignal));
    }
  }
  if (s.options.captureUnhandled) {
    const fatal = (mechanism: string) => (reason: unknown) => {
      captureException(reason, { level: "fatal", mechanism: { type: mechanism, handled: false } });
      process.stderr.write(`${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
      void flush(s.options.shutdownTimeoutMs).finally(() => process.exit(1));
    };
    const onUncaught = fatal("onuncaughtexception");
    const onRejection = fatal("onunhandledrejection");
    process.on("uncaughtException", onUncaught);
    process.on("unhandledRejection", onRejection);
    s.cleanup.push(() => {
      process.off("uncaughtException", onUncaught);
      process.off("unhandledRejection", onRejection);
    });
  }
}

/** Sends an exception as an `error` event with parsed frames and the current request/trace context. Returns its id. */
export function captureException(error: unknown, context: CaptureContext = {}): string | undefined {
  if (!state?.transport) return undefined;
  const event = buildErrorEvent(error, context);
  emitEvent(event);
  return event.id;
}

/** Sends everything queued; resolves when done or after `timeoutMs`. */
export async function flush(timeoutMs?: number): Promise<void> {
  await Promise.all([handlers.flush().catch(() => {}), state?.transport?.flush(timeoutMs)]);
}

async function closeState(s: ClientState, timeoutMs: number): Promise<void> {
  for (const id of s.sinkIds) {
    try {
      handlers.remove(id);
    } catch {
      // already removed by the app
    }
  }
  for (const fn of s.cleanup) fn();
  await s.transport?.close(timeoutMs);
}

/** Flushes within `timeoutMs`, then stops the transport and removes the hooks (serverless, tests). */
export async function shutdown(timeoutMs = 2000): Promise<void> {
  const s = state;
  if (!s) return;
  state = null;
  setExceptionHook(null);
  await handlers.flush().catch(() => {});
  await closeState(s, timeoutMs);
}

export function transportStats(): TransportStats | null {
  return state?.transport ? { ...state.transport.stats } : null;
}

/** One entry of the app's audit trail: who did what to what, and how it ended. */
export type AuditEntry = {
  actor: string | { id?: string; email?: string; type?: string; name?: string };
  action: string;
  target?: string | { type?: string; id?: string; name?: string };
  outcome?: "success" | "failure" | "denied";
  ip?: string;
  userAgent?: string;
  metadata?: Record<string, unknown>;
};

/**
 * Records a security-relevant action of the app (a sign-in, a permission change, a data export) in
 * the project's verifiable audit trail on the portal (hash-chained, signed checkpoints, inclusion
 * proofs at `GET /api/v1/audit/proof`). Sent like every event: batched, retried with the same id.
 * Returns the event's id.
 */
export function audit(entry: AuditEntry): string | undefined {
  if (!state?.transport) return undefined;
  const id = newEventId();
  emitEvent({ type: "audit", id, timestamp: new Date().toISOString(), ...entry }); // the portal defaults outcome to "success"
  return id;
}
