/**
 * `init` options, validated with zod once at start; environment variables fill what the call
 * leaves out (`SIGHTLINE_API_KEY`, `SIGHTLINE_ENDPOINT`, `SIGHTLINE_SERVICE`,
 * `SIGHTLINE_ENVIRONMENT`, `SIGHTLINE_RELEASE`, `SIGHTLINE_DEBUG`). Messages say how to fix a value.
 */
import { z } from "zod";
import { LEVEL_NAMES, type LevelName } from "./levels.js";

const ZLevel = z.enum(LEVEL_NAMES as [LevelName, ...LevelName[]], { error: `must be one of ${LEVEL_NAMES.join(", ")}` });
const positiveInt = z.number().int().positive();

export const ZTransportOptions = z.object({
  maxQueueSize: positiveInt.default(2048),
  maxBatchEvents: positiveInt.max(1000, "the portal takes at most 1000 events per batch").default(512),
  maxBatchBytes: positiveInt.default(1_048_576),
  flushIntervalMs: positiveInt.default(5000),
  gzipAboveBytes: z.number().int().nonnegative().default(32_768),
  maxAttempts: positiveInt.max(20).default(5),
  backoffBaseMs: positiveInt.default(1000),
  backoffMaxMs: positiveInt.default(30_000),
  requestTimeoutMs: positiveInt.default(30_000),
});

export const ZInitOptions = z.object({
  apiKey: z.string().trim().min(1, "is empty: pass a project ingest key or set SIGHTLINE_API_KEY").optional(),
  endpoint: z.url({ error: "must be the portal's base URL, e.g. https://sightline.example.com" }).optional(),
  service: z.string().min(1).max(256).optional(),
  environment: z.string().min(1).max(64).optional(),
  release: z.string().min(1).max(256).optional(),
  /** Lowest level sent to Sightline (the console sink keeps its own). */
  level: ZLevel.default("info"),
  /** The console sink: auto (pretty in development, JSON in production), a fixed mode, or off. */
  console: z.union([z.boolean(), z.enum(["pretty", "plain", "json"])]).default(true),
  /** Send prompts and completions of LLM calls (off by default). */
  capturePayloads: z.boolean().default(false),
  /** Extra redaction: key names anywhere, or dotted paths (`user.ssn`, `*.email`). */
  redact: z.union([z.array(z.string()), z.object({ keys: z.array(z.string()).optional(), paths: z.array(z.string()).optional() })]).optional(),
  /** Trace outgoing `fetch` calls made inside a request and send `traceparent` with them. */
  instrumentFetch: z.boolean().default(true),
  /** Capture `uncaughtException` and `unhandledRejection`, flush, then exit as Node would (opt-in). */
  captureUnhandled: z.boolean().default(false),
  /** Flush on SIGTERM/SIGINT (within `shutdownTimeoutMs`) before the process exits. */
  flushOnSignals: z.boolean().default(true),
  shutdownTimeoutMs: positiveInt.default(2000),
  /** Print the SDK's own diagnostics (dropped batches, rejected events) to stderr. */
  debug: z.boolean().default(false),
  transport: ZTransportOptions.default(ZTransportOptions.parse({})),
});

export type InitOptions = z.input<typeof ZInitOptions>;
export type ResolvedOptions = z.output<typeof ZInitOptions>;

const env = (name: string): string | undefined => {
  const v = process.env[name]?.trim();
  return v ? v : undefined;
};

export function resolveOptions(options: InitOptions = {}): ResolvedOptions {
  const withEnv = {
    ...options,
    apiKey: options.apiKey ?? env("SIGHTLINE_API_KEY"),
    endpoint: options.endpoint ?? env("SIGHTLINE_ENDPOINT"),
    service: options.service ?? env("SIGHTLINE_SERVICE") ?? env("OTEL_SERVICE_NAME"),
    environment: options.environment ?? env("SIGHTLINE_ENVIRONMENT") ?? env("NODE_ENV"),
    release: options.release ?? env("SIGHTLINE_RELEASE"),
    debug: options.debug ?? (env("SIGHTLINE_DEBUG") === "1" || env("SIGHTLINE_DEBUG") === "true"),
  };
  const parsed = ZInitOptions.safeParse(withEnv);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "options"} ${i.message}`).join("; ");
    throw new Error(`@sightline/node init: ${problems}`);
  }
  return parsed.data;
}
